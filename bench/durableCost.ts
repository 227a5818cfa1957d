// npx tsx bench/durableCost.ts — where a durable step's time goes (bench:durable part a, SQLite): the same
// 2-node loop of 1,000 steps, a new thread per run, with
//   memory      Rill's MemorySaver (the baseline),
//   prepared    Rill's SqliteSaver whose batches are dropped instead of committed: the engine's queued path
//               and the saver's preparation (JSON encoding of each checkpoint and write, the ops),
//   + layouts   the same, the layouts of each batch resolved too (still no database),
//   SQLite      Rill's SqliteSaver committing to a file (WAL), on the caller's thread.
// The variants take turns, the order rotating every round (so neither position nor load drift favours one),
// 48 rounds after 5 of warm-up; each figure is the median of its rounds, wall-clock and process CPU time
// (user + system: what the step costs whether or not the machine is busy). No goal is checked here.
import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import type { GraphLib } from "../lib/graph/test/differential/graphLibrary";
import type { SaverOp } from "../lib/graph/checkpoint/durable/records";
import { median } from "./medianTimer";
import { buildCheckpointedLoop, LOOP_STEPS } from "./durable";

const ROUNDS = 48;
const WARMUP = 5;

const rill = (await import("../lib/graph/index")) as unknown as GraphLib;
const { MemorySaver } = await import("../lib/graph/index");
const { SqliteSaver } = await import("../lib/graph/checkpoint/sqlite/index");

/** Prepares every checkpoint and write as SqliteSaver does, and drops each batch instead of committing it. */
class PreparedOnly extends SqliteSaver {
  protected override commitBatch(): void {}
}

/** The same, resolving each batch's layouts (SqliteSaver's step before its inserts). */
class LayoutsOnly extends SqliteSaver {
  protected override commitBatch(ops: SaverOp[]): void {
    this.layouts.resolveSync(ops, () => undefined);
  }
}

const dir = mkdtempSync(join(tmpdir(), "rill-bench-durable-cost-"));
const savers = [new PreparedOnly(":memory:"), new LayoutsOnly(":memory:"), new SqliteSaver(join(dir, "cost.db"), { commitThread: false })];
const variants: Array<[string, () => Promise<unknown>]> = [
  ["memory", buildCheckpointedLoop(rill, new MemorySaver())],
  ["prepared (no database)", buildCheckpointedLoop(rill, savers[0])],
  ["+ layouts (no database)", buildCheckpointedLoop(rill, savers[1])],
  ["SQLite (file, WAL)", buildCheckpointedLoop(rill, savers[2])],
];
const wall = variants.map(() => [] as number[]);
const cpu = variants.map(() => [] as number[]);
try {
  for (let i = 0; i < WARMUP; i++) for (const [, run] of variants) await run();
  for (let round = 0; round < ROUNDS; round++) {
    for (let j = 0; j < variants.length; j++) {
      const v = (round + j) % variants.length;
      const cpuBefore = process.cpuUsage();
      const started = performance.now();
      await variants[v]![1]();
      wall[v]!.push(performance.now() - started);
      const used = process.cpuUsage(cpuBefore);
      cpu[v]!.push((used.user + used.system) / 1000);
    }
  }
  const perStep = (ms: number) => ((ms * 1000) / LOOP_STEPS).toFixed(1).padStart(6);
  console.log(`a durable step's cost: 2-node loop, ${LOOP_STEPS.toLocaleString("en")} steps, ${ROUNDS} rotating rounds; load average ${loadavg().map((l) => l.toFixed(1)).join(" ")} on ${availableParallelism()} cores`);
  const wall0 = median(wall[0]!);
  const cpu0 = median(cpu[0]!);
  for (let v = 0; v < variants.length; v++) {
    const w = median(wall[v]!);
    const c = median(cpu[v]!);
    console.log(`  ${variants[v]![0].padEnd(24)} wall ${perStep(w)} µs/step (${(w / wall0).toFixed(2)}x)   CPU ${perStep(c)} µs/step (${(c / cpu0).toFixed(2)}x)`);
  }
} finally {
  for (const saver of savers) await saver.close();
  rmSync(dir, { recursive: true, force: true });
}
