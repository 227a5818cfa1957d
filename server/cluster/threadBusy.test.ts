// Double texting across processes: a thread's run going on one process is seen as going by every other
// (its lease in PostgreSQL names its thread), so a run started on the thread elsewhere gets its
// multitaskStrategy — reject (CONFLICT naming the run), interrupt (the run is cancelled on the process
// executing it, then the new one starts), rollback (the same, and the cancelled run's checkpoints are
// dropped from the shared store), enqueue (starts once it has ended) — and of two processes starting a run
// on one idle thread at once, one starts and the other is refused. A run's lease is written before its
// record: a lease without a record keeps its thread busy (a run being started) until it expires.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type pg from "pg";
import { testPool } from "../../lib/graph/checkpoint/postgres/test/testDatabase";
import { collect, isStatus, runIdOf, seqOf, type Received, type TestClient } from "../test/harness";
import type { StreamRunInput } from "../procedureInputs";
import { deploymentServices, startProcessPair, type ProcessPair } from "./test/deployment";

const { database, redis, skip, processEnv } = await deploymentServices();

const threadOf = (events: Received[]) => (events.find((e) => e.data[0] === "metadata")!.data[1] as { thread_id: string }).thread_id;

/** Starts a run and stops at its first event: its id and thread, or the error it was refused with. */
async function started(client: TestClient, input: StreamRunInput): Promise<{ runId?: string; threadId?: string; error?: string }> {
  const { events, error } = await collect(client, input, (event) => (seqOf(event) === 0 ? "stop" : undefined));
  return error ? { error: error.message } : { runId: runIdOf(events), threadId: threadOf(events) };
}

describe("a thread's run on one process is seen by the others", { skip }, () => {
  let pair: ProcessPair;
  let pool: pg.Pool;

  before(async () => {
    pool = testPool(database!.url, 2);
    const env = processEnv({ TICK_MS: "5" });
    // "steps" hangs in step 1 on A: a run started there stays running until cancelled.
    // A logs its info lines: a test waits for one (a start waiting for a run's record).
    pair = await startProcessPair({ ...env, RILL_INSTANCE_ID: "thread-a", RESTART_HANG_AT: "1", LOG_LEVEL: "info" }, { ...env, RILL_INSTANCE_ID: "thread-b" });
  });

  after(async () => {
    await pool?.end();
    await pair?.close();
    await redis?.cleanup();
    await database?.drop();
  });

  it("reject: a run on a thread busy on A is refused on B, naming A's run; interrupt: B cancels it on A and runs", async () => {
    const { onA, onB } = pair;
    const first = await started(onA, { graphId: "steps", input: { total: 2 }, streamMode: ["custom"] });
    assert.ok(first.runId, first.error);
    const threadId = first.threadId!;
    assert.equal((await onB.trpc.threads.get.query({ threadId })).status, "busy", "B sees the thread busy");

    const refused = await started(onB, { graphId: "steps", input: { total: 2 }, streamMode: ["custom"], threadId, multitaskStrategy: "reject" });
    assert.match(refused.error ?? "", new RegExp(`thread "${threadId}" is busy with run "${first.runId}"`));

    const { events, error } = await collect(onB, { graphId: "steps", input: { total: 2 }, streamMode: ["custom"], threadId, multitaskStrategy: "interrupt" });
    assert.equal(error, undefined);
    assert.ok(isStatus(events.at(-1)!, "done"), "the new run ran on B");
    const cancelled = await onB.trpc.runs.get.query({ runId: first.runId! });
    assert.equal(cancelled.status, "cancelled");
    assert.match(cancelled.reason ?? "", /interrupted by a new run on its thread \(multitaskStrategy "interrupt"\)/);
  });

  it("rollback: B cancels the thread's run on A and drops its checkpoints; B's run goes on from the state before it", async () => {
    const { onA, onB } = pair;
    const made = await collect(onB, { graphId: "ticks", input: { total: 1 }, streamMode: ["custom"] });
    assert.ok(isStatus(made.events.at(-1)!, "done"));
    const threadId = threadOf(made.events);
    const firstRun = runIdOf(made.events);
    // A's run on the thread, followed until its first superstep's checkpoint is saved (tick 11 is in the second).
    const held = await collect(onA, { graphId: "ticks", input: { total: 10_000 }, streamMode: ["custom"], threadId }, (event) =>
      event.data[0] === "custom" && (event.data[1] as { tick: number }).tick >= 11 ? "stop" : undefined,
    );
    const heldRun = runIdOf(held.events);
    const runsIn = async () => new Set((await onB.trpc.threads.history.query({ threadId, limit: 100 })).map((c) => c.metadata.run_id));
    assert.ok((await runsIn()).has(heldRun), "A's run has saved checkpoints on the thread");

    const { events, error } = await collect(onB, { graphId: "ticks", input: { total: 3 }, streamMode: ["custom"], threadId, multitaskStrategy: "rollback" });
    assert.equal(error, undefined);
    assert.ok(isStatus(events.at(-1)!, "done"), "the new run ran on B");
    assert.deepEqual(events.filter((e) => e.data[0] === "custom").map((e) => (e.data[1] as { tick: number }).tick), [2, 3], "from the state before A's run (n = 1)");
    const cancelled = await onB.trpc.runs.get.query({ runId: heldRun });
    assert.equal(cancelled.status, "cancelled");
    assert.match(cancelled.reason ?? "", /rollback/);
    assert.deepEqual(await runsIn(), new Set([firstRun, runIdOf(events)]), "no checkpoint of A's run is left");
    assert.deepEqual((await onA.trpc.threads.get.query({ threadId })).values, { total: 3, n: 3 });
  });

  it("enqueue: a run on a thread busy on A starts on B once A's run has ended", async () => {
    const { onA, onB } = pair;
    const first = await started(onA, { graphId: "ticks", input: { total: 30 }, streamMode: ["custom"] });
    assert.ok(first.runId, first.error);
    const { events, error } = await collect(onB, { graphId: "ticks", input: { total: 3 }, streamMode: ["custom"], threadId: first.threadId!, multitaskStrategy: "enqueue" });
    assert.equal(error, undefined);
    assert.ok(isStatus(events.at(-1)!, "done"));
    const before = await onB.trpc.runs.get.query({ runId: first.runId! });
    assert.equal(before.status, "done", "A's run ended by itself, not cancelled");
    const second = await onB.trpc.runs.get.query({ runId: runIdOf(events) });
    assert.ok(second.createdAt >= before.updatedAt, "the enqueued run started after the first ended");
  });

  /** A new thread (a run of it done on B), and a lease on it for `runId` with no run record: what a process writes first when it starts a run (ClusterRunStore.create). */
  async function threadWithLeaseOnly(runId: string): Promise<{ threadId: string; leaseCount: () => Promise<number> }> {
    const made = await collect(pair.onB, { graphId: "ticks", input: { total: 1 }, streamMode: ["custom"] });
    const threadId = threadOf(made.events);
    await pool.query("INSERT INTO rill_run_leases (run_id, worker, expires_at, thread_id) VALUES ($1, 'another-process', now() + interval '1 hour', $2)", [runId, threadId]);
    return { threadId, leaseCount: async () => (await pool.query("SELECT 1 FROM rill_run_leases WHERE run_id = $1", [runId])).rowCount ?? 0 };
  }

  it("a run being started (its lease written, no record yet) keeps its thread busy: a start elsewhere waits for the record, and is refused naming it when none comes", { timeout: 60_000 }, async () => {
    const { threadId, leaseCount } = await threadWithLeaseOnly("run_being_started");
    const refused = await started(pair.onA, { graphId: "ticks", input: { total: 2 }, streamMode: ["custom"], threadId, multitaskStrategy: "reject" });
    assert.match(refused.error ?? "", new RegExp(`thread "${threadId}" is busy with run "run_being_started"`));
    assert.equal(await leaseCount(), 1, "the lease is kept");
  });

  it("a lease whose process died before writing the run's record: once it expires it is dropped, and the waiting start goes on", { timeout: 60_000 }, async () => {
    const { threadId, leaseCount } = await threadWithLeaseOnly("run_never_recorded");
    const start = collect(pair.onA, { graphId: "ticks", input: { total: 2 }, streamMode: ["custom"], threadId, multitaskStrategy: "reject" });
    await pair.a.stderrMatches(/waiting for its record runId=run_never_recorded/);
    assert.equal(await leaseCount(), 1, "kept while it has not expired");
    await pool.query("UPDATE rill_run_leases SET expires_at = now() - interval '1 second' WHERE run_id = 'run_never_recorded'");
    const { events, error } = await start;
    assert.equal(error, undefined);
    assert.ok(isStatus(events.at(-1)!, "done"), "the run ran on A");
    assert.equal(await leaseCount(), 0, "the expired lease without a run is gone");
  });

  it("two processes starting a run on one idle thread at once: one starts, the other is refused", async () => {
    const { onA, onB } = pair;
    const made = await collect(onB, { graphId: "ticks", input: { total: 1 }, streamMode: ["custom"] });
    const threadId = threadOf(made.events);
    const input: StreamRunInput = { graphId: "ticks", input: { total: 60 }, streamMode: ["custom"], threadId, multitaskStrategy: "reject" };
    const race = await Promise.all([started(onA, input), started(onB, input)]);
    assert.equal(race.filter((r) => r.runId).length, 1, `one started: ${JSON.stringify(race)}`);
    const winner = race.find((r) => r.runId)!;
    assert.match(race.find((r) => r.error)!.error!, new RegExp(`thread "${threadId}" is busy with run "${winner.runId}"`));
  });
});
