// A run continued by another process keeps everything it was started with, not only its thread: the
// client's configurable (the "steps" graph writes its `label`), its recursion limit and a fork's
// checkpoint_id. The executing process dies (SIGKILL) having saved no checkpoint (CHECKPOINTS_NEVER_SAVED),
// so the continuation starts from the input and must do exactly what an uninterrupted run does: the same
// steps with the same label, ending with the same recursion-limit error. The same for a queued run whose
// worker dies.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { StreamRunInput } from "../procedureInputs";
import { assertContiguousAfter, collect, connect, isStatus, runIdOf, stepOf, type Received, type TestClient } from "../test/harness";
import { deploymentServices } from "./test/deployment";
import { startClusterProcess, type ClusterProcess } from "./test/clusterProcess";

const { database, redis, skip, processEnv } = await deploymentServices();
after(async () => {
  await redis?.cleanup();
  await database?.drop();
});

/** A run that exceeds its recursion limit: 10 steps asked, 3 supersteps allowed. */
const limited: StreamRunInput = {
  graphId: "steps",
  input: { total: 10 },
  streamMode: ["custom"],
  config: { recursionLimit: 3, configurable: { label: "kept" } },
};

/** What a run did: its steps with their labels, and how it ended. */
function outcome(events: Received[]): { written: unknown[]; end: unknown } {
  return {
    written: events.filter((e) => e.data[0] === "custom").map((e) => e.data[1]),
    end: events.filter((e) => e.data[0] === "status").at(-1)?.data[1],
  };
}

/** The events after `lastSeen`, checked contiguous, starting with the takeover's status naming `worker`. */
async function continuation(client: TestClient, runId: string, lastSeen: Received, worker: string): Promise<Received[]> {
  const rest = await collect(client, { runId, lastEventId: lastSeen.id });
  assert.equal(rest.error, undefined);
  assertContiguousAfter(rest.events, lastSeen);
  assert.deepEqual(rest.events[0]!.data, ["status", { status: "running", resumed: true, worker }]);
  return rest.events.slice(1);
}

describe("a run taken over keeps its configurable, recursion limit and fork checkpoint", { skip }, () => {
  let env: Record<string, string>;
  let b: ClusterProcess;
  let onB: TestClient;

  before(async () => {
    env = processEnv({ RILL_LEASE_MS: "1000" });
    b = await startClusterProcess({ ...env, RILL_INSTANCE_ID: "kept-b" });
    onB = connect(b);
  });

  after(async () => {
    await onB?.close();
    await b?.stop();
  });

  /** Starts `request` on a process that saves no checkpoint (unless `saves`) and hangs "steps" in step `hangAt`; kills it there. */
  async function killedAt(request: StreamRunInput, hangAt: number, saves = false): Promise<{ runId: string; lastSeen: Received }> {
    const a = await startClusterProcess({ ...env, RILL_INSTANCE_ID: "kept-a", RESTART_HANG_AT: String(hangAt), ...(saves ? {} : { CHECKPOINTS_NEVER_SAVED: "1" }) });
    const onA = connect(a);
    const seen = await collect(onA, request, (event) => (stepOf(event) === hangAt ? "stop" : undefined));
    assert.equal(seen.error, undefined);
    if (saves && "threadId" in request && request.threadId !== undefined) {
      // The step before the hang was checkpointed in the background (durability "async"): its event may reach
      // the client before the checkpoint commits. Kill only once the thread's latest checkpoint is that step's.
      const threadId = request.threadId;
      while (((await onB.trpc.threads.get.query({ threadId })).values as { n?: number }).n !== hangAt - 1) await new Promise(setImmediate);
    }
    await onA.close();
    await a.kill();
    return { runId: runIdOf(seen.events), lastSeen: seen.events.at(-1)! };
  }

  it("the continuation writes the client's configurable and fails at the recursion limit as the run started would", async () => {
    const reference = await collect(onB, limited);
    const expected = outcome(reference.events);
    assert.ok(isStatus(reference.events.at(-1)!, "error"), `the limit matters: ${JSON.stringify(expected.end)}`);
    assert.ok(expected.written.length > 0 && expected.written.every((w) => (w as { label?: string }).label === "kept"));

    const { runId, lastSeen } = await killedAt(limited, 2);
    const rest = await continuation(onB, runId, lastSeen, "kept-b");
    assert.deepEqual(outcome(rest), expected, "same steps, same label, same recursion-limit error");
  });

  /** A thread whose run counted to 3, and the id of its checkpoint after step 1 (n = 1): where a fork starts. */
  async function threadToFork(): Promise<{ threadId: string; checkpointId: string }> {
    const { threadId } = await onB.trpc.threads.create.mutate({ graphId: "steps" });
    const first = await collect(onB, { graphId: "steps", threadId, input: { total: 3 }, streamMode: ["custom"] });
    assert.ok(isStatus(first.events.at(-1)!, "done"));
    const history = await onB.trpc.threads.history.query({ threadId });
    const forkAt = history.find((c) => (c.values as { n?: number }).n === 1 && c.next.includes("step"));
    assert.ok(forkAt, "a checkpoint of the first run after its step 1");
    return { threadId, checkpointId: forkAt.checkpointId };
  }

  it("a fork's continuation starts from the checkpoint it was started at, not the thread's latest", async () => {
    const { threadId, checkpointId } = await threadToFork();
    // From n = 1 the fork counts 2, 3 (from the thread's latest, n = 3, it would count 4).
    const { runId, lastSeen } = await killedAt({ graphId: "steps", threadId, checkpointId, input: { total: 3 }, streamMode: ["custom"] }, 3);
    const rest = await continuation(onB, runId, lastSeen, "kept-b");
    assert.deepEqual(rest.map(stepOf).filter((s) => s !== undefined), [2, 3]);
    assert.ok(isStatus(rest.at(-1)!, "done"));
  });

  it("a fork that saved checkpoints goes on from its own latest, not from the fork point again", async () => {
    const { threadId, checkpointId } = await threadToFork();
    // The fork counts 2, 3, 4; it dies in step 3, its step 2 saved.
    const { runId, lastSeen } = await killedAt({ graphId: "steps", threadId, checkpointId, input: { total: 4 }, streamMode: ["custom"] }, 3, true);
    const rest = await continuation(onB, runId, lastSeen, "kept-b");
    assert.deepEqual(rest.map(stepOf).filter((s) => s !== undefined), [3, 4], "the unfinished step again, then the rest");
    assert.ok(isStatus(rest.at(-1)!, "done"));
    const state = await onB.trpc.threads.get.query({ threadId });
    assert.deepEqual(state.values, { total: 4, n: 4 });
  });
});

describe("a queued run whose worker dies keeps what it was started with", { skip }, () => {
  const processes: ClusterProcess[] = [];
  let onApi: TestClient;

  after(async () => {
    await onApi?.close();
    await Promise.all(processes.map((p) => p.stop()));
  });

  it("the next worker runs it with the client's configurable and recursion limit", async () => {
    const env = { DATABASE_URL: database!.url, REDIS_URL: redis!.url, RILL_REDIS_PREFIX: `${redis!.prefix}queued-kept:`, RILL_LEASE_MS: "1000" };
    const api = await startClusterProcess({ ...env, RILL_INSTANCE_ID: "kept-api", RILL_ROLE: "api" });
    const dies = await startClusterProcess({ ...env, RILL_INSTANCE_ID: "kept-dies", RILL_ROLE: "worker", RESTART_HANG_AT: "2", CHECKPOINTS_NEVER_SAVED: "1" });
    processes.push(api, dies);
    onApi = connect(api);
    const seen = await collect(onApi, limited, (event) => (stepOf(event) === 2 ? "stop" : undefined));
    assert.equal(seen.error, undefined);
    assert.deepEqual(outcome(seen.events).written, [{ step: 1, label: "kept" }, { step: 2, label: "kept" }], "the first worker had them");
    const runId = runIdOf(seen.events);
    await dies.kill();
    const next = await startClusterProcess({ ...env, RILL_INSTANCE_ID: "kept-next", RILL_ROLE: "worker" });
    processes.push(next);

    const rest = await continuation(onApi, runId, seen.events.at(-1)!, "kept-next");
    // What the run does uninterrupted, on the worker that is left.
    const reference = await collect(onApi, limited);
    const expected = outcome(reference.events);
    assert.ok(isStatus(reference.events.at(-1)!, "error"), `the limit matters: ${JSON.stringify(expected.end)}`);
    assert.deepEqual(outcome(rest), expected, "same steps, same label, same recursion-limit error");
  });
});
