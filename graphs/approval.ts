// Human in the loop: review calls interrupt(), the run pauses with status "interrupted" and the question,
// and `runs.resume({ runId, resume })` continues it on the same thread. Compiled without a checkpointer:
// the server gives it its own (durable with RILL_STORE=sqlite/postgres), so an interrupt survives a restart.
import { z } from "zod";
import { Annotation, END, START, StateGraph, interrupt } from "../lib/graph";
import type { GraphDefinition } from "./graphDefinition";

const ApprovalState = Annotation.Root({
  topic: Annotation<string>(),
  approved: Annotation<unknown>(),
  joke: Annotation<string>(),
});

const input = z.strictObject({
  topic: z.string().min(1).max(200).describe("What the joke is about"),
});

export const approvalGraph: GraphDefinition<typeof input> = {
  id: "approval",
  title: "Human approval",
  description:
    "Pauses in review with interrupt() to ask whether the refined topic is fine; resume the run with your answer.",
  input,
  exampleInput: { topic: "ice cream" },
  build() {
    return new StateGraph(ApprovalState)
      .addNode("refine_topic", (state) => ({ topic: state.topic + " and cats" }))
      .addNode("review", (state) => {
        const answer = interrupt<{ question: string }, unknown>({ question: `Approve topic "${state.topic}"?` });
        return { approved: answer };
      })
      .addNode("generate_joke", (state) => ({
        joke: `This is a joke about ${state.topic} (approved=${String(state.approved)})`,
      }))
      .addEdge(START, "refine_topic")
      .addEdge("refine_topic", "review")
      .addEdge("review", "generate_joke")
      .addEdge("generate_joke", END)
      .compile();
  },
};
