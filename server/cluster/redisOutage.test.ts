// Redis stopped and restarted mid-run (a redis-server of this test's own on a free port, not the shared
// one): the run keeps executing on A, B's subscriber catches up from the durable log while Redis is
// gone and goes on when it is back; no event lost or duplicated.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createTestDatabase, postgresSkipReason } from "../../lib/graph/checkpoint/postgres/test/testDatabase";
import { collect, runIdOf, seqOf, type Received, type TestClient } from "../test/harness";
import { startProcessPair, type ProcessPair } from "./test/deployment";
import { OwnRedis, redisSkipReason, testRedisPrefix } from "./test/testRedis";

const database = await createTestDatabase();
// The shared Redis only tells whether one is installed and running here; this test starts its own.
const shared = database ? await testRedisPrefix() : null;
await shared?.cleanup();
const skip = !database ? postgresSkipReason : !shared ? redisSkipReason : false;
const tickOf = (event: Received) => (event.data[0] === "custom" ? (event.data[1] as { tick: number }).tick : undefined);

describe("Redis restarted mid-run", { skip }, () => {
  let redis: OwnRedis;
  let pair: ProcessPair;
  let onA: TestClient, onB: TestClient;

  before(async () => {
    redis = await OwnRedis.start();
    const env = { DATABASE_URL: database!.url, REDIS_URL: redis.url, TICK_MS: "10" };
    pair = await startProcessPair({ ...env, RILL_INSTANCE_ID: "out-a" }, { ...env, RILL_INSTANCE_ID: "out-b" });
    ({ onA, onB } = pair);
  });

  after(async () => {
    await pair?.close();
    await redis?.close();
    await database?.drop();
  });

  it("the run goes on and B's subscriber gets every event once, through the log while Redis is down", async () => {
    const total = 200; // 20 supersteps: within the default recursion limit
    let runId = "";
    let downAt = -1;
    let phase: Promise<void> = Promise.resolve();
    let fromB: Promise<{ events: Received[]; error?: unknown }> | null = null;
    const fromA = collect(onA, { graphId: "ticks", input: { total }, streamMode: ["custom"] }, (event) => {
      if (seqOf(event) !== 0) return;
      runId = runIdOf([event]);
      fromB = collect(onB, { runId }, (seen) => {
        const tick = tickOf(seen);
        if (tick === 20) phase = redis.down().then(() => void (downAt = tick));
        // Seen on B while Redis is down: it came from the log. Then Redis comes back.
        if (tick === 100) phase = phase.then(() => redis.up());
      });
    });
    const [onAEvents, onBEvents] = [await fromA, await fromB!];
    await phase;
    assert.equal(downAt, 20, "Redis was stopped mid-run");
    assert.equal(onBEvents.error, undefined);
    assert.deepEqual(onBEvents.events.map(seqOf), onBEvents.events.map((_, i) => i), "B: seqs 0..n, no gap, no repeat");
    assert.deepEqual(onBEvents.events.map(tickOf).filter((t) => t !== undefined), Array.from({ length: total }, (_, i) => i + 1));
    assert.deepEqual(onBEvents.events, onAEvents.events, "B saw what A's own subscriber saw");
    const info = await onB.trpc.runs.get.query({ runId });
    assert.equal(info.status, "done");
  });
});
