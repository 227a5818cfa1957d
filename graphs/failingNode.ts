// A node that fails: everything before it streams, then the run ends with ["error", {name, message}]
// (and the debug timeline shows the task_result with its error).
import { z } from "zod";
import { Annotation, END, START, StateGraph } from "../lib/graph";
import type { GraphDefinition } from "./graphDefinition";

const State = Annotation.Root({
  topic: Annotation<string>(),
  joke: Annotation<string>(),
});

const input = z.strictObject({
  topic: z.string().min(1).max(200).describe("What the joke is about"),
});

export const failingNodeGraph: GraphDefinition<typeof input> = {
  id: "failing-node",
  title: "A node that fails",
  description: "refine_topic works, then generate_joke throws: see how a failed run streams and ends.",
  input,
  exampleInput: { topic: "ice cream" },
  build() {
    return new StateGraph(State)
      .addNode("refine_topic", (state) => ({ topic: state.topic + " and cats" }))
      .addNode("generate_joke", (state): { joke: string } => {
        throw new Error(`boom in generate_joke (topic: ${state.topic})`);
      })
      .addEdge(START, "refine_topic")
      .addEdge("refine_topic", "generate_joke")
      .addEdge("generate_joke", END)
      .compile();
  },
};
