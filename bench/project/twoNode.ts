// bench:project's small graph: two nodes in a row, as a user writes it for @langchain/langgraph.
import { Annotation, START, StateGraph } from "@langchain/langgraph";

const State = Annotation.Root({ topic: Annotation<string>(), joke: Annotation<string>() });

export const graph = new StateGraph(State)
  .addNode("refine_topic", (state: typeof State.State) => ({ topic: state.topic + " and cats" }))
  .addNode("generate_joke", (state: typeof State.State) => ({ joke: `This is a joke about ${state.topic}` }))
  .addEdge(START, "refine_topic")
  .addEdge("refine_topic", "generate_joke")
  .compile();
