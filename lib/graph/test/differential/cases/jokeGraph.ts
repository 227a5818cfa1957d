// The seed's graph (refine_topic -> generate_joke), as reference/cases/joke_graph.mjs writes it for LangGraph.js.
import type { BaseCheckpointSaver, LangGraphRunnableConfig } from "@langchain/langgraph";
import type { GraphLib } from "../graphLibrary";

export function jokeState(lg: GraphLib) {
  return lg.Annotation.Root({
    topic: lg.Annotation<string>(),
    joke: lg.Annotation<string>(),
  });
}

export type JokeState = ReturnType<typeof jokeState>["State"];

export interface JokeGraphOptions {
  generateJoke?: (state: JokeState, config: LangGraphRunnableConfig) => Promise<Partial<JokeState>> | Partial<JokeState>;
  checkpointer?: BaseCheckpointSaver;
}

export function buildJokeGraph(lg: GraphLib, { generateJoke, checkpointer }: JokeGraphOptions = {}) {
  const refine_topic = (state: JokeState) => ({ topic: state.topic + " and cats" });
  const generate_joke =
    generateJoke ??
    ((state: JokeState, config: LangGraphRunnableConfig) => {
      config.writer?.({ custom_key: "Writing custom data while generating a joke" });
      return { joke: `This is a joke about ${state.topic}` };
    });
  return new lg.StateGraph(jokeState(lg))
    .addNode("refine_topic", refine_topic)
    .addNode("generate_joke", generate_joke)
    .addEdge(lg.START, "refine_topic")
    .addEdge("refine_topic", "generate_joke")
    .addEdge("generate_joke", lg.END)
    .compile(checkpointer ? { checkpointer } : undefined);
}
