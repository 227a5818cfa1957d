// One of bench:durable's Rill variants (part a), measured alone in this process: `tsx bench/durableVariant.ts
// <variant> [dir] [postgres url]` prints one line of JSON, { usPerStep, busy }. durable.ts runs each variant
// in several such processes, the variants taking turns, so that no variant's figure depends on what another
// one left in the process (JIT feedback, heap size) and one process's chance state weighs as one sample.
// `busy`: the share of the time the engine's thread (and SQLite's commit thread) did not wait, over
// UTILIZATION_RUNS more runs after the timing: a thread busy nearly all the time is what bounds the step.
//   memory         Rill's MemorySaver (the baseline; each run's thread deleted, timed with the run)
//   sqlite         SqliteSaver on a file in `dir` (WAL, the commit thread: the default)
//   sqlite-caller  the same with `commitThread: false`
//   postgres       PostgresSaver on `url`, in a schema of its own, dropped at the end
import { rmSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import type { SqliteSaver } from "../lib/graph/checkpoint/sqlite/index";
import type { GraphLib } from "../lib/graph/test/differential/graphLibrary";
import { buildCheckpointedLoop, LOOP_STEPS, RILL_TIMING } from "./durable";
import { timeRuns } from "./medianTimer";

/** The share of the time (0 to 1) the engine's thread, and SQLite's commit thread, were busy. */
export interface Busy {
  engine: number;
  commitThread?: number;
}

export const VARIANTS = ["memory", "sqlite", "sqlite-caller", "postgres"] as const;
export type Variant = (typeof VARIANTS)[number];

const [variant, dir, url] = process.argv.slice(2) as [Variant, string | undefined, string | undefined];
if (!VARIANTS.includes(variant)) throw new Error(`durableVariant.ts: the variant must be one of ${VARIANTS.join(", ")}, got ${String(variant)}`);
const rill = (await import("../lib/graph/index")) as unknown as GraphLib;
/** Runs after the timing, over which the threads' busy time is read. */
const UTILIZATION_RUNS = 40;

let saver: unknown;
let done: () => Promise<void> = async () => undefined;
let commitThread: SqliteSaver | null = null;
if (variant === "memory") {
  const { MemorySaver } = await import("../lib/graph/index");
  saver = new MemorySaver();
} else if (variant === "sqlite" || variant === "sqlite-caller") {
  if (dir === undefined) throw new Error(`durableVariant.ts ${variant}: pass the directory for its file`);
  const { SqliteSaver } = await import("../lib/graph/checkpoint/sqlite/index");
  const file = join(dir, `rill-${variant}-${process.pid}.db`);
  const sqlite = new SqliteSaver(file, { commitThread: variant === "sqlite" });
  saver = sqlite;
  if (variant === "sqlite") commitThread = sqlite;
  // The file (hundreds of megabytes after the timing) goes with the process, as the PostgreSQL schema does.
  done = async () => {
    await sqlite.close();
    for (const suffix of ["", "-wal", "-shm"]) rmSync(file + suffix, { force: true });
  };
} else {
  if (url === undefined) throw new Error("durableVariant.ts postgres: pass the database URL");
  const { PostgresSaver } = await import("../lib/graph/checkpoint/postgres/index");
  const schema = `rill_bench_${process.pid}`;
  const pg = new PostgresSaver({ connectionString: url, schema });
  await pg.setup();
  saver = pg;
  done = async () => {
    await pg.pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await pg.close();
  };
}
try {
  const run = buildCheckpointedLoop(rill, saver, LOOP_STEPS, variant === "memory");
  const timing = await timeRuns(run, RILL_TIMING);
  const engine = performance.eventLoopUtilization();
  const thread = commitThread?.commitThreadUtilization();
  for (let i = 0; i < UTILIZATION_RUNS; i++) await run();
  const busy: Busy = { engine: performance.eventLoopUtilization(engine).utilization };
  if (thread !== undefined) busy.commitThread = commitThread!.commitThreadUtilization(thread)!.utilization;
  console.log(JSON.stringify({ usPerStep: (timing.medianMs * 1000) / LOOP_STEPS, busy }));
} finally {
  await done();
}
