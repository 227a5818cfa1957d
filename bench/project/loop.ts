// bench:project's long run: one node looping through a conditional edge until `count` reaches `steps`.
import { Annotation, END, START, StateGraph } from "@langchain/langgraph";

const State = Annotation.Root({ count: Annotation<number>(), steps: Annotation<number>() });

export const graph = new StateGraph(State)
  .addNode("step", (state: typeof State.State) => ({ count: state.count + 1 }))
  .addEdge(START, "step")
  .addConditionalEdges("step", (state: typeof State.State) => (state.count >= state.steps ? END : "step"))
  .compile();
