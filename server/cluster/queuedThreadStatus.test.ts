// A thread's status follows its runs across the deployment: a run on it queued by an API-only process
// and executed by a worker leaves it `idle` once it ends and `interrupted` while it waits at an interrupt
// (the worker writes the status, as the process that started a run does); a resume queued from the API
// process and continued by the worker ends it `idle` again.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { collect, connect, isStatus, type TestClient } from "../test/harness";
import { deploymentServices } from "./test/deployment";
import { startClusterProcess, type ClusterProcess } from "./test/clusterProcess";

const { database, redis, skip, processEnv } = await deploymentServices();

describe("a queued run's thread status, written by the worker that executes it", { skip, timeout: 60_000 }, () => {
  let api: ClusterProcess;
  let worker: ClusterProcess;
  let onApi: TestClient;

  before(async () => {
    const env = processEnv({ RILL_LEASE_MS: "1000" });
    [api, worker] = await Promise.all([
      startClusterProcess({ ...env, RILL_INSTANCE_ID: "status-api", RILL_ROLE: "api" }),
      startClusterProcess({ ...env, RILL_INSTANCE_ID: "status-worker", RILL_ROLE: "worker" }),
    ]);
    onApi = connect(api);
  });

  after(async () => {
    await onApi?.close();
    await Promise.all([api?.stop(), worker?.stop()]);
    await redis?.cleanup();
    await database?.drop();
  });

  /**
   * The thread's status once it is no longer `from`: the worker writes it as the run's status changes, not
   * before the client sees that change, so read until it moves (each read a round trip, no sleep).
   */
  async function statusAfter(threadId: string, from: readonly string[]): Promise<string> {
    for (;;) {
      const { status } = await onApi.trpc.threads.get.query({ threadId });
      if (!from.includes(status)) return status;
    }
  }

  it("idle once the run ends", async () => {
    const { threadId } = await onApi.trpc.threads.create.mutate({ graphId: "steps" });
    const run = await collect(onApi, { graphId: "steps", threadId, input: { total: 2 }, streamMode: ["custom"] });
    assert.ok(isStatus(run.events.at(-1)!, "done"));
    const info = await onApi.trpc.runs.get.query({ runId: (run.events[0]!.data[1] as { run_id: string }).run_id });
    assert.equal(info.worker, "status-worker", "the worker executed it");
    assert.equal(await statusAfter(threadId, ["busy"]), "idle");
  });

  it("interrupted while it waits at an interrupt, idle once resumed (from the API process) and ended", async () => {
    const { threadId } = await onApi.trpc.threads.create.mutate({ graphId: "approve" });
    const asking = await collect(onApi, { graphId: "approve", threadId, input: { topic: "x" }, streamMode: ["updates"] }, (event) =>
      isStatus(event, "interrupted") ? "stop" : undefined,
    );
    const runId = (asking.events[0]!.data[1] as { run_id: string }).run_id;
    assert.equal(await statusAfter(threadId, ["busy"]), "interrupted");

    await onApi.trpc.runs.resume.mutate({ runId, resume: "yes" });
    const rest = await collect(onApi, { runId, lastEventId: asking.events.at(-1)!.id });
    assert.ok(isStatus(rest.events.at(-1)!, "done"));
    assert.equal(await statusAfter(threadId, ["interrupted", "busy"]), "idle");
  });
});
