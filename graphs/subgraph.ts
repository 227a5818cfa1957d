// A compiled graph used as a node: "writers_room" is its own graph (brainstorm -> pick) sharing the topic
// key with the parent. Its tokens and custom data reach the parent's stream; its updates show as one
// update of the writers_room node.
import { z } from "zod";
import { Annotation, END, START, StateGraph } from "../lib/graph";
import type { GraphDefinition } from "./graphDefinition";

const RoomState = Annotation.Root({
  topic: Annotation<string>(),
  ideas: Annotation<string[]>({ reducer: (all, more) => all.concat(more), default: () => [] }),
  angle: Annotation<string>(),
});

function buildWritersRoom() {
  return new StateGraph(RoomState)
    .addNode("brainstorm", (state) => ({
      ideas: [`${state.topic} at the vet`, `${state.topic} on a diet`, `${state.topic} in space`],
    }))
    .addNode("pick", (state, config) => {
      const angle = state.ideas[state.topic.length % state.ideas.length]!;
      config.writer?.({ from: "writers_room", picked: angle });
      return { angle };
    })
    .addEdge(START, "brainstorm")
    .addEdge("brainstorm", "pick")
    .addEdge("pick", END)
    .compile();
}

const ShowState = Annotation.Root({
  topic: Annotation<string>(),
  angle: Annotation<string>(),
  joke: Annotation<string>(),
});

const input = z.strictObject({
  topic: z.string().min(1).max(200).describe("What the joke is about"),
});

export const subgraphGraph: GraphDefinition<typeof input> = {
  id: "subgraph",
  title: "Subgraph",
  description: "refine_topic, then writers_room (a compiled subgraph: brainstorm -> pick), then generate_joke.",
  input,
  exampleInput: { topic: "ice cream" },
  build() {
    return new StateGraph(ShowState)
      .addNode("refine_topic", (state) => ({ topic: state.topic + " and cats" }))
      .addNode("writers_room", buildWritersRoom())
      .addNode("generate_joke", (state) => ({ joke: `This is a joke about ${state.angle}` }))
      .addEdge(START, "refine_topic")
      .addEdge("refine_topic", "writers_room")
      .addEdge("writers_room", "generate_joke")
      .addEdge("generate_joke", END)
      .compile();
  },
};
