// Operating a deployment of two real processes: /healthz and /readyz; PostgreSQL refusing connections
// (the test's own database closed to new connections, its sessions ended) makes /readyz answer 503 and
// new runs be refused with an error naming PostgreSQL and the instance, and both work again once it is
// back; a graceful shutdown (SIGTERM) hands the runs it executes to the other process at once, once their
// checkpoints are committed.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import pg from "pg";
import { SERVER_URL } from "../../lib/graph/checkpoint/postgres/test/testDatabase";
import { collect, connect, isStatus, runIdOf, stepOf, type TestClient } from "../test/harness";
import { deploymentServices, startProcessPair, type ProcessPair } from "./test/deployment";
import type { ClusterProcess } from "./test/clusterProcess";

const { database, redis, skip, processEnv } = await deploymentServices();

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: SERVER_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

describe("operating a deployment", { skip }, () => {
  let pair: ProcessPair;
  let a: ClusterProcess, b: ClusterProcess, onA: TestClient, onB: TestClient;

  before(async () => {
    // A long lease: only a graceful handover can move a run within this test's time. ops-a commits its
    // checkpoints only after SIGTERM (a database slow just then): the run must be handed over only once
    // they are, else ops-b continues it from its input (steps 1, 2 again).
    const env = processEnv({ RILL_LEASE_MS: "600000" });
    pair = await startProcessPair({ ...env, RILL_INSTANCE_ID: "ops-a", RESTART_HANG_AT: "3", CHECKPOINTS_SAVED_AFTER_SIGTERM_MS: "500" }, { ...env, RILL_INSTANCE_ID: "ops-b" });
    ({ a, b, onA, onB } = pair);
  });

  after(async () => {
    await admin(`ALTER DATABASE ${database!.name} ALLOW_CONNECTIONS true`).catch(() => undefined);
    await pair?.close();
    await redis?.cleanup();
    await database?.drop();
  });

  it("answers /healthz and /readyz", async () => {
    const health = await fetch(`${a.url}/healthz`);
    assert.equal(health.status, 200);
    assert.deepEqual(await health.json(), { ok: true, instanceId: "ops-a" });
    const ready = await fetch(`${a.url}/readyz`);
    assert.equal(ready.status, 200);
    assert.deepEqual(await ready.json(), { ready: true, instanceId: "ops-a" });
  });

  it("refuses new runs with SERVICE_UNAVAILABLE saying the database does not answer, while PostgreSQL refuses connections; works again after", async () => {
    await admin(`ALTER DATABASE ${database!.name} ALLOW_CONNECTIONS false`);
    await admin(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${database!.name}'`);
    try {
      const ready = await fetch(`${b.url}/readyz`);
      assert.equal(ready.status, 503);
      const body = (await ready.json()) as { ready: boolean; reason: string };
      assert.equal(body.ready, false);
      assert.match(body.reason, /PostgreSQL \(DATABASE_URL\)/);
      const refused = await collect(onB, { graphId: "steps", input: { total: 2 }, streamMode: ["custom"] });
      assert.equal(refused.events.length, 0);
      assert.equal(refused.error?.data?.code, "SERVICE_UNAVAILABLE", refused.error?.message);
      assert.match(refused.error!.message, /does not answer \(.*not currently accepting connections\); nothing was changed, try again when it does \(instance ops-b\)$/);
      assert.equal((await fetch(`${b.url}/healthz`)).status, 200, "the process is up");
    } finally {
      await admin(`ALTER DATABASE ${database!.name} ALLOW_CONNECTIONS true`);
    }
    const ok = await collect(onB, { graphId: "steps", input: { total: 2 }, streamMode: ["custom"] });
    assert.ok(isStatus(ok.events.at(-1)!, "done"), "runs start again once PostgreSQL is back");
  });

  it("SIGTERM hands the runs it executes to the other process at once", async () => {
    const seen = await collect(onA, { graphId: "steps", input: { total: 5 }, streamMode: ["custom"] }, (event) =>
      stepOf(event) === 3 ? "stop" : undefined,
    );
    const runId = runIdOf(seen.events);
    await onA.close();
    await a.stop();
    const rest = await collect(onB, { runId, lastEventId: seen.events.at(-1)!.id });
    assert.equal(rest.error, undefined);
    assert.deepEqual(rest.events.find((e) => e.data[0] === "status")!.data, ["status", { status: "running", resumed: true, worker: "ops-b" }]);
    assert.deepEqual(rest.events.map(stepOf).filter((s) => s !== undefined), [3, 4, 5]);
    assert.ok(isStatus(rest.events.at(-1)!, "done"));
  });
});
