// Runs live on the server: several clients follow one run, and a client whose socket dies (at any
// point, many times) resumes the same run right after the last event it got — no loss, no duplicate,
// never a second run.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { collect, connect, deferred, errorCode, randomSocketKiller, runIdOf, startServer, type Received, type TestServer } from "./test/harness";

function assertExactlyOnce(events: Received[], runId: string, total: number): void {
  assert.equal(events.length, total, `received ${events.length} events, the run logged ${total}`);
  events.forEach((event, i) => assert.equal(event.id, `${runId}:${i}`, `event #${i} has id ${event.id}`));
}

describe("following and resuming runs", () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(async () => {
    await server.close();
  });

  async function logOf(runId: string): Promise<Received[]> {
    const reader = connect(server);
    const { events, error } = await collect(reader, { runId });
    await reader.close();
    assert.equal(error, undefined);
    return events;
  }

  it("two clients on one run receive identical sequences, and a late joiner replays it all", async () => {
    const a = connect(server);
    const b = connect(server);
    const joined = deferred<Promise<{ events: Received[] }>>();
    const first = collect(a, { graphId: "ticker", input: { count: 400, every: 10, delayMs: 1 }, streamMode: ["custom", "updates"] }, (event, all) => {
      if (all.length === 50) joined.resolve(collect(b, { runId: runIdOf(all) }));
      void event;
    });
    const [fromA, fromB] = await Promise.all([first, joined.promise.then((p) => p)]);
    assert.equal(fromA.error, undefined);
    assert.equal(fromA.events.length, 1 + 400 + 1 + 1, "metadata, 400 custom, 1 update, status");
    assert.deepEqual(fromB.events, fromA.events);
    assert.deepEqual(await logOf(runIdOf(fromA.events)), fromA.events);
    await Promise.all([a.close(), b.close()]);
  });

  it("a run keeps going when its only subscriber leaves", async () => {
    const client = connect(server);
    const left = await collect(client, { graphId: "ticker", input: { count: 300, every: 10, delayMs: 1 }, streamMode: ["custom"] }, (_e, all) =>
      all.length === 20 ? "stop" : undefined,
    );
    const runId = runIdOf(left.events);
    const record = await server.runs.whenEnded(runId);
    assert.equal(record.status, "done");
    const rest = await collect(client, { runId, lastEventId: left.events.at(-1)!.id });
    assert.deepEqual([...left.events, ...rest.events], await logOf(runId));
    await client.close();
  });

  for (const [side, seed] of [
    ["client", 1],
    ["server", 2],
    ["client", 3],
  ] as const) {
    it(`a socket killed ${side}-side many times at random points resumes with exactly the missing events (seed ${seed})`, async () => {
      const client = connect(server, { retryDelayMs: 1 });
      const killer = randomSocketKiller(side, client, server, { seed, chance: 0.01, maxKills: 15 });
      const runsBefore = (await server.runs.list()).length;
      const count = 3000;
      const result = await collect(
        client,
        { graphId: "ticker", input: { count, every: 25, delayMs: 2 }, streamMode: ["custom", "updates", "values"] },
        () => killer.maybeKill(),
      );
      assert.equal(result.error, undefined, result.error?.message);
      assert.ok(killer.kills >= 5, `only ${killer.kills} kills happened`);
      const runId = runIdOf(result.events);
      const log = await logOf(runId);
      assertExactlyOnce(result.events, runId, log.length);
      assert.deepEqual(result.events, log);
      assert.deepEqual(result.events.at(-1)!.data, ["status", { status: "done" }]);
      assert.equal((await server.runs.list()).length, runsBefore + 1, "exactly one run was started");
      await client.close();
    });
  }

  it("a start whose socket dies before any event, with a client-chosen runId, still starts one run", async () => {
    const client = connect(server, { retryDelayMs: 1 });
    const runsBefore = (await server.runs.list()).length;
    const runId = `client-run-${Date.now()}`;
    const result = collect(client, { graphId: "ticker", input: { count: 200, every: 10, delayMs: 1 }, streamMode: ["custom"], runId }, (_e, all) => {
      if (all.length === 1 && !killed) {
        killed = true;
        client.socket()?.terminate();
      }
    });
    let killed = false;
    const { events, error } = await result;
    assert.equal(error, undefined);
    assert.equal(runIdOf(events), runId);
    assertExactlyOnce(events, runId, (await logOf(runId)).length);
    assert.equal((await server.runs.list()).length, runsBefore + 1);
    await client.close();
  });

  it("the server's reconnect notification moves subscriptions to a new socket without loss or duplicates", async () => {
    const client = connect(server);
    let notified = 0;
    const result = await collect(client, { graphId: "ticker", input: { count: 1500, every: 25, delayMs: 2 }, streamMode: ["custom"] }, (_e, all) => {
      if (all.length % 300 === 0 && notified < 3) {
        notified += 1;
        server.broadcastReconnect();
      }
    });
    assert.equal(result.error, undefined);
    assert.equal(notified, 3);
    const runId = runIdOf(result.events);
    assert.deepEqual(result.events, await logOf(runId));
    await client.close();
  });

  it("replays a finished run from lastEventId, and says clearly when the run is unknown", async () => {
    const client = connect(server);
    const whole = await collect(client, { graphId: "joke", input: { topic: "x" }, streamMode: ["updates"] });
    const runId = runIdOf(whole.events);
    const tail = await collect(client, { runId, lastEventId: whole.events[1]!.id });
    assert.deepEqual(tail.events, whole.events.slice(2));
    const resubscribed = await collect(client, {
      graphId: "joke",
      input: { topic: "x" },
      streamMode: ["updates"],
      lastEventId: whole.events[2]!.id,
    });
    assert.deepEqual(resubscribed.events, whole.events.slice(3), "a start input with lastEventId joins that run");
    const gone = await collect(client, { graphId: "joke", input: { topic: "x" }, lastEventId: "run_gone0000:4" });
    assert.match(gone.error?.message ?? "", /run "run_gone0000" of lastEventId is gone .* not starting a new one/);
    const unknown = await collect(client, { runId: "run_missing000" });
    assert.match(unknown.error?.message ?? "", /run "run_missing000" not found/);
    await client.close();
  });

  it("refuses a lastEventId that is not an event id, names another run or is ahead of the log, and no run starts", async () => {
    const client = connect(server);
    const whole = await collect(client, { graphId: "joke", input: { topic: "x" }, streamMode: ["updates"] });
    const runId = runIdOf(whole.events);
    const last = whole.events.length - 1;
    const refusals: Array<[string, { runId: string; lastEventId: string } | { graphId: string; input: unknown; lastEventId: string }, RegExp]> = [
      ["malformed, joining", { runId, lastEventId: "garbage" }, new RegExp(`lastEventId: "garbage" is not an event of run "${runId}" \\(expected "${runId}:<seq>"\\)`)],
      ["leading zero, joining", { runId, lastEventId: `${runId}:01` }, /is not an event of run/],
      ["another run's", { runId, lastEventId: "run_other000:1" }, new RegExp(`lastEventId: "run_other000:1" is not an event of run "${runId}"`)],
      ["ahead of the log", { runId, lastEventId: `${runId}:${last + 5}` }, new RegExp(`is ahead of run "${runId}", whose last event is ${runId}:${last}`)],
      ["malformed, starting", { graphId: "joke", input: { topic: "x" }, lastEventId: `${runId}:1.5` }, /lastEventId: ".*:1\.5" is not an event id of this server/],
    ];
    const runsBefore = (await server.runs.list({ limit: 500 })).length;
    for (const [what, input, message] of refusals) {
      const refused = await collect(client, input);
      assert.equal(errorCode(refused.error), "BAD_REQUEST", what);
      assert.match(refused.error!.message, message, what);
      assert.deepEqual(refused.events, [], what);
    }
    assert.equal((await server.runs.list({ limit: 500 })).length, runsBefore, "no refused subscription started a run");
    await client.close();
  });
});
