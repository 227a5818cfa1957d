// The run queue with real processes: an API-only process (RILL_ROLE=api) queues the runs it is asked to
// start, and a worker process (RILL_ROLE=worker, RILL_WORKER_CONCURRENCY=1) takes and executes them; the
// API process's subscribers follow them live with the same ids as ever. With one slot, a second run waits
// queued (no worker) until the first has ended, whatever the time it takes.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { assertContiguousAfter, collect, connect, isStatus, runIdOf, seqOf, stepOf, type TestClient } from "../test/harness";
import { deploymentServices } from "./test/deployment";
import { startClusterProcess, type ClusterProcess } from "./test/clusterProcess";

const { database, redis, skip, processEnv } = await deploymentServices();

describe("runs queued by an API-only process, executed by a worker", { skip }, () => {
  let api: ClusterProcess;
  let worker: ClusterProcess;
  let onApi: TestClient;

  before(async () => {
    const env = processEnv({ TICK_MS: "5", RILL_LEASE_MS: "1000" });
    [api, worker] = await Promise.all([
      startClusterProcess({ ...env, RILL_INSTANCE_ID: "api-1", RILL_ROLE: "api" }),
      // The worker hangs "steps" in step 2 (the second test holds its one slot with it).
      startClusterProcess({ ...env, RILL_INSTANCE_ID: "worker-1", RILL_ROLE: "worker", RILL_WORKER_CONCURRENCY: "1", RESTART_HANG_AT: "2" }),
    ]);
    onApi = connect(api);
  });

  after(async () => {
    await onApi?.close();
    await Promise.all([api?.stop(), worker?.stop()]);
    await redis?.cleanup();
    await database?.drop();
  });

  it("a run started on the API process is executed by the worker and followed live from the API process", async () => {
    const { events, error } = await collect(onApi, { graphId: "ticks", input: { total: 25 }, streamMode: ["custom"] });
    assert.equal(error, undefined);
    assert.deepEqual(events.map(seqOf), events.map((_, i) => i), "seqs 0..n, each once");
    const ticks = events.filter((e) => e.data[0] === "custom").map((e) => (e.data[1] as { tick: number }).tick);
    assert.deepEqual(ticks, Array.from({ length: 25 }, (_, i) => i + 1));
    assert.ok(isStatus(events.at(-1)!, "done"));
    const info = await onApi.trpc.runs.get.query({ runId: runIdOf(events) });
    assert.deepEqual([info.status, info.worker], ["done", "worker-1"], "runs.get names the worker that executed it");
    const replay = await collect(onApi, { runId: runIdOf(events) });
    assert.deepEqual(replay.events, events, "a late joiner replays the same events under the same ids");
  });

  it("with RILL_WORKER_CONCURRENCY=1 a second run waits queued until the first has ended", async () => {
    let firstId = "";
    const firstSeen = await collect(onApi, { graphId: "steps", input: { total: 3 }, streamMode: ["custom"] }, (event) => {
      if (seqOf(event) === 0) firstId = runIdOf([event]);
      return stepOf(event) === 2 ? "stop" : undefined;
    });
    assert.equal(firstSeen.error, undefined);
    // The first run now hangs in step 2 on the worker, holding its only slot.
    let secondId = "";
    const second = collect(onApi, { graphId: "ticks", input: { total: 5 }, streamMode: ["custom"] }, (event) => {
      if (seqOf(event) === 0) secondId = runIdOf([event]);
    });
    // Queued: written (runs.get answers it) but taken by no worker while the first holds the slot. The
    // worker looks for queued runs when it is told one was queued and on each lease renewal; waiting for
    // two renewals of the first run's lease (its expiry moving twice) gives it every chance to take it wrongly.
    await waitFor(() => secondId !== "");
    const queued = await onApi.trpc.runs.get.query({ runId: secondId });
    assert.deepEqual([queued.status, queued.worker], ["running", undefined], "queued: no worker yet");
    await twoRenewals(firstId);
    const stillQueued = await onApi.trpc.runs.get.query({ runId: secondId });
    assert.equal(stillQueued.worker, undefined, "still queued while the first run holds the worker's one slot");

    const cancelled = await onApi.trpc.runs.cancel.mutate({ runId: firstId });
    assert.equal(cancelled.status, "cancelled");
    const { events, error } = await second;
    assert.equal(error, undefined);
    assert.ok(isStatus(events.at(-1)!, "done"), "the queued run ran once the slot was free");
    assert.deepEqual(events.map(seqOf), events.map((_, i) => i));
    assert.equal((await onApi.trpc.runs.get.query({ runId: secondId })).worker, "worker-1");
  });

  it("a queued run cancelled from the API process ends at once, never executed", async () => {
    let firstId = "";
    await collect(onApi, { graphId: "steps", input: { total: 3 }, streamMode: ["custom"] }, (event) => {
      if (seqOf(event) === 0) firstId = runIdOf([event]);
      return stepOf(event) === 2 ? "stop" : undefined;
    });
    let queuedId = "";
    const queued = collect(onApi, { graphId: "ticks", input: { total: 5 }, streamMode: ["custom"] }, (event) => {
      if (seqOf(event) === 0) queuedId = runIdOf([event]);
    });
    await waitFor(() => queuedId !== "");
    const cancelled = await onApi.trpc.runs.cancel.mutate({ runId: queuedId });
    assert.equal(cancelled.status, "cancelled");
    const { events } = await queued;
    assert.ok(isStatus(events.at(-1)!, "cancelled"));
    assert.equal(events.filter((e) => e.data[0] === "custom").length, 0, "no tick: it never ran");
    assert.equal((await onApi.trpc.runs.cancel.mutate({ runId: firstId })).status, "cancelled");
  });

  it("a resume asked of the API process is queued: the worker continues the interrupted run", async () => {
    const asked = await collect(onApi, { graphId: "approve", input: { topic: "x" }, streamMode: ["updates"] }, (event) =>
      isStatus(event, "interrupted") ? "stop" : undefined,
    );
    const runId = runIdOf(asked.events);
    assert.equal((await onApi.trpc.runs.get.query({ runId })).worker, "worker-1");
    await onApi.trpc.runs.resume.mutate({ runId, resume: "yes" });
    const rest = await collect(onApi, { runId, lastEventId: asked.events.at(-1)!.id });
    assert.equal(rest.error, undefined);
    assertContiguousAfter(rest.events, asked.events.at(-1)!);
    assert.ok(isStatus(rest.events.at(-1)!, "done"));
    assert.ok(rest.events.some((e) => JSON.stringify(e.data).includes('"answer":"yes"')), "finished with the answer given");
    assert.equal((await onApi.trpc.runs.get.query({ runId })).worker, "worker-1", "executed by the worker, not the API process");
  });

  it("the worker answers its health endpoints and refuses the API, naming RILL_ROLE", async () => {
    assert.equal((await fetch(`${worker.url}/healthz`)).status, 200);
    const refused = await fetch(`${worker.url}/api/trpc/system.info`);
    assert.equal(refused.status, 404);
    assert.match(await refused.text(), /instance worker-1 is a worker \(RILL_ROLE=worker\)/);
    assert.equal((await fetch(`${api.url}/api/trpc/system.info`)).status, 200, "the API process serves it");
  });

  /** Waits until the first run's lease has been renewed twice (its expiry seen moving twice in PostgreSQL). */
  async function twoRenewals(runId: string): Promise<void> {
    const pg = await import("pg");
    const client = new pg.default.Client({ connectionString: database!.url });
    await client.connect();
    try {
      const expiry = async () =>
        (await client.query<{ e: string }>("SELECT expires_at::text AS e FROM rill_run_leases WHERE run_id = $1", [runId])).rows[0]?.e;
      const seen = new Set<string | undefined>([await expiry()]);
      while (seen.size < 3) {
        // LISTEN cannot see an UPDATE: poll the row, each poll a round trip (no sleep).
        seen.add(await expiry());
      }
    } finally {
      await client.end();
    }
  }
});

async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}
