// For the savers' tests: a 2-node loop of `steps` node steps on `saver`, each node calling `watch` (on the
// engine's thread, between the saver's writes) before it adds one to `n`.
import type { BaseCheckpointSaver } from "../../base";
import { Annotation, END, START, StateGraph } from "../../../index";

export function watchedLoop(saver: BaseCheckpointSaver, steps: number, watch: () => void) {
  const State = Annotation.Root({ n: Annotation<number>() });
  const node = (s: { n: number }) => {
    watch();
    return { n: s.n + 1 };
  };
  const graph = new StateGraph(State)
    .addNode("a", node)
    .addNode("b", node)
    .addEdge(START, "a")
    .addEdge("a", "b")
    .addConditionalEdges("b", (s) => (s.n >= steps ? END : "a"))
    .compile({ checkpointer: saver });
  return (threadId: string) => graph.invoke({ n: 0 }, { configurable: { thread_id: threadId }, recursionLimit: steps + 1 });
}
