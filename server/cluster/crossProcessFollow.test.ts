// Two real Rill processes on one PostgreSQL (a database of this test's own) and one Redis (a key prefix
// of its own): a run started on one is followed live from the other with the same ids, order and
// tuples; a subscription moved between processes with its lastEventId gets every later event exactly
// once; system.info and runs.get name the processes.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { assertContiguousAfter, collect, isStatus, runIdOf, seqOf, type Received, type TestClient } from "../test/harness";
import { deploymentServices, startProcessPair, type ProcessPair } from "./test/deployment";

const { database, redis, skip, processEnv } = await deploymentServices();

describe("a run followed from another process of the deployment", { skip }, () => {
  let pair: ProcessPair;
  let onA: TestClient, onB: TestClient;

  before(async () => {
    const env = processEnv({ TICK_MS: "10" });
    pair = await startProcessPair({ ...env, RILL_INSTANCE_ID: "proc-a" }, { ...env, RILL_INSTANCE_ID: "proc-b" });
    ({ onA, onB } = pair);
  });

  after(async () => {
    await pair?.close();
    await redis?.cleanup();
    await database?.drop();
  });

  it("names each process in system.info and the executing one in runs.get", async () => {
    assert.equal((await onA.trpc.system.info.query()).instanceId, "proc-a");
    assert.equal((await onB.trpc.system.info.query()).instanceId, "proc-b");
    const started = await collect(onA, { graphId: "steps", input: { total: 2 }, streamMode: ["custom"] });
    const info = await onB.trpc.runs.get.query({ runId: runIdOf(started.events) });
    assert.equal(info.worker, "proc-a");
    assert.equal(info.status, "done");
  });

  it("follows live from B what runs on A: same ids, order and tuples, each once", async () => {
    let runId = "";
    let fromB: Promise<{ events: Received[]; error?: unknown }> | null = null;
    // B joins as soon as A has reported the run (its metadata event), while A is still executing it.
    const fromA = await collect(onA, { graphId: "ticks", input: { total: 60 }, streamMode: ["custom"] }, (event) => {
      if (seqOf(event) === 0) {
        runId = runIdOf([event]);
        fromB = collect(onB, { runId });
      }
    });
    const followed = await fromB!;
    assert.equal(followed.error, undefined);
    assert.ok(isStatus(fromA.events.at(-1)!, "done"));
    assert.deepEqual(followed.events, fromA.events, "B saw exactly what A's own subscriber saw");
    assert.deepEqual(followed.events.map(seqOf), followed.events.map((_, i) => i));
    const list = await onB.trpc.runs.list.query({ graphId: "ticks" });
    assert.ok(list.some((run) => run.runId === runId), "runs.list on B lists the run started on A");
  });

  it("moves a subscription from A to B with lastEventId: every later event exactly once", async () => {
    const first = await collect(onA, { graphId: "ticks", input: { total: 60 }, streamMode: ["custom"] }, (event) =>
      event.data[0] === "custom" && (event.data[1] as { tick: number }).tick === 15 ? "stop" : undefined,
    );
    const last = first.events.at(-1)!;
    const rest = await collect(onB, { runId: runIdOf(first.events), lastEventId: last.id });
    assert.equal(rest.error, undefined);
    assertContiguousAfter(rest.events, last);
    const ticks = [...first.events, ...rest.events].filter((e) => e.data[0] === "custom").map((e) => (e.data[1] as { tick: number }).tick);
    assert.deepEqual(ticks, Array.from({ length: 60 }, (_, i) => i + 1));
    assert.ok(isStatus(rest.events.at(-1)!, "done"));
  });
});
