// A loop with a conditional edge: draft runs again until it has made `rounds` drafts, reporting its
// progress as custom data; then polish finishes. The diagram shows draft's edge back to itself.
import { z } from "zod";
import { Annotation, END, START, StateGraph } from "../lib/graph";
import type { GraphDefinition } from "./graphDefinition";

const LoopState = Annotation.Root({
  topic: Annotation<string>(),
  rounds: Annotation<number>(),
  round: Annotation<number>({ reducer: (_old, next) => next, default: () => 0 }),
  drafts: Annotation<string[]>({ reducer: (all, more) => all.concat(more), default: () => [] }),
  joke: Annotation<string>(),
});

const ADJECTIVES = ["a rough", "a better", "a sharper", "a funnier", "a tighter", "a polished"];

const input = z.strictObject({
  topic: z.string().min(1).max(200).describe("What the joke is about"),
  rounds: z.number().int().min(1).max(20).default(3).describe("How many drafts before polishing"),
});

export const refineLoopGraph: GraphDefinition<typeof input> = {
  id: "refine-loop",
  title: "Loop with a conditional edge",
  description: "draft runs again and again (a conditional edge back to itself) until it has made `rounds` drafts; then polish.",
  input,
  exampleInput: { topic: "ice cream", rounds: 3 },
  build() {
    return new StateGraph(LoopState)
      .addNode("draft", (state, config) => {
        const round = state.round + 1;
        const draft = `${ADJECTIVES[Math.min(round - 1, ADJECTIVES.length - 1)]} joke about ${state.topic}`;
        config.writer?.({ round, of: state.rounds, draft });
        return { round, drafts: [draft] };
      })
      .addNode("polish", (state) => ({ joke: `${state.drafts.at(-1)}, after ${state.round} drafts` }))
      .addEdge(START, "draft")
      .addConditionalEdges("draft", (state) => (state.round < state.rounds ? "draft" : "polish"), ["draft", "polish"])
      .addEdge("polish", END)
      .compile();
  },
};
