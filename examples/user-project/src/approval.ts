// A human approval through interrupt(), checkpointed by the saver from @langchain/langgraph-checkpoint.
import { Annotation, END, START, StateGraph, interrupt } from "@langchain/langgraph";
import { MemorySaver } from "@langchain/langgraph-checkpoint";

const State = Annotation.Root({ draft: Annotation<string>(), approved: Annotation<boolean>() });

export const graph = new StateGraph(State)
  .addNode("write", (state: typeof State.State) => ({ draft: `Draft about ${state.draft}` }))
  .addNode("review", (state: typeof State.State) => {
    const answer = interrupt({ question: "Publish this?", draft: state.draft });
    return { approved: answer === "yes" };
  })
  .addEdge(START, "write")
  .addEdge("write", "review")
  .addEdge("review", END)
  .compile({ checkpointer: new MemorySaver() });
