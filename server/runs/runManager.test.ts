import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { z } from "zod";
import type { StreamPart } from "../../lib/graph/types";
import { parseEventId } from "../../lib/run/eventId";
import type { RunEvent } from "./runEvent";
import { RunRequestError } from "./runErrors";
import { RunManager, type RunLimits } from "./runManager";
import { EventsEvictedError, type RunStoreLimits } from "./runStore";
import { MemoryRunStore } from "./stores/memory/memoryRunStore";
import { sync } from "./test/sync";
import type { PacingLimits, SubscriberSocket } from "./subscriberPacing";
import type { GraphSource } from "./graphSource";
import {
  abortable,
  countingScript,
  fakeGraph,
  fakeSource,
  FakeResume,
  gate,
  jokeScript,
  type Script,
} from "./test/fakeGraphs";

const storeLimits: RunStoreLimits = {
  maxEventsPerRun: 100_000,
  maxBytesPerRun: 50_000_000,
  maxRuns: 1000,
  maxTotalBytes: 100_000_000,
  maxAgeMs: 3_600_000,
};
const runLimits: RunLimits = {
  maxConcurrentRuns: 10,
  maxRunsPerClient: 3,
  runTimeoutMs: 0,
  interruptTimeoutMs: 0,
  maxRecursionLimit: 100,
};
const pacing: PacingLimits = { highWaterBytes: 1 << 20, maxBufferedBytes: 8 << 20, slowTimeoutMs: 1000 };

function makeManager(
  graphs: GraphSource,
  options: { limits?: Partial<RunLimits>; store?: Partial<RunStoreLimits>; pacing?: Partial<PacingLimits> } = {},
) {
  const logs: Array<{ msg: string }> = [];
  const manager = new RunManager({
    store: new MemoryRunStore({ ...storeLimits, ...options.store }),
    graphs,
    limits: { ...runLimits, ...options.limits },
    pacing: { ...pacing, ...options.pacing },
    resumeCommand: (value) => new FakeResume(value),
    modelLabel: "offline:test",
    log: (line) => logs.push(line),
  });
  return { manager, logs };
}

interface Received {
  id: string;
  event: RunEvent;
}

async function collect(iterable: AsyncIterable<{ id: string; event: { parse(): RunEvent } }>, until?: (r: Received) => boolean) {
  const out: Received[] = [];
  for await (const item of iterable) {
    const received = { id: item.id, event: item.event.parse() };
    out.push(received);
    if (until?.(received)) break;
  }
  return out;
}

function follow(manager: RunManager, runId: string, lastEventId?: string, socket?: SubscriberSocket) {
  const after = lastEventId === undefined ? null : parseEventId(lastEventId);
  assert.ok(lastEventId === undefined || after, `test bug: ${lastEventId} is not an event id`);
  return sync(manager.follow({ runId, after, signal: new AbortController().signal, socket }));
}

const withJoke = () => fakeSource(fakeGraph("joke", jokeScript));

describe("RunManager", () => {
  it("logs metadata, every tuple in order and a final status, with ids <runId>:<seq>", async () => {
    const { manager } = makeManager(withJoke());
    const { record } = sync(manager.start({ graphId: "joke", input: { topic: "ice cream" }, streamMode: ["updates", "custom"] }, "c1"));
    const runId = record.metadata.run_id;
    const received = await collect(follow(manager, runId));
    assert.deepEqual(received.map((r) => r.id), received.map((_, i) => `${runId}:${i}`));
    assert.deepEqual(received[0]!.event, ["metadata", record.metadata]);
    assert.deepEqual(received.slice(1).map((r) => r.event), [
      ["updates", { refine_topic: { topic: "ice cream and cats" } }],
      ["custom", { custom_key: "Writing custom data while generating a joke" }],
      ["updates", { generate_joke: { joke: "This is a joke about ice cream and cats" } }],
      ["status", { status: "done" }],
    ]);
    assert.equal(sync(manager.get(runId))?.status, "done");
    assert.equal(manager.runningCount, 0);
  });

  it("passes only the requested modes through, in order", async () => {
    const { manager } = makeManager(withJoke());
    const { record } = sync(manager.start({ graphId: "joke", input: { topic: "x" }, streamMode: ["values"] }, "c1"));
    const events = (await collect(follow(manager, record.metadata.run_id))).map((r) => r.event);
    assert.deepEqual(events.slice(1), [
      ["values", { topic: "x" }],
      ["values", { topic: "x and cats" }],
      ["values", { topic: "x and cats", joke: "This is a joke about x and cats" }],
      ["status", { status: "done" }],
    ]);
  });

  it("records the model label only for graphs that use a model", () => {
    const model = { ...fakeGraph("llm", jokeScript), usesModel: true };
    const { manager } = makeManager(fakeSource(fakeGraph("joke", jokeScript), model));
    assert.equal(sync(manager.start({ graphId: "llm", input: { topic: "x" }, streamMode: ["custom"] }, "c")).record.metadata.model, "offline:test");
    assert.equal(sync(manager.start({ graphId: "joke", input: { topic: "x" }, streamMode: ["custom"] }, "c")).record.metadata.model, undefined);
  });

  it("lets several followers and late joiners see the same sequence, from the start or from lastEventId", async () => {
    const g = gate();
    const { manager } = makeManager(fakeSource(fakeGraph("count", countingScript(50, { after: 20, wait: g.wait }))));
    const runId = sync(manager.start({ graphId: "count", input: { topic: "x" }, streamMode: ["custom"] }, "c1")).record.metadata.run_id;
    const a = collect(follow(manager, runId));
    const b = collect(follow(manager, runId));
    const early = await collect(follow(manager, runId), (r) => r.id === `${runId}:10`);
    g.open();
    const [ra, rb] = await Promise.all([a, b]);
    assert.equal(ra.length, 1 + 50 + 1);
    assert.deepEqual(ra, rb);
    assert.deepEqual(early, ra.slice(0, 11));
    const late = await collect(follow(manager, runId));
    assert.deepEqual(late, ra);
    const resumed = await collect(follow(manager, runId, `${runId}:10`));
    assert.deepEqual(resumed, ra.slice(11), "resuming yields exactly what follows lastEventId, no metadata again");
    assert.deepEqual(await collect(follow(manager, runId, `${runId}:51`)), []);
  });

  it("keeps running when its followers leave", async () => {
    const g = gate();
    const { manager } = makeManager(fakeSource(fakeGraph("count", countingScript(30, { after: 5, wait: g.wait }))));
    const runId = sync(manager.start({ graphId: "count", input: { topic: "x" }, streamMode: ["custom"] }, "c1")).record.metadata.run_id;
    const controller = new AbortController();
    const first: Received[] = [];
    for await (const item of sync(manager.follow({ runId, signal: controller.signal }))) {
      first.push({ id: item.id, event: item.event.parse() });
      if (first.length === 3) controller.abort();
    }
    assert.equal(first.length, 3, "an aborted follower stops");
    g.open();
    const all = await collect(follow(manager, runId));
    assert.equal(all.at(-1)!.event[0], "status");
    assert.deepEqual(all.at(-1)!.event, ["status", { status: "done" }]);
    assert.equal(all.length, 1 + 30 + 1);
  });

  it("a follower waiting for events stops promptly when its signal aborts", async () => {
    const g = gate();
    const { manager } = makeManager(fakeSource(fakeGraph("count", countingScript(3, { after: 1, wait: g.wait }))));
    const runId = sync(manager.start({ graphId: "count", input: { topic: "x" }, streamMode: ["custom"] }, "c1")).record.metadata.run_id;
    const controller = new AbortController();
    const iterator = sync(manager.follow({ runId, signal: controller.signal }));
    assert.equal((await iterator.next()).done, false); // metadata
    assert.equal((await iterator.next()).done, false); // custom 1
    const pending = iterator.next(); // waits for the gate
    controller.abort();
    assert.equal((await pending).done, true);
    g.open();
    sync(manager.cancel(runId));
  });

  it("fails a run whose graph throws: everything before, then [error], then status error", async () => {
    const script: Script = async function* () {
      yield ["updates", { refine_topic: { topic: "x and cats" } }];
      throw new TypeError("boom in generate_joke");
    };
    const { manager } = makeManager(fakeSource(fakeGraph("fail", script)));
    const runId = sync(manager.start({ graphId: "fail", input: { topic: "x" }, streamMode: ["updates"] }, "c1")).record.metadata.run_id;
    const events = (await collect(follow(manager, runId))).map((r) => r.event);
    assert.deepEqual(events.slice(1), [
      ["updates", { refine_topic: { topic: "x and cats" } }],
      ["error", { name: "TypeError", message: "boom in generate_joke" }],
      ["status", { status: "error" }],
    ]);
    assert.deepEqual(sync(manager.get(runId))?.error, { name: "TypeError", message: "boom in generate_joke" });
  });

  it("fails a run whose chunk cannot be serialized, naming the mode", async () => {
    const script: Script = async function* () {
      yield ["custom", { n: 10n }];
    };
    const { manager } = makeManager(fakeSource(fakeGraph("bigint", script)));
    const runId = sync(manager.start({ graphId: "bigint", input: { topic: "x" }, streamMode: ["custom"] }, "c1")).record.metadata.run_id;
    const events = (await collect(follow(manager, runId))).map((r) => r.event);
    assert.equal(events[1]![0], "error");
    assert.match((events[1]![1] as { message: string }).message, /"custom" chunk is not JSON-serializable/);
  });

  it("cancels a running run: the engine is aborted and followers get a final cancelled status", async () => {
    const g = gate();
    let engineSignal: AbortSignal | undefined;
    const script: Script = async function* (_input, options) {
      engineSignal = options.signal;
      yield ["custom", { i: 1 }];
      await abortable(g.wait, options.signal);
      yield ["custom", { i: 2 }];
    };
    const { manager } = makeManager(fakeSource(fakeGraph("slow", script)));
    const runId = sync(manager.start({ graphId: "slow", input: { topic: "x" }, streamMode: ["custom"] }, "c1")).record.metadata.run_id;
    const following = collect(follow(manager, runId));
    await collect(follow(manager, runId), (r) => r.id === `${runId}:1`);
    sync(manager.cancel(runId, "user pressed cancel"));
    const events = (await following).map((r) => r.event);
    assert.deepEqual(events.slice(1), [["custom", { i: 1 }], ["status", { status: "cancelled", reason: "user pressed cancel" }]]);
    assert.equal(engineSignal?.aborted, true);
    assert.equal(sync(manager.get(runId))?.status, "cancelled");
    assert.equal(manager.runningCount, 0);
    sync(manager.cancel(runId)); // idempotent
    assert.equal(sync(manager.get(runId))?.status, "cancelled");
  });

  it("interrupts, waits with followers attached, then resumes the same run and log", async () => {
    const script: Script = async function* (input) {
      if (input instanceof FakeResume) {
        yield ["updates", { review: { approved: input.resume } }];
        yield ["updates", { generate_joke: { joke: `approved=${String(input.resume)}` } }];
        return;
      }
      yield ["updates", { refine_topic: { topic: "x and cats" } }];
      yield ["updates", { __interrupt__: [{ id: "int-1", value: { question: "Approve?" } }] }];
    };
    const { manager } = makeManager(fakeSource(fakeGraph("approval", script)));
    const runId = sync(manager.start({ graphId: "approval", input: { topic: "x" }, streamMode: ["updates"] }, "c1")).record.metadata.run_id;
    const whole = collect(follow(manager, runId));
    const untilInterrupted = await collect(follow(manager, runId), (r) => r.event[0] === "status");
    assert.deepEqual(untilInterrupted.at(-1)!.event, [
      "status",
      { status: "interrupted", interrupts: [{ id: "int-1", value: { question: "Approve?" } }] },
    ]);
    assert.equal(sync(manager.get(runId))?.status, "interrupted");
    assert.equal(manager.runningCount, 0, "an interrupted run does not count as running");
    assert.throws(() => manager.resume("nope-00000", 1), (e: unknown) => e instanceof RunRequestError && e.code === "NOT_FOUND");
    sync(manager.resume(runId, "yes"));
    assert.throws(
      () => manager.resume(runId, "again"),
      (e: unknown) => e instanceof RunRequestError && e.code === "PRECONDITION_FAILED" && /is running/.test(e.message),
    );
    const events = (await whole).map((r) => r.event);
    assert.deepEqual(events.slice(1), [
      ["updates", { refine_topic: { topic: "x and cats" } }],
      ["updates", { __interrupt__: [{ id: "int-1", value: { question: "Approve?" } }] }],
      ["status", { status: "interrupted", interrupts: [{ id: "int-1", value: { question: "Approve?" } }] }],
      ["status", { status: "running" }],
      ["updates", { review: { approved: "yes" } }],
      ["updates", { generate_joke: { joke: "approved=yes" } }],
      ["status", { status: "done" }],
    ]);
  });

  it("reports interrupts even when the client did not ask for updates", async () => {
    const script: Script = async function* () {
      yield ["values", { topic: "x" }];
      yield ["updates", { __interrupt__: [{ id: "i", value: "q" }] }];
    };
    const { manager } = makeManager(fakeSource(fakeGraph("approval", script)));
    const { record } = sync(manager.start({ graphId: "approval", input: { topic: "x" }, streamMode: ["values"] }, "c1"));
    const events = (await collect(follow(manager, record.metadata.run_id), (r) => r.event[0] === "status")).map((r) => r.event);
    assert.deepEqual(events.slice(1), [["values", { topic: "x" }], ["status", { status: "interrupted", interrupts: [{ id: "i", value: "q" }] }]]);
    sync(manager.cancel(record.metadata.run_id));
  });

  it("cancels an interrupted run that is not resumed in time", async () => {
    const script: Script = async function* () {
      yield ["updates", { __interrupt__: [{ id: "i", value: "q" }] }];
    };
    const { manager } = makeManager(fakeSource(fakeGraph("approval", script)), { limits: { interruptTimeoutMs: 30 } });
    const runId = sync(manager.start({ graphId: "approval", input: { topic: "x" }, streamMode: ["updates"] }, "c1")).record.metadata.run_id;
    // The manager's timers are unref'd (they never hold a process open); this test has nothing else alive.
    const keepAlive = setTimeout(() => {}, 10_000);
    const events = (await collect(follow(manager, runId))).map((r) => r.event);
    clearTimeout(keepAlive);
    assert.deepEqual(events.at(-1), ["status", { status: "cancelled", reason: "not resumed within 30 ms (RILL_INTERRUPT_TIMEOUT_MS)" }]);
  });

  it("rejects an unknown graph and a bad input with messages naming them", () => {
    const { manager } = makeManager(withJoke());
    assert.throws(
      () => manager.start({ graphId: "nope", input: {}, streamMode: ["updates"] }, "c1"),
      (e: unknown) => e instanceof RunRequestError && e.code === "NOT_FOUND" && e.message === 'unknown graph "nope"; this server runs: joke',
    );
    assert.throws(
      () => manager.start({ graphId: "joke", input: { topic: 3 }, streamMode: ["updates"] }, "c1"),
      (e: unknown) =>
        e instanceof RunRequestError &&
        e.code === "BAD_REQUEST" &&
        e.message === 'graph "joke": input.topic: Invalid input: expected string, received number',
    );
    assert.throws(
      () => manager.start({ graphId: "joke", input: { topic: "x" }, streamMode: ["updates"], config: { recursionLimit: 1000 } }, "c1"),
      (e: unknown) => e instanceof RunRequestError && /config\.recursionLimit: 1000 is above .* 100 \(RILL_MAX_RECURSION_LIMIT\)/.test(e.message),
    );
    assert.equal(sync(manager.list()).length, 0, "nothing was started");
  });

  it("applies the input schema's defaults before the graph sees the input", async () => {
    let seen: unknown;
    const script: Script = async function* (input) {
      seen = input;
      yield ["custom", input];
    };
    const { manager } = makeManager(fakeSource(fakeGraph("d", script, z.object({ n: z.number().default(3) }))));
    const { record } = sync(manager.start({ graphId: "d", input: {}, streamMode: ["custom"] }, "c1"));
    await collect(follow(manager, record.metadata.run_id));
    assert.deepEqual(seen, { n: 3 });
    assert.deepEqual(record.input, { n: 3 });
  });

  it("limits running runs per connection and in total; others are unaffected", async () => {
    const g = gate();
    const { manager } = makeManager(fakeSource(fakeGraph("count", countingScript(2, { after: 1, wait: g.wait }))), {
      limits: { maxConcurrentRuns: 4, maxRunsPerClient: 2 },
    });
    const start = (owner: string) => sync(manager.start({ graphId: "count", input: { topic: "x" }, streamMode: ["custom"] }, owner));
    const a1 = start("a");
    start("a");
    assert.throws(
      () => start("a"),
      (e: unknown) =>
        e instanceof RunRequestError && e.code === "TOO_MANY_REQUESTS" && /RILL_MAX_RUNS_PER_CLIENT=2/.test(e.message),
    );
    start("b");
    start("c");
    assert.throws(
      () => start("d"),
      (e: unknown) => e instanceof RunRequestError && e.code === "TOO_MANY_REQUESTS" && /RILL_MAX_RUNS=4/.test(e.message),
    );
    sync(manager.cancel(a1.record.metadata.run_id));
    start("d");
    g.open();
    const done = await Promise.all(sync(manager.list()).map((r) => collect(follow(manager, r.metadata.run_id))));
    assert.equal(done.filter((events) => JSON.stringify(events.at(-1)!.event) === '["status",{"status":"done"}]').length, 4);
  });

  it("joins instead of starting twice when the client's runId exists", async () => {
    const { manager } = makeManager(fakeSource(fakeGraph("joke", jokeScript), fakeGraph("other", jokeScript)));
    const first = sync(manager.start({ graphId: "joke", input: { topic: "x" }, streamMode: ["updates"], runId: "client-chosen-1" }, "c1"));
    const second = sync(manager.start({ graphId: "joke", input: { topic: "y" }, streamMode: ["values"], runId: "client-chosen-1" }, "c2"));
    assert.equal(first.joined, false);
    assert.equal(second.joined, true);
    assert.equal(second.record, first.record);
    assert.equal(sync(manager.list()).length, 1);
    assert.throws(
      () => manager.start({ graphId: "other", input: { topic: "x" }, streamMode: ["updates"], runId: "client-chosen-1" }, "c1"),
      (e: unknown) => e instanceof RunRequestError && e.code === "CONFLICT",
    );
    await collect(follow(manager, "client-chosen-1"));
  });

  it("rejects a lastEventId of another run or ahead of the log", async () => {
    const { manager } = makeManager(withJoke());
    const runId = sync(manager.start({ graphId: "joke", input: { topic: "x" }, streamMode: ["updates"] }, "c1")).record.metadata.run_id;
    await collect(follow(manager, runId));
    assert.throws(() => follow(manager, runId, "other_run:3"), (e: unknown) => e instanceof RunRequestError && e.code === "BAD_REQUEST");
    assert.throws(() => follow(manager, runId, `${runId}:99`), (e: unknown) => e instanceof RunRequestError && /is ahead of run/.test(e.message));
    assert.throws(() => follow(manager, "missing-run-1"), (e: unknown) => e instanceof RunRequestError && e.code === "NOT_FOUND");
  });

  it("tells a follower whose events were evicted, instead of skipping them", async () => {
    const { manager } = makeManager(fakeSource(fakeGraph("count", countingScript(50))), { store: { maxEventsPerRun: 10 } });
    const runId = sync(manager.start({ graphId: "count", input: { topic: "x" }, streamMode: ["custom"] }, "c1")).record.metadata.run_id;
    await manager.whenEnded(runId);
    await assert.rejects(collect(follow(manager, runId)), (e: unknown) => e instanceof EventsEvictedError && e.firstSeq === 42);
    const tail = await collect(follow(manager, runId, `${runId}:45`));
    assert.deepEqual(tail.map((r) => r.id), [46, 47, 48, 49, 50, 51].map((s) => `${runId}:${s}`));
  });

  it("drops a subscriber whose socket stays congested, without slowing the run", async () => {
    const { manager, logs } = makeManager(fakeSource(fakeGraph("count", countingScript(200))), {
      pacing: { highWaterBytes: 100, maxBufferedBytes: 1_000_000, slowTimeoutMs: 20 },
    });
    let terminated = false;
    const socket: SubscriberSocket = { bufferedAmount: 0, readyState: 1, terminate: () => (terminated = true) };
    const runId = sync(manager.start({ graphId: "count", input: { topic: "x" }, streamMode: ["custom"] }, "c1")).record.metadata.run_id;
    const received: Received[] = [];
    for await (const item of follow(manager, runId, undefined, socket)) {
      received.push({ id: item.id, event: item.event.parse() });
      if (received.length === 5) (socket as { bufferedAmount: number }).bufferedAmount = 5000; // the client stopped reading
    }
    assert.equal(terminated, true);
    assert.equal(received.length, 5);
    assert.ok(logs.some((l) => /slow subscriber dropped/.test(l.msg)));
    const all = await collect(follow(manager, runId, received.at(-1)!.id));
    assert.equal(all.length, 200 + 1 + 1 - 5, "the run went on; a resume gets the rest");
    assert.equal(sync(manager.get(runId))?.status, "done");
  });

  it("waits for a congested socket that drains in time", async () => {
    const { manager } = makeManager(fakeSource(fakeGraph("count", countingScript(20))), {
      pacing: { highWaterBytes: 100, maxBufferedBytes: 1_000_000, slowTimeoutMs: 5_000 },
    });
    const socket = { bufferedAmount: 0, readyState: 1, terminate: () => assert.fail("must not drop") };
    const runId = sync(manager.start({ graphId: "count", input: { topic: "x" }, streamMode: ["custom"] }, "c1")).record.metadata.run_id;
    let n = 0;
    for await (const _ of follow(manager, runId, undefined, socket)) {
      n++;
      if (n === 3) {
        socket.bufferedAmount = 1000;
        setTimeout(() => (socket.bufferedAmount = 0), 30);
      }
    }
    assert.equal(n, 22);
  });

  it("shutdown cancels every active run with a final event and refuses new ones", async () => {
    const g = gate();
    const graphs = fakeSource(
      fakeGraph("count", countingScript(5, { after: 2, wait: g.wait })),
      fakeGraph("approval", async function* (): AsyncGenerator<StreamPart> {
        yield ["updates", { __interrupt__: [{ id: "i", value: "q" }] }];
      }),
    );
    const { manager } = makeManager(graphs);
    const a = sync(manager.start({ graphId: "count", input: { topic: "x" }, streamMode: ["custom"] }, "c1")).record.metadata.run_id;
    const b = sync(manager.start({ graphId: "approval", input: { topic: "x" }, streamMode: ["updates"] }, "c1")).record.metadata.run_id;
    await collect(follow(manager, b), (r) => r.event[0] === "status");
    assert.equal(manager.shutdown("server shutting down"), 2);
    for (const runId of [a, b]) {
      const events = await collect(follow(manager, runId));
      assert.deepEqual(events.at(-1)!.event, ["status", { status: "cancelled", reason: "server shutting down" }]);
    }
    assert.throws(
      () => manager.start({ graphId: "count", input: { topic: "x" }, streamMode: ["custom"] }, "c1"),
      (e: unknown) => e instanceof RunRequestError && e.code === "SERVICE_UNAVAILABLE",
    );
    manager.close();
  });
});
