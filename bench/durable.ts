// npm run bench:durable — what durability costs per step (issue 16, part a).
//
//   a 2-node loop of LOOP_STEPS steps streamed in "updates", a new thread per run, checkpointed by:
//   - Rill's engine with Rill's MemorySaver (in memory: the baseline),
//   - Rill's engine with Rill's SqliteSaver (a file in a temp dir; committing on its thread, the default, and
//     on the caller's thread) and PostgresSaver (DATABASE_URL, else
//     the local server at 127.0.0.1:5432 in a database of its own, created and dropped here),
//   - LangGraph.js 1.7.3 with @langchain/langgraph-checkpoint-sqlite's SqliteSaver and
//     @langchain/langgraph-checkpoint-postgres's PostgresSaver, on the same graph and the same databases.
// Every run's writes have committed when it is timed as done (Rill's run awaits its saver's writes before
// ending; LangGraph.js's too). Medians after warm-up (medianTimer.ts); LangGraph.js gets few runs. Each of
// Rill's variants runs alone in a fresh process (durableVariant.ts), in PROCESSES processes, the variants
// taking turns; its figure is the median of its processes: on this machine one process's in-memory step
// came out anywhere between 2.7 and 5.6 µs by chance (the durable steps far less so), so a single process's
// figure made the ratio a draw. Under each variant, the share of the time its threads were busy (the
// engine's, and SQLite's commit thread): what bounds the step. LangGraph.js's savers are measured in this
// process, after Rill's.
//
// Goals: Rill's durable savers ≤ 3x Rill in memory, and ≥ 50x faster than LangGraph.js on the same
// database. Prints the figures; exit code 1 when a goal measured fails. Then parts b and c (the durable
// run stores: run-log throughput and start-up), in durableRuns.ts.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { GraphLib } from "../lib/graph/test/differential/graphLibrary";
import { median, timeRuns, type TimingOptions } from "./medianTimer";
import { compileLoop } from "./engineWorkloads";
import type { Busy, Variant } from "./durableVariant";

export const LOOP_STEPS = 1_000;
/** Fresh processes per Rill variant. */
const PROCESSES = 5;
export const RILL_TIMING: TimingOptions = { warmup: 3, minWarmupMs: 300, minRepeats: 9, maxRepeats: 60, minTotalMs: 1_500, minBatchMs: 25 };
const LANGGRAPH_TIMING: TimingOptions = { warmup: 1, minRepeats: 3, maxRepeats: 3, minTotalMs: 0 };
const GOAL_VS_MEMORY = 3;
const GOAL_VS_LANGGRAPH = 50;

let threads = 0;

/**
 * The loop, compiled with `checkpointer`; the returned function runs it once on a new thread. `forget`:
 * then deletes the thread (timed with the run), for a saver that keeps every checkpoint in this process's
 * heap: without it, the in-memory baseline's step would cost more with every run the timer adds (its
 * collections walk a heap holding every earlier run), while a durable saver's rows leave the heap.
 */
export function buildCheckpointedLoop(lg: GraphLib, checkpointer: unknown, steps = LOOP_STEPS, forget = false) {
  const graph = compileLoop(lg, steps, { checkpointer });
  const saver = checkpointer as { deleteThread(threadId: string): Promise<void> };
  return async (): Promise<number> => {
    let last = 0;
    const threadId = `bench-${process.pid}-${++threads}`;
    const config = { configurable: { thread_id: threadId }, streamMode: "updates" as const, recursionLimit: steps + 1 };
    for await (const chunk of await graph.stream({ n: 0 }, config)) last = Object.values(chunk as Record<string, { n: number }>)[0]!.n;
    if (last !== steps) throw new Error(`the loop ended at ${last}, not ${steps}`);
    if (forget) await saver.deleteThread(threadId);
    return last;
  };
}

interface Row {
  label: string;
  usPerStep: number;
}

async function measure(label: string, run: () => Promise<unknown>, timing: TimingOptions): Promise<Row> {
  const t = await timeRuns(run, timing);
  const row = { label, usPerStep: (t.medianMs * 1000) / LOOP_STEPS };
  console.log(`  ${label.padEnd(46)} ${row.usPerStep.toFixed(2).padStart(10)} µs/step   (samples ${t.samplesMs.length}, median of ${median(t.samplesMs).toFixed(1)} ms/run)`);
  return row;
}

interface VariantResult {
  usPerStep: number;
  busy: Busy;
}

/** Runs `variant` alone in a fresh process (durableVariant.ts); returns its µs per step and its threads' busy time. */
function runVariant(variant: Variant, dir: string, url: string | undefined): VariantResult {
  const script = fileURLToPath(new URL("./durableVariant.ts", import.meta.url));
  const args = ["--import", "tsx", script, variant, dir, ...(url === undefined ? [] : [url])];
  const out = execFileSync(process.execPath, args, { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  return JSON.parse(out.trim().split("\n").pop()!) as VariantResult;
}

async function postgresUrl(): Promise<{ url: string; cleanup: () => Promise<void> } | null> {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, cleanup: async () => undefined };
  const { createTestDatabase } = await import("../lib/graph/checkpoint/postgres/test/testDatabase");
  const db = await createTestDatabase().catch(() => null);
  return db === null ? null : { url: db.url, cleanup: db.drop };
}

export async function main(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), "rill-bench-durable-"));
  const pg = await postgresUrl();
  const cleanups: Array<() => Promise<unknown> | unknown> = [() => rmSync(dir, { recursive: true, force: true })];
  if (pg !== null) cleanups.push(pg.cleanup);
  let failed = false;
  try {
    console.log(`durable checkpointers: 2-node loop, ${LOOP_STEPS.toLocaleString("en")} steps, stream "updates", a new thread per run; Rill's variants ${PROCESSES} processes each, in turn`);
    const variants: Variant[] = pg === null ? ["memory", "sqlite", "sqlite-caller"] : ["memory", "sqlite", "sqlite-caller", "postgres"];
    if (pg === null) console.log("  PostgreSQL: skipped (no DATABASE_URL and no server at 127.0.0.1:5432)");
    const perProcess = new Map<Variant, VariantResult[]>(variants.map((v) => [v, []]));
    for (let round = 0; round < PROCESSES; round++) {
      for (const variant of variants) perProcess.get(variant)!.push(runVariant(variant, dir, pg?.url));
    }
    const labels: Record<Variant, string> = {
      memory: "Rill, MemorySaver (in memory)",
      sqlite: "Rill, SqliteSaver (file, WAL, commit thread)",
      "sqlite-caller": "Rill, SqliteSaver (commitThread: false)",
      postgres: "Rill, PostgresSaver",
    };
    const rows = new Map<Variant, Row>();
    for (const variant of variants) {
      const results = perProcess.get(variant)!;
      const samples = results.map((r) => r.usPerStep);
      const row = { label: labels[variant], usPerStep: median(samples) };
      rows.set(variant, row);
      console.log(`  ${row.label.padEnd(46)} ${row.usPerStep.toFixed(2).padStart(10)} µs/step   (median of ${samples.length} processes: ${samples.map((x) => x.toFixed(2)).join(", ")})`);
      const commitThread = results.flatMap((r) => (r.busy.commitThread === undefined ? [] : [r.busy.commitThread]));
      const percent = (share: number) => `${Math.round(share * 100)}%`;
      console.log(
        `  ${"".padEnd(46)} busy: the engine's thread ${percent(median(results.map((r) => r.busy.engine)))} of the time` +
          (commitThread.length > 0 ? `, the commit thread ${percent(median(commitThread))}` : "") +
          " (medians)",
      );
    }
    const memory = rows.get("memory")!.usPerStep;
    const sqlite = rows.get("sqlite")!;
    const sqliteCaller = rows.get("sqlite-caller")!;
    const postgres = rows.get("postgres") ?? null;

    const langgraph = await import("@langchain/langgraph");
    const { SqliteSaver: LangGraphSqliteSaver } = await import("@langchain/langgraph-checkpoint-sqlite");
    const lgSqlite = LangGraphSqliteSaver.fromConnString(join(dir, "langgraph.db"));
    const lgSqliteRow = await measure("LangGraph.js, SqliteSaver (same kind of file)", buildCheckpointedLoop(langgraph as unknown as GraphLib, lgSqlite), LANGGRAPH_TIMING);
    const goals: Array<[string, number, number, "≤" | "≥"]> = [
      ["SQLite vs in-memory (Rill)", sqlite.usPerStep / memory, GOAL_VS_MEMORY, "≤"],
      ["SQLite: LangGraph.js / Rill", lgSqliteRow.usPerStep / sqlite.usPerStep, GOAL_VS_LANGGRAPH, "≥"],
    ];
    if (pg !== null && postgres !== null) {
      const { PostgresSaver: LangGraphPostgresSaver } = await import("@langchain/langgraph-checkpoint-postgres");
      const lgPg = LangGraphPostgresSaver.fromConnString(pg.url, { schema: `lg_bench_${process.pid}` });
      cleanups.unshift(async () => {
        await (lgPg as unknown as { pool: { query(q: string): Promise<unknown> } }).pool.query(`DROP SCHEMA IF EXISTS lg_bench_${process.pid} CASCADE`);
        await lgPg.end();
      });
      await lgPg.setup();
      const lgPgRow = await measure("LangGraph.js, PostgresSaver (same database)", buildCheckpointedLoop(langgraph as unknown as GraphLib, lgPg), LANGGRAPH_TIMING);
      goals.push(["PostgreSQL vs in-memory (Rill)", postgres.usPerStep / memory, GOAL_VS_MEMORY, "≤"]);
      goals.push(["PostgreSQL: LangGraph.js / Rill", lgPgRow.usPerStep / postgres.usPerStep, GOAL_VS_LANGGRAPH, "≥"]);
    }
    console.log(`  (in memory ${memory.toFixed(2)} µs/step; SQLite on the caller's thread: ${(sqliteCaller.usPerStep / memory).toFixed(1)}x in-memory, LangGraph.js / Rill ${(lgSqliteRow.usPerStep / sqliteCaller.usPerStep).toFixed(1)}x; load average ${loadavg().map((l) => l.toFixed(1)).join(" ")} on ${availableParallelism()} cores)`);
    console.log("goals:");
    for (const [label, ratio, goal, sense] of goals) {
      const ok = sense === "≤" ? ratio <= goal : ratio >= goal;
      if (!ok) failed = true;
      console.log(`  ${label.padEnd(34)} ${ratio.toFixed(1).padStart(7)}x   goal ${sense} ${goal}x   ${ok ? "met" : "NOT MET"}`);
    }
  } finally {
    for (const cleanup of cleanups) await cleanup();
  }
  return failed ? 1 : 0;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const checkpointers = await main();
  const { durableRunStoreBench } = await import("./durableRuns");
  const runStores = (await durableRunStoreBench()) ? 0 : 1;
  process.exit(checkpointers || runStores);
}
