// Child process of tornWrite.test.ts: runs a checkpointed 2-node loop on a SQLite file over and over,
// printing "committed <run>" after each run's writes have all committed, until it is killed. A third
// argument "true" commits on the saver's commit thread.
import { Annotation, END, START, StateGraph } from "../../../index";
import { SqliteSaver } from "../sqliteSaver";

const State = Annotation.Root({ run: Annotation<number>(), n: Annotation<number>(), payload: Annotation<string>() });
const saver = new SqliteSaver(process.argv[2], { commitThread: process.argv[3] === "true" });
const step = (s: typeof State.State) => ({ n: s.n + 1, payload: `${s.n}:`.padEnd(64 * 1024, "x") });
const graph = new StateGraph(State)
  .addNode("a", step)
  .addNode("b", step)
  .addEdge(START, "a")
  .addEdge("a", "b")
  .addConditionalEdges("b", (s) => (s.n >= 40 ? END : "a"))
  .compile({ checkpointer: saver });

for (let run = 1; ; run++) {
  await graph.invoke({ run, n: 0, payload: "" }, { configurable: { thread_id: "torn" }, recursionLimit: 100 });
  process.stdout.write(`committed ${run}\n`);
}
