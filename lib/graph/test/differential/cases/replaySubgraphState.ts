// Time travel with a persistent subgraph (`checkpointer: true`): replaying the parent from an old
// checkpoint loads the subgraph's state as it was then (its newest checkpoint older than the one
// replayed), not its latest; a later plain invoke continues from the latest again. Recorded with the
// side's own MemorySaver and with a subclass of it (which Rill calls through the async saver contract).
import type { DifferentialCase } from "../differentialCase";
import type { Side } from "../graphLibrary";

async function replayCase({ lg }: Side, saver: InstanceType<Side["lg"]["MemorySaver"]>, thread: string) {
  const observed: string[][] = [];
  const concat = (a: string[], b: string[]) => a.concat(b);
  const sub = new lg.StateGraph(lg.Annotation.Root({ value: lg.Annotation<string[]>({ reducer: concat, default: () => [] }) }))
    .addNode("sub_step", (state: { value: string[] }) => {
      observed.push([...state.value]);
      return { value: ["s"] };
    })
    .addEdge(lg.START, "sub_step")
    .compile({ checkpointer: true });
  const graph = new lg.StateGraph(lg.Annotation.Root({ results: lg.Annotation<string[]>({ reducer: concat, default: () => [] }) }))
    .addNode("parent_node", () => ({ results: ["p"] }))
    .addNode("sub_node", sub)
    .addEdge(lg.START, "parent_node")
    .addEdge("parent_node", "sub_node")
    .compile({ checkpointer: saver });
  const config = { configurable: { thread_id: thread } };
  await graph.invoke({ results: [] }, config);
  await graph.invoke({ results: [] }, config);
  const beforeSub: { config: unknown }[] = [];
  for await (const snapshot of graph.getStateHistory(config)) if (snapshot.next.includes("sub_node")) beforeSub.push(snapshot);
  const runs: unknown[] = [];
  for (const snapshot of [beforeSub[beforeSub.length - 1], beforeSub[0]]) {
    observed.length = 0;
    const result = await graph.invoke(null, snapshot.config as never);
    runs.push({ subgraphSaw: [...observed], result });
  }
  observed.length = 0;
  await graph.invoke({ results: [] }, config);
  runs.push({ nextInvokeSubgraphSaw: [...observed] });
  return runs;
}

export const replaySubgraphState: DifferentialCase = {
  name: "time travel loads a persistent subgraph's state as of the replayed checkpoint",
  async run(side, rec) {
    await rec.value("replays (MemorySaver)", () => replayCase(side, new side.lg.MemorySaver(), "replay-sub-1"));
    class SubclassSaver extends side.lg.MemorySaver {}
    await rec.value("replays (a MemorySaver subclass)", () => replayCase(side, new SubclassSaver(), "replay-sub-2"));
  },
};
