// The seed's graph, exactly: refine_topic -> generate_joke, with generate_joke writing custom data
// through config.writer (dropped unless "custom" is streamed). Its streams are compared with LangGraph.js's
// recorded outputs in the server's tests.
import { z } from "zod";
import { Annotation, END, START, StateGraph } from "../lib/graph";
import type { GraphDefinition } from "./graphDefinition";

export const JokeState = Annotation.Root({
  topic: Annotation<string>(),
  joke: Annotation<string>(),
});

const input = z.strictObject({
  topic: z.string().min(1).max(200).describe("What the joke is about"),
});

export const jokeGraph: GraphDefinition<typeof input> = {
  id: "joke",
  title: "Joke (the seed graph)",
  description:
    "The streaming guide's example: refine_topic appends \"and cats\", generate_joke writes custom data and a joke. No model.",
  input,
  exampleInput: { topic: "ice cream" },
  build() {
    return new StateGraph(JokeState)
      .addNode("refine_topic", (state) => ({ topic: state.topic + " and cats" }))
      .addNode("generate_joke", (state, config) => {
        config.writer?.({ custom_key: "Writing custom data while generating a joke" });
        return { joke: `This is a joke about ${state.topic}` };
      })
      .addEdge(START, "refine_topic")
      .addEdge("refine_topic", "generate_joke")
      .addEdge("generate_joke", END)
      .compile();
  },
};
