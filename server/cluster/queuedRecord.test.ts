// A queued run's record and its queued lease are one transaction (the run store's commit), against a real
// PostgreSQL: once createQueued resolves both are there, the record keeps its start options (read back from
// the database) and a worker takes the run;
// when the lease cannot be written, the record is not either (nothing is left `running` with no lease).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type pg from "pg";
import { createPool } from "../../lib/graph/checkpoint/postgres/connection";
import { createTestDatabase, postgresSkipReason } from "../../lib/graph/checkpoint/postgres/test/testDatabase";
import type { RunStoreLimits } from "../runs/runStore";
import type { DurableRunStore } from "../runs/stores/durable/durableRunStore";
import { openPostgresRunStore } from "../runs/stores/postgres/postgresRunStore";
import { RunLeases } from "./runLeases";

const database = await createTestDatabase();
const roomy: RunStoreLimits = { maxEventsPerRun: 1000, maxBytesPerRun: 1e9, maxRuns: 100, maxTotalBytes: 1e12, maxAgeMs: 60_000 };
const meta = (runId: string) => ({ run_id: runId, graph_id: "g", stream_mode: ["custom" as const], created_at: "2026-01-01T00:00:00.000Z" });
const start = { configurable: { thread_id: "t" }, recursionLimit: 7 };

describe("a queued run's record and lease are written together", { skip: database ? false : postgresSkipReason }, () => {
  let pool: pg.Pool;
  let store: DurableRunStore;

  before(async () => {
    store = await openPostgresRunStore(database!.url, roomy, undefined, { sharedDatabase: true });
    pool = createPool(database!.url);
  });

  after(async () => {
    await store?.close();
    await pool?.end();
    await database?.drop();
  });

  const rowsOf = async (runId: string) => ({
    runs: (await pool.query("SELECT 1 FROM rill_runs WHERE run_id = $1", [runId])).rowCount,
    leases: (await pool.query<{ worker: string; start: string }>("SELECT worker, start FROM rill_run_leases WHERE run_id = $1", [runId])).rows,
  });

  it("both are there once it resolves, the record with its start options, and a worker takes the run", async () => {
    const record = await store.createQueued(meta("queued-1"), { total: 1 }, start, "{}");
    assert.deepEqual([record.status, record.executor, record.start], ["running", undefined, start]);
    const { runs, leases } = await rowsOf("queued-1");
    assert.equal(runs, 1);
    assert.deepEqual(leases, [{ worker: "", start: "{}" }]);
    assert.deepEqual((await store.reload("queued-1"))?.start, start, "read back from the database");
    const taken = await new RunLeases(pool, "worker-1", 60_000).takeExpired(5);
    assert.deepEqual(taken, [{ runId: "queued-1", cancel: null, start: {} }]);
  });

  it("when the lease cannot be written, neither is the record", async () => {
    // A lease row already there for the run id: the queued lease's INSERT fails, and with it the whole commit.
    await pool.query("INSERT INTO rill_run_leases (run_id, worker, expires_at) VALUES ('queued-2', 'someone', now())");
    await assert.rejects(store.createQueued(meta("queued-2"), { total: 1 }, start, "{}"), /duplicate key/);
    const { runs, leases } = await rowsOf("queued-2");
    assert.equal(runs, 0, "no record without its lease");
    assert.deepEqual(leases, [{ worker: "someone", start: null }]);
  });
});
