// A run whose executing process dies before the run's first checkpoint (SIGKILL; the process is made to
// save none: CHECKPOINTS_NEVER_SAVED) is continued by another process from its input, not from nothing
// (which failed with "Received no input writes") nor from an earlier run's checkpoint of its thread: the
// checkpoints carry the run's id (lib/graph's checkpointRunId), and the run is restarted with its input.
// The same for a queued run whose worker dies between taking it and its first checkpoint.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { assertContiguousAfter, collect, connect, isStatus, runIdOf, seqOf, stepOf, type Received, type TestClient } from "../test/harness";
import { deploymentServices } from "./test/deployment";
import { startClusterProcess, type ClusterProcess } from "./test/clusterProcess";

const { database, redis, skip, processEnv } = await deploymentServices();
after(async () => {
  await redis?.cleanup();
  await database?.drop();
});

describe("a run taken over before its first checkpoint starts from its input", { skip }, () => {
  let env: Record<string, string>;
  let b: ClusterProcess;
  let onB: TestClient;

  before(async () => {
    env = processEnv({ RILL_LEASE_MS: "1000" });
    b = await startClusterProcess({ ...env, RILL_INSTANCE_ID: "keeps-b" });
    onB = connect(b);
  });

  after(async () => {
    await onB?.close();
    await b?.stop();
  });

  /** Starts `input` on a process that saves no checkpoint and hangs "steps" in step `hangAt`; kills it there. */
  async function killedBeforeCheckpoint(input: { total: number }, hangAt: number, threadId?: string): Promise<{ runId: string; lastSeen: Received }> {
    const a = await startClusterProcess({ ...env, RILL_INSTANCE_ID: "dies-a", RESTART_HANG_AT: String(hangAt), CHECKPOINTS_NEVER_SAVED: "1" });
    const onA = connect(a);
    const seen = await collect(onA, { graphId: "steps", input, streamMode: ["custom", "updates"], ...(threadId ? { threadId } : {}) }, (event) =>
      stepOf(event) === hangAt ? "stop" : undefined,
    );
    assert.equal(seen.error, undefined);
    await onA.close();
    await a.kill();
    return { runId: runIdOf(seen.events), lastSeen: seen.events.at(-1)! };
  }

  /** What B logs of the run after `lastSeen`, checked contiguous and ending done; answers its steps and updates. */
  async function continuedOnB(runId: string, lastSeen: Received): Promise<{ steps: number[]; updates: unknown[] }> {
    const rest = await collect(onB, { runId, lastEventId: lastSeen.id });
    assert.equal(rest.error, undefined);
    assertContiguousAfter(rest.events, lastSeen);
    assert.deepEqual(rest.events[0]!.data, ["status", { status: "running", resumed: true, worker: "keeps-b" }]);
    assert.ok(isStatus(rest.events.at(-1)!, "done"), `it finishes: ${JSON.stringify(rest.events.at(-1)!.data)}`);
    const whole = await collect(onB, { runId });
    assert.deepEqual(whole.events.map(seqOf), whole.events.map((_, i) => i), "the whole log: seqs 0..n, no gap, no repeat");
    return {
      steps: rest.events.map(stepOf).filter((s) => s !== undefined),
      updates: rest.events.filter((e) => e.data[0] === "updates").map((e) => e.data[1]),
    };
  }

  it("a new thread: the other process runs it from its input", async () => {
    const { runId, lastSeen } = await killedBeforeCheckpoint({ total: 4 }, 2);
    const { steps, updates } = await continuedOnB(runId, lastSeen);
    assert.deepEqual(steps, [1, 2, 3, 4], "from the first step: the dead process had saved no checkpoint");
    assert.deepEqual(updates, [1, 2, 3, 4].map((n) => ({ step: { n } })));
    assert.equal((await onB.trpc.runs.get.query({ runId })).worker, "keeps-b");
  });

  it("a thread with an earlier run: its input applies on top of that run's state, not its checkpoint continued", async () => {
    const first = await collect(onB, { graphId: "steps", input: { total: 2 }, streamMode: ["custom"] });
    assert.ok(isStatus(first.events.at(-1)!, "done"));
    const threadId = (first.events.find((e) => e.data[0] === "metadata")!.data[1] as { thread_id: string }).thread_id;
    // The thread's state is n = 2; the second run counts on to 4 and dies in step 3, before its first checkpoint.
    const { runId, lastSeen } = await killedBeforeCheckpoint({ total: 4 }, 3, threadId);
    const { steps, updates } = await continuedOnB(runId, lastSeen);
    assert.deepEqual(steps, [3, 4], "the second run's steps, from its input (the first run's final checkpoint would end at once)");
    assert.deepEqual(updates, [{ step: { n: 3 } }, { step: { n: 4 } }]);
  });
});

describe("a queued run whose worker dies before the run's first checkpoint", { skip }, () => {
  const processes: ClusterProcess[] = [];
  let onApi: TestClient;

  after(async () => {
    await onApi?.close();
    await Promise.all(processes.map((p) => p.stop()));
  });

  it("is continued from its input by the next worker, followed from the API process", async () => {
    const env = { DATABASE_URL: database!.url, REDIS_URL: redis!.url, RILL_REDIS_PREFIX: `${redis!.prefix}queued:`, RILL_LEASE_MS: "1000" };
    const api = await startClusterProcess({ ...env, RILL_INSTANCE_ID: "queue-api", RILL_ROLE: "api" });
    // The only worker at first: it takes the queued run, saves no checkpoint and hangs in step 2.
    const dies = await startClusterProcess({ ...env, RILL_INSTANCE_ID: "queue-dies", RILL_ROLE: "worker", RESTART_HANG_AT: "2", CHECKPOINTS_NEVER_SAVED: "1" });
    processes.push(api, dies);
    onApi = connect(api);
    const seen = await collect(onApi, { graphId: "steps", input: { total: 3 }, streamMode: ["custom"] }, (event) => (stepOf(event) === 2 ? "stop" : undefined));
    const runId = runIdOf(seen.events);
    assert.equal((await onApi.trpc.runs.get.query({ runId })).worker, "queue-dies");
    await dies.kill();
    processes.push(await startClusterProcess({ ...env, RILL_INSTANCE_ID: "queue-next", RILL_ROLE: "worker" }));

    const rest = await collect(onApi, { runId, lastEventId: seen.events.at(-1)!.id });
    assert.equal(rest.error, undefined);
    assertContiguousAfter(rest.events, seen.events.at(-1)!);
    assert.deepEqual(rest.events[0]!.data, ["status", { status: "running", resumed: true, worker: "queue-next" }]);
    assert.deepEqual(rest.events.map(stepOf).filter((s) => s !== undefined), [1, 2, 3], "from its input");
    assert.ok(isStatus(rest.events.at(-1)!, "done"));
  });
});
