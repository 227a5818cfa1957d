import { randomUUID } from "node:crypto";
import { z } from "zod";

// Run ids double as LangGraph thread ids and as the prefix of event ids, so they must not contain ":".
// Clients may propose one when starting a run (an idempotency key: a retried start joins instead of
// starting twice), hence the strict shape.
export const RUN_ID_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;

export const runIdSchema = z
  .string()
  .regex(RUN_ID_PATTERN, "must be 8 to 64 letters, digits, '-' or '_'");

export function newRunId(): string {
  return `run_${randomUUID().replaceAll("-", "")}`;
}
