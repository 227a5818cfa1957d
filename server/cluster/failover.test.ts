// Two real Rill processes on one PostgreSQL and one Redis (of this test's own): a run is cancelled and an
// interrupted run resumed from the process that does not execute them; then the executing process is
// killed (SIGKILL) mid-run and the other takes the run over once its lease expires, going on from the
// last checkpoint: the log continues with contiguous seqs after a ["status", { status: "running",
// resumed: true, worker }] event, and a subscriber that resumes with its lastEventId gets every later
// event exactly once.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { assertContiguousAfter, collect, isStatus, runIdOf, seqOf, stepOf, type TestClient } from "../test/harness";
import { deploymentServices, startProcessPair, type ProcessPair } from "./test/deployment";
import type { ClusterProcess } from "./test/clusterProcess";

const { database, redis, skip, processEnv } = await deploymentServices();

describe("runs outlive the process executing them", { skip }, () => {
  let pair: ProcessPair;
  let a: ClusterProcess, onA: TestClient, onB: TestClient;

  before(async () => {
    const env = processEnv({ RILL_LEASE_MS: "2000" });
    // A hangs "steps" in step 3 (it is killed there); B runs it through.
    pair = await startProcessPair({ ...env, RILL_INSTANCE_ID: "exec-a", RESTART_HANG_AT: "3" }, { ...env, RILL_INSTANCE_ID: "exec-b" });
    ({ a, onA, onB } = pair);
  });

  after(async () => {
    await pair?.close();
    await redis?.cleanup();
    await database?.drop();
  });

  it("cancels from B a run executing on A", async () => {
    let runId = "";
    let cancelled: Promise<{ status: string }> | null = null;
    const seen = collect(onA, { graphId: "steps", input: { total: 5 }, streamMode: ["custom"] }, (event) => {
      if (seqOf(event) === 0) runId = runIdOf([event]);
      if (stepOf(event) === 3) cancelled = onB.trpc.runs.cancel.mutate({ runId });
    });
    const { events, error } = await seen;
    assert.equal(error, undefined);
    assert.equal((await cancelled!)?.status, "cancelled", "runs.cancel on B answers once the run has ended on A");
    const last = events.at(-1)!;
    assert.ok(isStatus(last, "cancelled"), `A's subscriber ends with the cancel, got ${JSON.stringify(last.data)}`);
    const info = await onB.trpc.runs.get.query({ runId });
    assert.deepEqual([info.status, info.worker], ["cancelled", "exec-a"]);
  });

  it("resumes on B a run interrupted on A: B takes it over and finishes it", async () => {
    const asked = await collect(onA, { graphId: "approve", input: { topic: "x" }, streamMode: ["updates"] }, (event) =>
      isStatus(event, "interrupted") ? "stop" : undefined,
    );
    const runId = runIdOf(asked.events);
    await onB.trpc.runs.resume.mutate({ runId, resume: "yes" });
    const rest = await collect(onA, { runId, lastEventId: asked.events.at(-1)!.id });
    assert.equal(rest.error, undefined);
    assertContiguousAfter(rest.events, asked.events.at(-1)!);
    assert.ok(isStatus(rest.events.at(-1)!, "done"));
    assert.ok(rest.events.some((e) => JSON.stringify(e.data).includes('"answer":"yes"')), "finished with the answer given on B");
    assert.equal((await onA.trpc.runs.get.query({ runId })).worker, "exec-b");
  });

  it("SIGKILL of the executing process: the other takes the run over and finishes it, gap-free and duplicate-free", async () => {
    const seen = await collect(onA, { graphId: "steps", input: { total: 5 }, streamMode: ["custom", "updates"] }, (event) =>
      stepOf(event) === 3 ? "stop" : undefined,
    );
    const runId = runIdOf(seen.events);
    const lastSeen = seen.events.at(-1)!;
    await onA.close();
    await a.kill();

    const rest = await collect(onB, { runId, lastEventId: lastSeen.id });
    assert.equal(rest.error, undefined);
    assertContiguousAfter(rest.events, lastSeen);
    const moved = rest.events.find((e) => e.data[0] === "status")!;
    assert.deepEqual(moved.data, ["status", { status: "running", resumed: true, worker: "exec-b" }], "a status event says the run moved, and where");
    assert.deepEqual(rest.events.map(stepOf).filter((s) => s !== undefined), [3, 4, 5], "the unfinished step ran again, then the rest");
    assert.ok(isStatus(rest.events.at(-1)!, "done"));
    const whole = await collect(onB, { runId });
    assert.deepEqual(whole.events.map(seqOf), whole.events.map((_, i) => i), "the whole log: seqs 0..n, no gap, no repeat");
    assert.equal((await onB.trpc.runs.get.query({ runId })).worker, "exec-b");
  });
});
