// npx tsx bench/durableInterleaved.ts — bench:durable's SQLite ratio, measured so that load drift cancels:
// the in-memory loop, SQLite committing on the caller's thread and SQLite with its commit thread run in
// turn, round after round (40 rounds after 5 of warm-up), and each is the median of its rounds. On a
// shared, saturated machine the sequential medians of bench:durable can swing by 2-4x between two runs;
// these ratios move far less. Prints ms per run and the ratio to in-memory; no goal is checked here.
import { mkdtempSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import type { GraphLib } from "../lib/graph/test/differential/graphLibrary";
import { buildCheckpointedLoop } from "./durable";
const rill = (await import("../lib/graph/index")) as unknown as GraphLib;
const { MemorySaver } = await import("../lib/graph/index");
const { SqliteSaver } = await import("../lib/graph/checkpoint/sqlite/index");
const { rmSync } = await import("node:fs");
const dir = mkdtempSync(join(tmpdir(), "rill-bench-interleaved-"));
const onCaller = new SqliteSaver(join(dir, "caller.db"), { commitThread: false });
const onThread = new SqliteSaver(join(dir, "thread.db"), { commitThread: true });
const variants: Array<[string, () => Promise<unknown>]> = [
  ["memory", buildCheckpointedLoop(rill, new MemorySaver())],
  ["sqlite caller thread", buildCheckpointedLoop(rill, onCaller)],
  ["sqlite commit thread", buildCheckpointedLoop(rill, onThread)],
];
const times = variants.map(() => [] as number[]);
for (let i = 0; i < 5; i++) for (const [, f] of variants) await f();
for (let i = 0; i < 40; i++) for (let v = 0; v < variants.length; v++) { const a = performance.now(); await variants[v][1](); times[v].push(performance.now() - a); }
const med = (x: number[]) => [...x].sort((a, b) => a - b)[x.length >> 1];
const m0 = med(times[0]);
console.log(`2-node loop, 1,000 steps, 40 interleaved rounds; load average ${loadavg().map((l) => l.toFixed(1)).join(" ")} on ${availableParallelism()} cores`);
for (let v = 0; v < variants.length; v++) console.log(`${variants[v][0].padEnd(22)} ${med(times[v]).toFixed(1).padStart(7)} ms/run  ${(med(times[v]) / m0).toFixed(2)}x`);
await onCaller.close();
await onThread.close();
rmSync(dir, { recursive: true, force: true });
