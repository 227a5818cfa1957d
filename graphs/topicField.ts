// The `topic` input field of the LLM graphs, with a message per way it can be wrong (the playground shows them inline).
import { z } from "zod";

export const topicField = z
  .string({ error: (issue) => (issue.input === undefined ? "topic is required" : "topic must be a string") })
  .trim()
  .min(1, "topic must not be empty")
  .max(200, "topic must be at most 200 characters");
