// RILL_MAX_RUNS is deployment-wide: the running and queued runs of every process are counted in PostgreSQL
// (their leases, under one advisory lock), so with a limit of 2 and two runs going anywhere, a third start is
// refused by any process — an API-only one too, which counts the queued runs — with an error naming the
// count, the limit and the instance; of two starts racing for the last slot on two processes, one wins.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { collect, connect, isStatus, runIdOf, seqOf, type TestClient } from "../test/harness";
import type { StreamRunInput } from "../procedureInputs";
import { deploymentServices } from "./test/deployment";
import { startClusterProcess, type ClusterProcess } from "./test/clusterProcess";

const { database, redis, skip } = await deploymentServices();

/** Starts a run and stops at its first event; answers its id, or the error it was refused with. */
async function started(client: TestClient, input: StreamRunInput): Promise<{ runId?: string; error?: string }> {
  const { events, error } = await collect(client, input, (event) => (seqOf(event) === 0 ? "stop" : undefined));
  return error ? { error: error.message } : { runId: runIdOf(events) };
}

const hangs: StreamRunInput = { graphId: "steps", input: { total: 2 }, streamMode: ["custom"] };

describe("RILL_MAX_RUNS counts the whole deployment", { skip }, () => {
  const processes: ClusterProcess[] = [];
  const clients: TestClient[] = [];
  let onA: TestClient, onB: TestClient, onApi: TestClient;

  before(async () => {
    const env = {
      DATABASE_URL: database!.url,
      REDIS_URL: redis!.url,
      RILL_REDIS_PREFIX: redis!.prefix,
      RILL_MAX_RUNS: "2",
      RILL_RESERVED_RUNS: "0",
      // "steps" hangs in step 1 on both executing processes: a run started there holds its slot until cancelled.
      RESTART_HANG_AT: "1",
      TICK_MS: "5",
    };
    processes.push(
      ...(await Promise.all([
        startClusterProcess({ ...env, RILL_INSTANCE_ID: "limit-a" }),
        startClusterProcess({ ...env, RILL_INSTANCE_ID: "limit-b" }),
        startClusterProcess({ ...env, RILL_INSTANCE_ID: "limit-api", RILL_ROLE: "api" }),
      ])),
    );
    clients.push(...processes.map((p) => connect(p)));
    [onA, onB, onApi] = clients as [TestClient, TestClient, TestClient];
  });

  after(async () => {
    for (const client of clients) await client.close();
    await Promise.all(processes.map((p) => p.stop()));
    await redis?.cleanup();
    await database?.drop();
  });

  it("one slot left and two processes asked at once: exactly one admits", async () => {
    const first = await started(onA, hangs);
    assert.ok(first.runId, first.error);
    const race = await Promise.all([started(onA, hangs), started(onB, hangs)]);
    assert.equal(race.filter((r) => r.runId).length, 1, `one admitted: ${JSON.stringify(race)}`);
    const refused = race.find((r) => r.error)!;
    assert.match(refused.error!, /2 runs are running or queued in the deployment, its limit \(RILL_MAX_RUNS=2\); instance limit-[ab] refused the run/);
  });

  it("the limit reached, every process refuses, the API-only one included, naming itself", async () => {
    for (const [client, instance] of [[onA, "limit-a"], [onB, "limit-b"], [onApi, "limit-api"]] as const) {
      const { runId, error } = await started(client, { graphId: "ticks", input: { total: 3 }, streamMode: ["custom"] });
      assert.equal(runId, undefined, `${instance} refuses`);
      assert.match(error!, new RegExp(`2 runs are running or queued in the deployment, its limit \\(RILL_MAX_RUNS=2\\); instance ${instance} refused the run`));
    }
  });

  it("a run ended frees its slot for any process: the API process queues a run and a worker executes it", async () => {
    const running = await onA.trpc.runs.list.query({ status: "running" });
    assert.equal(running.length, 2);
    await onB.trpc.runs.cancel.mutate({ runId: running[0]!.runId });
    const { events, error } = await collect(onApi, { graphId: "ticks", input: { total: 3 }, streamMode: ["custom"] });
    assert.equal(error, undefined);
    assert.ok(isStatus(events.at(-1)!, "done"));
    // The queued run counted while queued and running; ended, it frees its slot again.
    const again = await started(onApi, { graphId: "ticks", input: { total: 3 }, streamMode: ["custom"] });
    assert.ok(again.runId, again.error);
  });
});
