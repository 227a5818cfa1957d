// Quick profile of Rill's engine alone (bench/engine.ts compares against LangGraph.js): µs per step
// or task for the three benchmark shapes, plus the cost of the per-task AsyncLocalStorage context.
// Run: npx tsx bench/engineProfile.ts
import { Annotation, END, Send, START, StateGraph } from "../lib/graph";

const LoopState = Annotation.Root({ n: Annotation<number>() });

if (process.argv[2] === "--context-probe") {
  const [kind, context] = process.argv.slice(3);
  const node = kind === "async" ? async (s: { n: number }) => ({ n: s.n + 1 }) : (s: { n: number }) => ({ n: s.n + 1 });
  const graph = new StateGraph(LoopState)
    .addNode("a", node)
    .addNode("b", node)
    .addEdge(START, "a")
    .addEdge("a", "b")
    .addConditionalEdges("b", (s) => (s.n >= 2000 ? END : "a"))
    .compile();
  // A caller's signal turns the task context on (see CompiledStateGraph.createRun).
  const config = () => ({ streamMode: "updates" as const, recursionLimit: 10_000, ...(context === "on" ? { signal: new AbortController().signal } : {}) });
  await time(`(a) ${kind} nodes, task context ${context}`, 2000, 25, async () => {
    for await (const _ of await graph.stream({ n: 0 }, config()));
  });
  process.exit(0);
}
const limit = 2000;
function loopGraph() {
  return new StateGraph(LoopState)
    .addNode("a", (s) => ({ n: s.n + 1 }))
    .addNode("b", (s) => ({ n: s.n + 1 }))
    .addEdge(START, "a")
    .addEdge("a", "b")
    .addConditionalEdges("b", (s) => (s.n >= limit ? END : "a"))
    .compile();
}

function chainGraph(length: number) {
  let g = new StateGraph(LoopState) as StateGraph<typeof LoopState.spec, string>;
  for (let i = 0; i < length; i++) g = g.addNode(`n${i}`, (s) => ({ n: s.n + 1 }));
  g = g.addEdge(START, "n0");
  for (let i = 1; i < length; i++) g = g.addEdge(`n${i - 1}`, `n${i}`);
  return g.compile();
}

const FanState = Annotation.Root({
  count: Annotation<number>(),
  total: Annotation<number>({ reducer: (a, b) => a + b, default: () => 0 }),
});
function fanGraph() {
  return new StateGraph(FanState)
    .addNode("work", (s: { count?: number; i?: number }) => ({ total: 1 }))
    .addConditionalEdges(START, (s) => Array.from({ length: s.count }, (_, i) => new Send("work", { i })))
    .compile();
}

async function time(label: string, units: number, repeat: number, fn: () => Promise<unknown>) {
  for (let i = 0; i < 3; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < repeat; i++) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  const median = samples[samples.length >> 1];
  console.log(`${label.padEnd(44)} ${((median * 1000) / units).toFixed(3).padStart(8)} µs/unit   (median ${median.toFixed(2)} ms)`);
  return median;
}

const loop = loopGraph();
await time("(a) 2-node loop, 2000 steps, updates", limit, 15, async () => {
  let n = 0;
  for await (const _ of await loop.stream({ n: 0 }, { streamMode: "updates", recursionLimit: 10_000 })) n++;
  if (n !== limit) throw new Error(`expected ${limit} chunks, got ${n}`);
});
await time("(a'') same, streamSync", limit, 15, async () => {
  for (const _ of loop.streamSync({ n: 0 }, { streamMode: "updates", recursionLimit: 10_000 }));
});
const chain = chainGraph(100);
await time("(b) 100-node chain, invoke", 100, 50, () => chain.invoke({ n: 0 }, { recursionLimit: 200 }));
const fan = fanGraph();
const t1 = await time("(c) 1000 Send tasks, invoke", 1000, 30, () => fan.invoke({ count: 1000 }));
const t4 = await time("(c') 4000 Send tasks, invoke", 4000, 15, () => fan.invoke({ count: 4000 }));
console.log(`fan-out 4000/1000 time ratio: ${(t4 / t1).toFixed(2)} (target < 4.5)`);

// The per-task AsyncLocalStorage context, measured in fresh processes: once any AsyncLocalStorage.run
// happened, Node 20 keeps async hooks on for the whole process, so in-process comparisons lie.
const { spawnSync } = await import("node:child_process");
for (const kind of ["sync", "async"]) {
  for (const context of ["off", "on"]) {
    const child = spawnSync(process.execPath, ["--import", "tsx", new URL(import.meta.url).pathname, "--context-probe", kind, context], { encoding: "utf8" });
    process.stdout.write(child.stdout || child.stderr);
  }
}
