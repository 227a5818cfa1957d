// Attacks on the server's limits and fairness (issue #19, items 3 and 4), each against a real server on
// a real port, over real sockets, with a bystander run streaming through it: the bystander must get
// every event, once, in order, and its run must keep going while the attack runs.
//   - lockout by parked interrupted runs (one connection, then many),
//   - lockout by long runs from several connections that then disconnect,
//   - one frame of 10,000 calls; more calls a second than the budget,
//   - more concurrent replays on one connection than the budget,
//   - many replays of a long run at once: the bystander's events keep coming between them.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { WebSocket } from "ws";
import type { RillConfig } from "../config";
import {
  collect,
  connect,
  deferred,
  errorCode,
  runIdOf,
  startServer,
  type Collected,
  type TestClient,
  type TestServer,
} from "../test/harness";

const BYSTANDER_TICKS = 300;

/** A ticker run on its own connection, a tick a millisecond: what must keep flowing. */
function startBystander(server: TestServer, ticks = BYSTANDER_TICKS, onEvent?: () => void) {
  const client = connect(server);
  const started = deferred();
  const done = collect(client, { graphId: "ticker", input: { count: ticks, every: 1, delayMs: 1 }, streamMode: ["custom"] }, (_e, all) => {
    if (all.length === 2) started.resolve();
    onEvent?.();
  });
  return { client, started: started.promise, done, ticks };
}

/** Every event once, in order: metadata, ticks 1..n, then done. */
function assertWhole(result: Collected, ticks: number): void {
  assert.equal(result.error, undefined, result.error?.message);
  const runId = runIdOf(result.events);
  assert.equal(result.events.length, ticks + 2, `the bystander got ${result.events.length} events of ${ticks + 2}`);
  result.events.forEach((event, i) => assert.equal(event.id, `${runId}:${i}`));
  result.events.slice(1, -1).forEach((event, i) => assert.deepEqual(event.data, ["custom", { n: i + 1 }]));
  assert.deepEqual(result.events.at(-1)!.data, ["status", { status: "done" }]);
}

/** Starts an approval run and resolves once it is interrupted (or refused). */
async function park(client: TestClient): Promise<{ runId?: string; error?: Collected["error"] }> {
  const result = await collect(client, { graphId: "approval", input: { topic: "x" }, streamMode: ["updates"] }, (event) =>
    event.data[0] === "status" && (event.data[1] as { status: string }).status === "interrupted" ? "stop" : undefined,
  );
  return result.error ? { error: result.error } : { runId: runIdOf(result.events) };
}

/** A raw WebSocket speaking tRPC's JSON-RPC, for frames a client library would never send. */
async function rawSocket(server: TestServer) {
  const socket = new WebSocket(server.wsUrl);
  await new Promise((resolve) => socket.once("open", resolve));
  const replies: Array<{ id: number; result?: unknown; error?: { message: string; data?: { code?: string } } }> = [];
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  socket.on("message", (data) => {
    const parsed = JSON.parse(String(data)) as typeof replies | (typeof replies)[number];
    replies.push(...(Array.isArray(parsed) ? parsed : [parsed]));
    for (const waiter of waiters) if (replies.length >= waiter.count) waiter.resolve();
  });
  return {
    replies,
    sendQueries(path: string, ids: number[]): void {
      socket.send(JSON.stringify(ids.map((id) => ({ id, method: "query", params: { path } }))));
    },
    until(count: number): Promise<void> {
      if (replies.length >= count) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ count, resolve }));
    },
    closed: () => new Promise<{ code: number; reason: string }>((resolve) => socket.once("close", (code, reason) => resolve({ code, reason: String(reason) }))),
    close: () => socket.close(),
  };
}

async function withServer<T>(config: Partial<RillConfig>, body: (server: TestServer) => Promise<T>): Promise<T> {
  const server = await startServer({ config });
  try {
    return await body(server);
  } finally {
    await server.close();
  }
}

describe("attack: lockouts", () => {
  it("parked interrupted runs: one connection is capped, many connections cannot fill the store; a newcomer starts and streams", async () => {
    // 12 store slots, 4 of them for running runs: at most 8 interrupted runs wait, at most 3 per client.
    await withServer({ maxRuns: 4, storeMaxRuns: 12, maxInterruptedRunsPerClient: 3 }, async (server) => {
      const attacker = connect(server);
      for (let i = 0; i < 3; i++) assert.ok((await park(attacker)).runId, `parked run ${i + 1}`);
      const refused = await park(attacker);
      assert.equal(errorCode(refused.error), "TOO_MANY_REQUESTS");
      assert.match(
        refused.error!.message,
        /this client has 3 interrupted runs waiting for a resume, the limit per client \(RILL_MAX_INTERRUPTED_RUNS_PER_CLIENT=3\)/,
      );
      // Five more connections park three each: 18 asked for, the pool holds 8.
      const others = Array.from({ length: 5 }, () => connect(server));
      for (const client of others) for (let i = 0; i < 3; i++) { const p = await park(client); assert.ok(p.runId, p.error?.message); }
      assert.ok(server.runs.interruptedCount <= 8, `${server.runs.interruptedCount} interrupted runs wait, the pool is 8`);
      // (Finished runs are dropped from the 12-slot store as new ones need room: the newest remain.)
      const displaced = (await server.runs.list({ status: "cancelled" }));
      assert.ok(displaced.length >= 1);
      assert.match(displaced[0]!.reason!, /the server keeps at most 8 interrupted runs \(RILL_STORE_MAX_RUNS - RILL_MAX_RUNS\)/);

      const bystander = startBystander(server, 100);
      assertWhole(await bystander.done, 100);
      await Promise.all([attacker, ...others, bystander.client].map((c) => c.close()));
    });
  });

  it("long runs from several connections that then disconnect: the reserved slots still let a newcomer start and stream", async () => {
    // 10 run slots, the last 2 for clients with none running; 4 a client.
    await withServer({ maxRuns: 10, maxRunsPerClient: 4, reservedRuns: 2 }, async (server) => {
      const long = { graphId: "ticker", input: { count: 1_000_000, every: 1, delayMs: 50 }, streamMode: ["custom" as const] };
      const attackers = Array.from({ length: 3 }, () => connect(server));
      const refusals: Array<{ code?: string; message: string }> = [];
      for (const attacker of attackers) {
        for (let i = 0; i < 4; i++) {
          const result = await collect(attacker, long, () => "stop");
          if (result.error) refusals.push({ code: errorCode(result.error), message: result.error.message });
        }
      }
      // 4 + 4, then the third attacker gets one of the reserved slots (it had none) and no more.
      assert.equal(server.runs.runningCount, 9);
      assert.ok(refusals.length > 0, "the attackers could not take every slot");
      assert.ok(refusals.some((r) => r.code === "TOO_MANY_REQUESTS" && /kept for clients with no run running \(RILL_RESERVED_RUNS=2\)/.test(r.message)));
      await Promise.all(attackers.map((a) => a.close()));
      assert.ok(server.runs.runningCount < 10, "slots are left after the attackers left");

      const bystander = startBystander(server, 100);
      assertWhole(await bystander.done, 100);
      await bystander.client.close();
      for (const record of (await server.runs.list({ status: "running" }))) server.runs.cancel(record.metadata.run_id);
    });
  });
});

describe("attack: fairness", () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(async () => {
    await server.close();
  });

  it("one frame of 10,000 system.info calls is refused whole, naming the limit; the bystander streams on", async () => {
    const bystander = startBystander(server);
    await bystander.started;
    const raw = await rawSocket(server);
    raw.sendQueries("system.info", Array.from({ length: 10_000 }, (_, i) => i + 1));
    await raw.until(10_000);
    assert.equal(raw.replies.filter((r) => r.result !== undefined).length, 0, "no call of the frame ran");
    assert.equal(raw.replies[0]!.error!.data!.code, "BAD_REQUEST");
    assert.match(raw.replies[0]!.error!.message, /a batch of 10000 calls, over this server's limit of 100 calls in one message \(RILL_MAX_BATCH_SIZE=100\)/);
    // A frame within the limit is served.
    raw.sendQueries("system.info", Array.from({ length: 50 }, (_, i) => 20_001 + i));
    await raw.until(10_050);
    assert.equal(raw.replies.slice(10_000).filter((r) => r.result !== undefined).length, 50);
    // A second oversized frame is not parsed: the connection is closed, the reason naming the limit.
    const closed = raw.closed();
    raw.sendQueries("system.info", Array.from({ length: 10_000 }, (_, i) => 30_001 + i));
    const { code, reason } = await closed;
    assert.equal(code, 1008);
    assert.match(reason, /RILL_MAX_BATCH_SIZE=100/);
    assertWhole(await bystander.done, bystander.ticks);
    await bystander.client.close();
  });

  it("an HTTP batch over the limit is refused, naming it", async () => {
    const paths = Array.from({ length: 101 }, () => "graphs.list").join(",");
    const response = await fetch(`${server.url}/api/trpc/${paths}?batch=1&input=${encodeURIComponent("{}")}`);
    assert.equal(response.status, 400);
    const body = JSON.stringify(await response.json());
    assert.match(body, /RILL_MAX_BATCH_SIZE/);
  });

  it("calls past the per-connection budget get TOO_MANY_REQUESTS naming it; the bystander streams on", async () => {
    const bystander = startBystander(server);
    await bystander.started;
    const raw = await rawSocket(server);
    for (let frame = 0; frame < 6; frame++) raw.sendQueries("graphs.list", Array.from({ length: 100 }, (_, i) => frame * 100 + i + 1));
    await raw.until(600);
    const refused = raw.replies.filter((r) => r.error);
    const served = raw.replies.filter((r) => r.result !== undefined);
    assert.ok(served.length >= 200, `${served.length} served: at least a second's budget`);
    assert.ok(refused.length > 0, "calls past the budget are refused");
    assert.equal(refused[0]!.error!.data!.code, "TOO_MANY_REQUESTS");
    assert.match(refused[0]!.error!.message, /the limit per connection \(RILL_MAX_CALLS_PER_SECOND=200\)/);
    raw.close();
    assertWhole(await bystander.done, bystander.ticks);
    await bystander.client.close();
  });

  it("more concurrent replays on one connection than the budget: the extra one is refused naming it, the others complete whole", async () => {
    const writer = connect(server);
    const finished = await collect(writer, { graphId: "ticker", input: { count: 1_000, every: 1000 }, streamMode: ["custom"] });
    const runId = runIdOf(finished.events);
    const reader = connect(server);
    const replays = Array.from({ length: 9 }, () => collect(reader, { runId }));
    const results = await Promise.all(replays);
    const refused = results.filter((r) => r.error);
    assert.equal(refused.length, 1);
    assert.equal(errorCode(refused[0]!.error), "TOO_MANY_REQUESTS");
    assert.match(refused[0]!.error!.message, /RILL_MAX_REPLAYS_PER_CONNECTION=8/);
    for (const result of results.filter((r) => !r.error)) assert.deepEqual(result.events, finished.events);
    // Caught up or ended, replays free their places.
    const again = await collect(reader, { runId });
    assert.deepEqual(again.events, finished.events);
    await Promise.all([writer.close(), reader.close()]);
  });

  it("20 replays of a 1,000-event run at once: the bystander's events keep coming between them, all whole", async () => {
    const writer = connect(server);
    const finished = await collect(writer, { graphId: "ticker", input: { count: 1_000, every: 1000 }, streamMode: ["custom"] });
    const runId = runIdOf(finished.events);
    const readers = Array.from({ length: 4 }, () => connect(server));
    // Replay events received since the bystander's last event; the most seen between two of its events
    // while replays were going. Unpaced, each replay sent 512 events a loop turn: 10,240 a turn
    // (measured: 41,374 with 40 replays of 2,500); paced, about 250.
    let sinceBystander = 0;
    let widestGap = 0;
    let replaysOpen = 0;
    let bystanderEventsDuringReplays = 0;
    const bystander = startBystander(server, 400, () => {
      if (replaysOpen > 0) {
        widestGap = Math.max(widestGap, sinceBystander);
        bystanderEventsDuringReplays += 1;
      }
      sinceBystander = 0;
    });
    await bystander.started;
    replaysOpen = 20;
    const replays = Array.from({ length: 20 }, (_, i) =>
      collect(readers[i % readers.length]!, { runId }, () => {
        sinceBystander += 1;
      }).then((result) => {
        replaysOpen -= 1;
        return result;
      }),
    );
    const results = await Promise.all(replays);
    for (const result of results) assert.deepEqual(result.events, finished.events);
    assert.ok(bystanderEventsDuringReplays >= 10, `the bystander got ${bystanderEventsDuringReplays} events while 20 replays ran`);
    assert.ok(widestGap <= 3_000, `${widestGap} replay events arrived between two of the bystander's events`);
    assertWhole(await bystander.done, 400);
    await Promise.all([writer, bystander.client, ...readers].map((c) => c.close()));
  });
});

