// npx tsx bench/durableInterleaved.ts — bench:durable's SQLite and PostgreSQL ratios, measured so that load
// drift cancels: the in-memory loop, SQLite committing on the caller's thread, SQLite with its commit thread
// and PostgresSaver (DATABASE_URL, else the local server in a database of its own; skipped when none
// answers) run in turn, round after round (40 rounds after 5 of warm-up), and each is the median of its rounds. On a
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
const pg = await postgres();
if (pg !== null) variants.push(["postgres", buildCheckpointedLoop(rill, pg.saver)]);
else console.log("PostgreSQL: skipped (no DATABASE_URL and no server at 127.0.0.1:5432)");
const times = variants.map(() => [] as number[]);
for (let i = 0; i < 5; i++) for (const [, f] of variants) await f();
for (let i = 0; i < 40; i++) for (let v = 0; v < variants.length; v++) { const a = performance.now(); await variants[v][1](); times[v].push(performance.now() - a); }
const med = (x: number[]) => [...x].sort((a, b) => a - b)[x.length >> 1];
const m0 = med(times[0]);
console.log(`2-node loop, 1,000 steps, 40 interleaved rounds; load average ${loadavg().map((l) => l.toFixed(1)).join(" ")} on ${availableParallelism()} cores`);
for (let v = 0; v < variants.length; v++) console.log(`${variants[v][0].padEnd(22)} ${med(times[v]).toFixed(1).padStart(7)} ms/run  ${(med(times[v]) / m0).toFixed(2)}x`);
await pg?.close();
await onCaller.close();
await onThread.close();
rmSync(dir, { recursive: true, force: true });

/** A PostgresSaver in a schema of its own (DATABASE_URL), or in a test database created and dropped here. */
async function postgres() {
  const { PostgresSaver } = await import("../lib/graph/checkpoint/postgres/index");
  const { createTestDatabase } = await import("../lib/graph/checkpoint/postgres/test/testDatabase");
  const db = process.env.DATABASE_URL ? { url: process.env.DATABASE_URL, drop: async () => undefined } : await createTestDatabase().catch(() => null);
  if (db === null) return null;
  const schema = `rill_interleaved_${process.pid}`;
  const saver = new PostgresSaver({ connectionString: db.url, schema });
  await saver.setup();
  return {
    saver,
    async close() {
      await saver.pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await saver.close();
      await db.drop();
    },
  };
}
