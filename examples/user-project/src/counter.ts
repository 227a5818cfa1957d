// A loop with a conditional edge: "step" runs until count reaches target.
import { Annotation, END, START, StateGraph } from "@langchain/langgraph";

const State = Annotation.Root({ count: Annotation<number>(), target: Annotation<number>() });

export const graph = new StateGraph(State)
  .addNode("step", (state: typeof State.State) => ({ count: state.count + 1 }))
  .addEdge(START, "step")
  .addConditionalEdges("step", (state: typeof State.State) => (state.count >= state.target ? END : "step"))
  .compile();
