// Fencing against a real PostgreSQL, without processes: a run store whose lease of a run was taken over
// by another process (its own expired: it hung) has its commits of that run refused — its appends reject
// with LeaseLostError and the store is told — while its other runs' events in the same commit are written.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type pg from "pg";
import { createPool } from "../../lib/graph/checkpoint/postgres/connection";
import { createTestDatabase, postgresSkipReason } from "../../lib/graph/checkpoint/postgres/test/testDatabase";
import type { RunStoreLimits } from "../runs/runStore";
import { LeaseLostError } from "../runs/stores/durable/deploymentErrors";
import type { DurableRunStore } from "../runs/stores/durable/durableRunStore";
import { openPostgresRunStore } from "../runs/stores/postgres/postgresRunStore";
import { RunLeases } from "./runLeases";

const database = await createTestDatabase();
const roomy: RunStoreLimits = { maxEventsPerRun: 1000, maxBytesPerRun: 1e9, maxRuns: 100, maxTotalBytes: 1e12, maxAgeMs: 60_000 };
const meta = (runId: string) => ({ run_id: runId, graph_id: "g", stream_mode: ["custom" as const], created_at: "2026-01-01T00:00:00.000Z" });
const custom = (n: number) => JSON.stringify(["custom", { n }]);

describe("a commit is fenced by the lease generation", { skip: database ? false : postgresSkipReason }, () => {
  let pool: pg.Pool;
  let store: DurableRunStore;
  let hung: RunLeases;
  let other: RunLeases;
  const refused: string[] = [];

  before(async () => {
    store = await openPostgresRunStore(database!.url, roomy, undefined, {
      sharedDatabase: true,
      fence: { worker: "hung", generationOf: (runId) => hung.generationOf(runId) },
      onRefused: (runId) => refused.push(runId),
    });
    pool = createPool(database!.url);
    hung = new RunLeases(pool, "hung", 60_000);
    other = new RunLeases(pool, "other", 60_000);
  });

  after(async () => {
    await store?.close();
    await pool?.end();
    await database?.drop();
  });

  it("refuses the events of a run whose lease another process took, and writes the others'", async () => {
    await Promise.all([hung.acquire("taken"), hung.acquire("kept")]);
    await Promise.all([store.create(meta("taken"), {}), store.create(meta("kept"), {})]);
    assert.equal(await store.append("taken", custom(1)), 1, "written while the lease is held");
    const first = hung.generationOf("taken");
    assert.ok(first !== undefined);

    // "hung" stops renewing: its lease of "taken" expires and "other" takes it (a new generation).
    await pool.query("UPDATE rill_run_leases SET expires_at = '-infinity' WHERE run_id = 'taken'");
    const taken = await other.takeExpired(10);
    assert.deepEqual(taken.map((lease) => lease.runId), ["taken"]);
    assert.notEqual(other.generationOf("taken"), first, "a takeover is a new generation");

    // "hung" wakes and logs into both runs in one commit.
    const late = Promise.resolve(store.append("taken", custom(2)));
    const kept = Promise.resolve(store.append("kept", custom(1)));
    await assert.rejects(late, LeaseLostError);
    assert.equal(await kept, 1, "the run it still holds is written in the same commit");
    assert.deepEqual(refused, ["taken"], "the store is told which run was refused");

    const { rows } = await pool.query<{ run_id: string; last_seq: string }>("SELECT run_id, max(last_seq)::text AS last_seq FROM rill_run_event_chunks GROUP BY run_id ORDER BY run_id");
    assert.deepEqual(rows, [{ run_id: "kept", last_seq: "1" }, { run_id: "taken", last_seq: "1" }], "nothing of the refused commit reached the log");
    await assert.rejects(Promise.resolve(store.append("taken", custom(3))), LeaseLostError, "and nothing after it");
  });

  it("the same process taking the lease again (a resume here) writes again", async () => {
    await hung.acquire("taken");
    const reloaded = await store.reload("taken");
    assert.equal(reloaded?.lastSeq, 1);
    assert.equal(await store.append("taken", custom(2)), 2);
  });
});
