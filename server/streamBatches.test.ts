// runs.streamBatches: the same events as runs.stream, in the same order under the same ids, several to a
// message when several are at hand, and resumable exactly like runs.stream.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { StreamBatchesInput } from "./procedureInputs";
import { sync } from "./runs/test/sync";
import { collect, collectBatches, connect, randomSocketKiller, runIdOf, startServer, type CollectedBatches, type TestServer } from "./test/harness";

const BATCH_EVENTS = 256;
const BATCH_CHARS = 64 * 1024;

/** Each batch's tracked id is its last event's, its events follow on from the previous batch's, and it is within the limits. */
function assertWellFormed(result: CollectedBatches, runId: string): void {
  let next = 0;
  for (const batch of result.batches) {
    assert.equal(batch.firstSeq, next, `a batch starting at ${batch.firstSeq} after events up to ${next - 1}`);
    assert.ok(batch.size >= 1 && batch.size <= BATCH_EVENTS, `a batch of ${batch.size} events`);
    next += batch.size;
    assert.equal(batch.id, `${runId}:${next - 1}`, "tracked id names the batch's last event");
  }
}

describe("runs.streamBatches", () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(async () => {
    await server.close();
  });

  it("delivers what runs.stream delivers for the seed's graph in every mode, under the same ids", async () => {
    const client = connect(server);
    const input = { graphId: "joke", input: { topic: "ice cream" }, streamMode: ["values", "updates", "custom", "messages", "debug"] as const };
    const batched = await collectBatches(client, { ...input, streamMode: [...input.streamMode] });
    assert.equal(batched.error, undefined);
    const runId = runIdOf(batched.events);
    assertWellFormed(batched, runId);
    const single = await collect(client, { runId });
    assert.deepEqual(batched.events, single.events);
    assert.deepEqual(batched.events.at(-1)!.data, ["status", { status: "done" }]);
    await client.close();
  });

  it("replays a long run in full batches, within the event and size limits", async () => {
    const client = connect(server);
    const live = await collect(client, { graphId: "ticker", input: { count: 3000, every: 3000, payload: 100 }, streamMode: ["custom"] });
    const runId = runIdOf(live.events);
    const replay = await collectBatches(client, { runId });
    assert.equal(replay.error, undefined);
    assertWellFormed(replay, runId);
    assert.deepEqual(replay.events, live.events);
    assert.ok(replay.batches.length < live.events.length / 100, `${live.events.length} events came in ${replay.batches.length} batches`);
    const fromMiddle = await collectBatches(client, { runId, lastEventId: `${runId}:1500` });
    assert.deepEqual(fromMiddle.events, live.events.slice(1501));
    for (let i = 0; i < replay.batches.length; i++) {
      const events = replay.events.slice(replay.batches[i]!.firstSeq, replay.batches[i]!.firstSeq + replay.batches[i]!.size);
      const chars = events.slice(0, -1).reduce((sum, e) => sum + JSON.stringify(e.data).length, 0);
      assert.ok(chars <= BATCH_CHARS, `batch ${i} was already past ${BATCH_CHARS} characters before its last event`);
    }
    const big = await collect(client, { graphId: "ticker", input: { count: 400, every: 400, payload: 2000 }, streamMode: ["custom"] });
    const bigReplay = await collectBatches(client, { runId: runIdOf(big.events) });
    assertWellFormed(bigReplay, runIdOf(big.events));
    assert.ok(Math.max(...bigReplay.batches.map((b) => b.size)) <= Math.ceil(BATCH_CHARS / 2000) + 1, "2 KB events: about 32 to a batch");
    await client.close();
  });

  it("sends what is at hand without waiting for a batch to fill: an interrupted run's events arrive while it waits", async () => {
    const client = connect(server);
    let runId = "";
    const result = await collectBatches(client, { graphId: "approval", input: { topic: "x" }, streamMode: ["updates"] }, (events, all) => {
      runId ||= runIdOf(all);
      if (events.some((e) => e.data[0] === "status" && (e.data[1] as { status: string }).status === "interrupted")) return "stop";
    });
    assert.equal((await server.runs.get(runId))?.status, "interrupted");
    assert.deepEqual(result.events.map((e) => e.data[0]), ["metadata", "updates", "updates", "status"]);
    sync(server.runs.cancel(runId, "test over"));
    await client.close();
  });

  it("coalesces a fast live run: events emitted a loop turn apart arrive several to a batch", async () => {
    const client = connect(server);
    // Without a minimum interval between live batches each event would be its own batch: the follower
    // is woken by every append, and the ticker yields a turn after each one.
    const live = await collectBatches(client, { graphId: "ticker", input: { count: 2000, every: 1, delayMs: 0 }, streamMode: ["custom"] });
    assert.equal(live.error, undefined);
    assertWellFormed(live, runIdOf(live.events));
    assert.equal(live.events.length, 2002);
    assert.ok(live.batches.length < live.events.length / 3, `${live.events.length} events came in ${live.batches.length} batches`);
    await client.close();
  });

  it("spaces live batches batchIntervalMs apart when asked: a run that trickles comes in fewer, larger batches", async () => {
    const client = connect(server);
    // 400 events a few ms apart. By default (4 ms) they come in many small batches; asked for 60 ms
    // batches, in about a twelfth as many. Only the ratio is asserted, with room to spare.
    const input: StreamBatchesInput = { graphId: "ticker", input: { count: 400, every: 2, delayMs: 1 }, streamMode: ["custom"] };
    const byDefault = await collectBatches(client, input);
    const spaced = await collectBatches(client, { ...input, batchIntervalMs: 60 });
    for (const result of [byDefault, spaced]) {
      assert.equal(result.error, undefined);
      assertWellFormed(result, runIdOf(result.events));
      assert.equal(result.events.length, 402);
    }
    assert.ok(spaced.batches.length * 3 < byDefault.batches.length, `${spaced.batches.length} batches at 60 ms, ${byDefault.batches.length} at the default`);
    await client.close();
  });

  it("never holds a replay back for batchIntervalMs: a finished run replays in full batches", async () => {
    const client = connect(server);
    const run = await collectBatches(client, { graphId: "ticker", input: { count: 1500, every: 500 }, streamMode: ["custom"] });
    const runId = runIdOf(run.events);
    const replay = await collectBatches(client, { runId, batchIntervalMs: 1_000 });
    assert.deepEqual(replay.events, run.events);
    assert.deepEqual(
      replay.batches.map((b) => b.size),
      [256, 256, 256, 256, 256, 222],
    );
    await client.close();
  });

  it("rejects a batchIntervalMs it cannot honour, naming the field and the limit", async () => {
    const client = connect(server);
    for (const batchIntervalMs of [5_000, -1, 1.5, "16"]) {
      const result = await collectBatches(client, { runId: "run_missing000", batchIntervalMs: batchIntervalMs as number });
      assert.ok(result.error, `batchIntervalMs ${JSON.stringify(batchIntervalMs)} was accepted`);
      assert.match(result.error.message, /^runs\.streamBatches: batchIntervalMs: /);
      if (batchIntervalMs === 5_000) assert.match(result.error.message, /1000/);
    }
    await client.close();
  });

  for (const [side, seed] of [
    ["client", 7],
    ["server", 8],
  ] as const) {
    it(`a socket killed ${side}-side many times resumes after the last batch received, with nothing lost or repeated (seed ${seed})`, async () => {
      const client = connect(server, { retryDelayMs: 1 });
      // About one batch in ten: batches hold ~25 events here, so kills land as often as runs.stream's 1 in 100 events.
      const killer = randomSocketKiller(side, client, server, { seed, chance: 0.1, maxKills: 15 });
      const runsBefore = (await server.runs.list()).length;
      const result = await collectBatches(
        client,
        { graphId: "ticker", input: { count: 3000, every: 25, delayMs: 2 }, streamMode: ["custom", "updates"] },
        () => killer.maybeKill(),
      );
      assert.equal(result.error, undefined, result.error?.message);
      assert.ok(killer.kills >= 5, `only ${killer.kills} kills happened`);
      const runId = runIdOf(result.events);
      const log = await collect(client, { runId });
      assert.deepEqual(result.events, log.events);
      result.events.forEach((event, i) => assert.equal(event.id, `${runId}:${i}`));
      assert.equal((await server.runs.list()).length, runsBefore + 1, "exactly one run was started");
      await client.close();
    });
  }

  it("rejects what runs.stream rejects, with the same message", async () => {
    const client = connect(server);
    for (const input of [{ graphId: "nope", input: {} }, { graphId: "joke", input: { topic: 5 } }, { runId: "run_missing000" }]) {
      const [batched, single] = await Promise.all([collectBatches(client, input), collect(client, input)]);
      assert.ok(batched.error, `${JSON.stringify(input)} was accepted`);
      assert.equal(batched.error.message, single.error?.message);
      assert.deepEqual(batched.events, []);
    }
    await client.close();
  });
});
