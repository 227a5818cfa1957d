// streamEvents v3 with subgraphs: the root's protocol events (lifecycle framing the run and each subgraph,
// companion checkpoint events with and without a checkpointer) and `run.subgraphs` (a SubgraphRunStream per
// subgraph directly under the root: name, index, path and its own events, scoped to its namespace), for a
// subgraph node, one nested two deep, and one that throws. Compared: each event's position (seq counted from the
// run's first event: LangGraph.js numbers from 0, Rill from 1), method, namespace and data; timestamps are not.
import type { DifferentialCase } from "../differentialCase";
import type { GraphLib } from "../graphLibrary";

interface V3Event {
  seq: number;
  method: string;
  params: { namespace: string[]; data: unknown };
}

interface V3Run extends AsyncIterable<V3Event> {
  subgraphs: AsyncIterable<V3Run & { name: string; index: number; path: string[] }>;
  values: AsyncIterable<unknown>;
  output: Promise<unknown>;
}

/** Reads `source` to its end; what it threw is kept (a failed run's streams all throw its error). */
async function readAll<T>(source: AsyncIterable<T>): Promise<{ items: T[]; threw?: string }> {
  const items: T[] = [];
  try {
    for await (const item of source) items.push(item);
  } catch (error) {
    return { items, threw: error instanceof Error ? error.message : String(error) };
  }
  return { items };
}

/** Each subgraph stream (read first, as the LangGraph.js test does), then the root's events, then the output. */
async function* readRun(start: () => Promise<unknown>): AsyncGenerator<unknown> {
  const run = (await start()) as V3Run;
  run.output.catch(() => {});
  let first: number | undefined;
  const position = (seq: number) => seq - (first ??= seq);
  const subgraphs: Array<Record<string, unknown> & { events: { items: V3Event[]; threw?: string }; nested: { items: Array<{ name: string }>; threw?: string } }> = [];
  let subgraphsThrew: string | undefined;
  try {
    for await (const sub of run.subgraphs) {
      const events = await readAll(sub);
      const nested = await readAll(sub.subgraphs);
      const values = await readAll(sub.values);
      subgraphs.push({ name: sub.name, index: sub.index, path: sub.path, nested, events, values });
    }
  } catch (error) {
    subgraphsThrew = error instanceof Error ? error.message : String(error);
  }
  const root = await readAll(run);
  for (const event of root.items) yield { at: position(event.seq), method: event.method, namespace: event.params.namespace, data: event.params.data };
  if (root.threw !== undefined) yield { threw: root.threw };
  for (const sub of subgraphs) {
    const events = sub.events.items.map((e) => ({ at: position(e.seq), method: e.method, namespace: e.params.namespace }));
    yield { ...sub, events, threw: sub.events.threw, nested: { names: sub.nested.items.map((child) => child.name), threw: sub.nested.threw } };
  }
  if (subgraphsThrew !== undefined) yield { subgraphsThrew };
  yield await run.output.then((output) => ({ output }), (error: Error) => ({ outputRejected: error.message }));
}

function graphs(lg: GraphLib) {
  const State = lg.Annotation.Root({ count: lg.Annotation<number>({ reducer: (a, b) => a + b, default: () => 0 }) });
  const inner = new lg.StateGraph(State)
    .addNode("inner_step", () => ({ count: 5 }))
    .addEdge(lg.START, "inner_step")
    .addEdge("inner_step", lg.END)
    .compile();
  const outer = new lg.StateGraph(State)
    .addNode("before", () => ({ count: 1 }))
    .addNode("sub", inner)
    .addEdge(lg.START, "before")
    .addEdge("before", "sub")
    .addEdge("sub", lg.END);
  const middle = new lg.StateGraph(State)
    .addNode("deeper", inner)
    .addNode("after_deeper", () => ({ count: 10 }))
    .addEdge(lg.START, "deeper")
    .addEdge("deeper", "after_deeper")
    .compile();
  const twoDeep = new lg.StateGraph(State).addNode("middle", middle).addEdge(lg.START, "middle").compile();
  const failing = new lg.StateGraph(State)
    .addNode("breaks", (): { count: number } => {
      throw new Error("inner step broke");
    })
    .addEdge(lg.START, "breaks")
    .compile();
  const withFailing = new lg.StateGraph(State).addNode("fails", failing).addEdge(lg.START, "fails").compile();
  return { outer, twoDeep, withFailing };
}

export const streamEventsV3Subgraphs: DifferentialCase = {
  name: "streamEvents v3 subgraphs",
  async run({ lg }, rec) {
    const { outer, twoDeep, withFailing } = graphs(lg);
    await rec.stream("a subgraph node, no checkpointer", () => readRun(() => outer.compile().streamEvents({ count: 0 }, { version: "v3" })));
    await rec.stream("a subgraph node, MemorySaver", () =>
      readRun(() => outer.compile({ checkpointer: new lg.MemorySaver() }).streamEvents({ count: 0 }, { version: "v3", configurable: { thread_id: "v3-subgraphs" } })),
    );
    await rec.stream("a subgraph two deep", () => readRun(() => twoDeep.streamEvents({ count: 0 }, { version: "v3" })));
    await rec.stream("a subgraph that throws", () => readRun(() => withFailing.streamEvents({ count: 0 }, { version: "v3" })));
  },
};
