// Child process of the engine benchmark's memory measurement (see engineMemory.ts for the method).
// Usage: node --expose-gc --import tsx bench/engineMemoryProbe.ts <rill|langgraph> <steps>
// Prints one JSON line: MemoryProbeResult.
import { buildLoop } from "./engineWorkloads";
import type { GraphLib } from "../lib/graph/test/differential/graphLibrary";

export interface MemorySample {
  rss: number;
  heapUsed: number;
  external: number;
}

export interface MemoryProbeResult {
  library: string;
  steps: number;
  chunks: number;
  samples: number;
  idle: MemorySample;
  peak: MemorySample;
  /** After the run, once garbage is collected: what the run left behind. */
  retained: MemorySample;
}

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with --expose-gc");

function sample(): MemorySample {
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed, external: m.external + m.arrayBuffers };
}

function settle(): MemorySample {
  for (let i = 0; i < 3; i++) gc!();
  return sample();
}

const [library = "rill", stepsArg = "10000"] = process.argv.slice(2);
const steps = Number(stepsArg);
const lg = (
  library === "langgraph" ? await import("@langchain/langgraph") : await import("../lib/graph/index")
) as unknown as GraphLib;

// Warm up on a short run of the same graph so that module initialisation and compiled code count as
// "idle": the idle process has the engine loaded and has run a graph before.
await buildLoop(lg, 200)();
const run = buildLoop(lg, steps);
const idle = settle();
const peak = { ...idle };
let samples = 0;
const take = () => {
  const s = sample();
  samples += 1;
  if (s.rss > peak.rss) peak.rss = s.rss;
  if (s.heapUsed > peak.heapUsed) peak.heapUsed = s.heapUsed;
  if (s.external > peak.external) peak.external = s.external;
};
// Sample from a timer too, in case the engine runs many steps between two chunks the consumer sees.
const timer = setInterval(take, 1);
const { chunks } = await run((count) => {
  if (count % 25 === 0) take();
});
clearInterval(timer);
take();
const retained = settle();
const result: MemoryProbeResult = { library, steps, chunks, samples, idle, peak, retained };
process.stdout.write(JSON.stringify(result) + "\n");
