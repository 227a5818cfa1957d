// The streaming guide's graph, written for @langchain/langgraph; its sign-off comes from the project's .env.
import { Annotation, START, StateGraph, type LangGraphRunnableConfig } from "@langchain/langgraph";
import { signOff } from "./signOff";

const State = Annotation.Root({ topic: Annotation<string>(), joke: Annotation<string>() });

function refine_topic(state: typeof State.State) {
  return { topic: state.topic + " and cats" };
}

function generate_joke(state: typeof State.State, config: LangGraphRunnableConfig) {
  config.writer?.({ custom_key: "Writing custom data while generating a joke" });
  return { joke: `This is a joke about ${state.topic}${signOff()}` };
}

export const graph = new StateGraph(State)
  .addNode("refine_topic", refine_topic)
  .addNode("generate_joke", generate_joke)
  .addEdge(START, "refine_topic")
  .addEdge("refine_topic", "generate_joke")
  .compile();
