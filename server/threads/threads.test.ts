// Threads through the typed client on the real server: multi-turn, history, update and forks, runs from a
// past checkpoint, double texting (CONFLICT and the three strategies), NOT_FOUND, ownership.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { collect, collectBatches, connect, errorCode, liveServer, runIdOf, startServer, type Received, type TestClient, type TestServer } from "../test/harness";
import { gate, stepsGraph } from "./testThreadGraph";

const threadIdOf = (events: Received[]) => (events[0]!.data[1] as { thread_id: string }).thread_id;
const lastStatus = (events: Received[]) => events.at(-1)!.data[1] as { status: string; reason?: string };

describe("threads", () => {
  const live = liveServer({ extraGraphs: [stepsGraph] });
  const steps = (input: { label: string; hold?: string }, more: Record<string, unknown> = {}) =>
    collect(live.client, { graphId: "steps", input, streamMode: ["updates"], ...more });
  /** A held run on `threadId` (or a new thread), once it waits in "second" ({ following }: its subscription). */
  async function heldRun(name: string, threadId?: string) {
    const following = steps({ label: name, hold: name }, threadId ? { threadId } : {});
    await gate(name).entered;
    return { following };
  }

  it("multi-turn: a run without threadId gets a new thread (metadata thread_id); the next turn continues it", async () => {
    const first = await collect(live.client, { graphId: "chat", input: { messages: [{ role: "user", content: "Hello!" }] }, streamMode: ["values"] });
    assert.equal(first.error, undefined);
    const threadId = threadIdOf(first.events);
    assert.match(threadId, /^[0-9a-f-]{36}$/);
    assert.equal((await live.client.trpc.runs.get.query({ runId: runIdOf(first.events) })).threadId, threadId);
    const second = await collect(live.client, { graphId: "chat", input: { messages: [{ role: "user", content: "Tell me a joke about cats" }] }, streamMode: ["values"], threadId });
    assert.equal(second.error, undefined);
    assert.equal(threadIdOf(second.events), threadId);
    const state = await live.client.trpc.threads.get.query({ threadId });
    const messages = (state.values as { messages: Array<{ type: string; content: string }> }).messages;
    assert.deepEqual(messages.map((m) => m.type), ["human", "ai", "human", "ai"]);
    assert.equal(messages[2]!.content, "Tell me a joke about cats");
    assert.deepEqual([state.status, state.graphId, state.next, state.interrupts], ["idle", "chat", [], []]);
    assert.ok(state.checkpointId);
    const third = await collectBatches(live.client, { graphId: "chat", input: { messages: [{ role: "user", content: "Thanks" }] }, streamMode: ["updates"], threadId });
    assert.equal(third.error, undefined);
    assert.equal(threadIdOf(third.events), threadId, "runs.streamBatches takes threadId too");
    const after = await live.client.trpc.threads.get.query({ threadId });
    assert.equal((after.values as { messages: unknown[] }).messages.length, 6);
  });

  it("history: checkpoints newest first, with limit and before; parents chain", async () => {
    const { events } = await steps({ label: "a" });
    const threadId = threadIdOf(events);
    await steps({ label: "b" }, { threadId });
    const all = await live.client.trpc.threads.history.query({ threadId, limit: 100 });
    // Per run, as LangGraph counts steps: the input, after __start__, after first, after second.
    assert.equal(all.length, 8);
    assert.deepEqual(all.map((c) => c.metadata.step), [6, 5, 4, 3, 2, 1, 0, -1], "steps count on across runs");
    assert.deepEqual(all[0]!.values, { label: "b", hold: "", items: ["a-1", "a-2", "b-1", "b-2"] });
    for (let i = 0; i < all.length - 1; i++) assert.equal(all[i]!.parentCheckpointId, all[i + 1]!.checkpointId);
    assert.equal(all.at(-1)!.parentCheckpointId, null);
    assert.deepEqual(await live.client.trpc.threads.history.query({ threadId, limit: 2 }), all.slice(0, 2));
    assert.deepEqual(await live.client.trpc.threads.history.query({ threadId, limit: 3, before: all[1]!.checkpointId }), all.slice(2, 5));
    assert.equal((await live.client.trpc.threads.get.query({ threadId })).checkpointId, all[0]!.checkpointId);
  });

  it("update edits the latest state as a node; with checkpointId it forks from a past checkpoint", async () => {
    const { events } = await steps({ label: "a" });
    const threadId = threadIdOf(events);
    const { checkpointId } = await live.client.trpc.threads.update.mutate({ threadId, values: { items: ["edited"] }, asNode: "second" });
    const edited = await live.client.trpc.threads.get.query({ threadId });
    assert.equal(edited.checkpointId, checkpointId);
    assert.deepEqual((edited.values as { items: string[] }).items, ["a-1", "a-2", "edited"]);
    const history = await live.client.trpc.threads.history.query({ threadId, limit: 10 });
    const afterFirst = history.find((c) => c.next[0] === "second")!;
    await live.client.trpc.threads.update.mutate({ threadId, values: { items: ["forked"] }, asNode: "first", checkpointId: afterFirst.checkpointId });
    const forked = await live.client.trpc.threads.get.query({ threadId });
    assert.deepEqual((forked.values as { items: string[] }).items, ["a-1", "forked"]);
    assert.deepEqual(forked.next, ["second"], "the fork goes on after the node it was written as");
    // Input null runs the thread on from where it stands: "second" runs on the forked state.
    const continued = await collect(live.client, { graphId: "steps", input: null, streamMode: ["updates"], threadId });
    assert.equal(lastStatus(continued.events).status, "done");
    assert.deepEqual(((await live.client.trpc.threads.get.query({ threadId })).values as { items: string[] }).items, ["a-1", "forked", "a-2"]);
  });

  it("a run with checkpointId starts from that past checkpoint (a fork)", async () => {
    const { events } = await steps({ label: "a" });
    const threadId = threadIdOf(events);
    await steps({ label: "b" }, { threadId });
    const history = await live.client.trpc.threads.history.query({ threadId, limit: 10 });
    const endOfA = history.find((c) => (c.values as { items: string[] }).items.join() === "a-1,a-2" && c.next.length === 0)!;
    const fork = await steps({ label: "c" }, { threadId, checkpointId: endOfA.checkpointId });
    assert.equal(lastStatus(fork.events).status, "done");
    const state = await live.client.trpc.threads.get.query({ threadId });
    assert.deepEqual((state.values as { items: string[] }).items, ["a-1", "a-2", "c-1", "c-2"]);
  });

  it("a second run on a running thread is refused with CONFLICT naming the run and the strategies", async () => {
    const { following: held } = await heldRun("conflict");
    const runId = (await live.client.trpc.runs.list.query({ graphId: "steps", status: "running" }))[0]!.runId;
    const threadId = (await live.client.trpc.runs.get.query({ runId })).threadId!;
    assert.equal((await live.client.trpc.threads.get.query({ threadId })).status, "busy");
    const refused = await steps({ label: "x" }, { threadId });
    assert.equal(errorCode(refused.error), "CONFLICT");
    assert.match(refused.error!.message, new RegExp(`thread "${threadId}" is busy with run "${runId}"`));
    assert.match(refused.error!.message, /"enqueue".*"interrupt".*"rollback"/);
    const updating = await live.client.trpc.threads.update.mutate({ threadId, values: { items: ["x"] } }).catch((e: unknown) => e);
    assert.equal(errorCode(updating), "CONFLICT");
    gate("conflict").release();
    assert.equal(lastStatus((await held).events).status, "done");
  });

  it('"enqueue" starts once the running run has ended, on its final state', async () => {
    const { following: held } = await heldRun("enqueue");
    const runId = (await live.client.trpc.runs.list.query({ graphId: "steps", status: "running" }))[0]!.runId;
    const threadId = (await live.client.trpc.runs.get.query({ runId })).threadId!;
    const queued = steps({ label: "q" }, { threadId, multitaskStrategy: "enqueue" });
    gate("enqueue").release();
    assert.equal(lastStatus((await held).events).status, "done");
    const { events } = await queued;
    assert.equal(lastStatus(events).status, "done");
    assert.deepEqual((await live.client.trpc.threads.get.query({ threadId })).values, { label: "q", hold: "", items: ["enqueue-1", "enqueue-2", "q-1", "q-2"] });
  });

  it('"interrupt" cancels the running run and keeps its progress', async () => {
    const { events: base } = await steps({ label: "a" });
    const threadId = threadIdOf(base);
    const { following: held } = await heldRun("interrupt", threadId);
    const next = await steps({ label: "n" }, { threadId, multitaskStrategy: "interrupt" });
    const cancelled = lastStatus((await held).events);
    assert.equal(cancelled.status, "cancelled");
    assert.match(cancelled.reason!, /multitaskStrategy "interrupt"/);
    assert.equal(lastStatus(next.events).status, "done");
    const items = ((await live.client.trpc.threads.get.query({ threadId })).values as { items: string[] }).items;
    assert.deepEqual(items, ["a-1", "a-2", "interrupt-1", "n-1", "n-2"]);
  });

  it('"rollback" cancels the running run and drops the checkpoints it made', async () => {
    const { events: base } = await steps({ label: "a" });
    const threadId = threadIdOf(base);
    const before = await live.client.trpc.threads.history.query({ threadId, limit: 100 });
    const { following: held } = await heldRun("rollback", threadId);
    const next = await steps({ label: "n" }, { threadId, multitaskStrategy: "rollback" });
    assert.equal(lastStatus((await held).events).status, "cancelled");
    assert.equal(lastStatus(next.events).status, "done");
    const history = await live.client.trpc.threads.history.query({ threadId, limit: 100 });
    assert.deepEqual((history[0]!.values as { items: string[] }).items, ["a-1", "a-2", "n-1", "n-2"]);
    assert.ok(!history.some((c) => (c.values as { items: string[] }).items.includes("rollback-1")), "no checkpoint of the rolled-back run is left");
    assert.deepEqual(history.slice(-before.length), before, "the checkpoints before it are untouched");
  });

  it("an interrupted thread: status interrupted, its interrupts in threads.get; a resume ends it idle", async () => {
    let runId = "";
    const following = collect(live.client, { graphId: "approval", input: { topic: "x" }, streamMode: ["updates"] }, (event, all) => {
      if (event.data[0] === "status" && (event.data[1] as { status: string }).status === "interrupted") runId = runIdOf(all);
    });
    while (!runId) await new Promise((resolve) => setImmediate(resolve));
    const threadId = (await live.client.trpc.runs.get.query({ runId })).threadId!;
    await live.server.threads.runs.settled(threadId);
    const state = await live.client.trpc.threads.get.query({ threadId });
    assert.equal(state.status, "interrupted");
    assert.deepEqual(state.next, ["review"]);
    assert.deepEqual(state.interrupts.map((i) => i.value), [{ question: 'Approve topic "x and cats"?' }]);
    assert.equal(state.runId, runId);
    await live.client.trpc.runs.resume.mutate({ runId, resume: "yes" });
    assert.equal(lastStatus((await following).events).status, "done");
    await live.server.threads.runs.settled(threadId);
    assert.equal((await live.client.trpc.threads.get.query({ threadId })).status, "idle");
  });

  it("create, list (newest first, by graph and status) and delete", async () => {
    const made = await live.client.trpc.threads.create.mutate({ graphId: "steps", metadata: { title: "mine" } });
    assert.deepEqual([made.graphId, made.status, made.metadata], ["steps", "idle", { title: "mine" }]);
    const own = await live.client.trpc.threads.create.mutate({ graphId: "steps", threadId: "my-thread-0001" });
    const taken = await live.client.trpc.threads.create.mutate({ graphId: "steps", threadId: "my-thread-0001" }).catch((e: unknown) => e);
    assert.equal(errorCode(taken), "CONFLICT");
    const listed = await live.client.trpc.threads.list.query({ graphId: "steps", status: "idle", limit: 2 });
    assert.deepEqual(listed.map((t) => t.threadId), [own.threadId, made.threadId]);
    const { events } = await steps({ label: "d" }, { threadId: own.threadId });
    assert.equal(lastStatus(events).status, "done");
    await live.client.trpc.threads.delete.mutate({ threadId: own.threadId });
    const gone = await live.client.trpc.threads.get.query({ threadId: own.threadId }).catch((e: unknown) => e);
    assert.equal(errorCode(gone), "NOT_FOUND");
    assert.ok(!(await live.client.trpc.threads.list.query({ limit: 500 })).some((t) => t.threadId === own.threadId));
  });

  it("unknown threads and checkpoints are NOT_FOUND, naming them; bad inputs name the field", async () => {
    const threadId = "no-such-thread";
    for (const call of [
      () => live.client.trpc.threads.get.query({ threadId }),
      () => live.client.trpc.threads.history.query({ threadId }),
      () => live.client.trpc.threads.update.mutate({ threadId, values: {} }),
      () => live.client.trpc.threads.delete.mutate({ threadId }),
    ]) {
      const error = await call().catch((e: unknown) => e);
      assert.equal(errorCode(error), "NOT_FOUND");
      assert.match((error as Error).message, /thread "no-such-thread" not found/);
    }
    const run = await steps({ label: "x" }, { threadId });
    assert.equal(errorCode(run.error), "NOT_FOUND");
    const { events } = await steps({ label: "a" });
    const real = threadIdOf(events);
    const fork = await steps({ label: "x" }, { threadId: real, checkpointId: "1f0-nope" });
    assert.equal(errorCode(fork.error), "NOT_FOUND");
    assert.match(fork.error!.message, new RegExp(`checkpoint "1f0-nope" not found in thread "${real}"`));
    const update = await live.client.trpc.threads.update.mutate({ threadId: real, values: {}, checkpointId: "1f0-nope" }).catch((e: unknown) => e);
    assert.equal(errorCode(update), "NOT_FOUND");
    const otherGraph = await collect(live.client, { graphId: "joke", input: { topic: "x" }, threadId: real });
    assert.equal(errorCode(otherGraph.error), "BAD_REQUEST");
    assert.match(otherGraph.error!.message, /a thread of graph "steps", not "joke"/);
    const badLimit = await live.client.trpc.threads.history.query({ threadId: real, limit: 1000 }).catch((e: unknown) => e);
    assert.equal(errorCode(badLimit), "BAD_REQUEST");
    assert.match((badLimit as Error).message, /limit/);
    const badStrategy = await steps({ label: "x" }, { threadId: real, multitaskStrategy: "later" });
    assert.equal(errorCode(badStrategy.error), "BAD_REQUEST");
    assert.match(badStrategy.error!.message, /multitaskStrategy/);
    const badNode = await live.client.trpc.threads.update.mutate({ threadId: real, values: { items: ["x"] }, asNode: "nowhere" }).catch((e: unknown) => e);
    assert.equal(errorCode(badNode), "BAD_REQUEST");
    const noThreadFork = await steps({ label: "x" }, { checkpointId: "abc" });
    assert.equal(errorCode(noThreadFork.error), "BAD_REQUEST");
  });

  it("a refused start leaves no thread behind", async () => {
    const before = (await live.client.trpc.threads.list.query({ graphId: "steps", limit: 500 })).length;
    const refused = await steps({ label: "" });
    assert.equal(errorCode(refused.error), "BAD_REQUEST");
    assert.equal((await live.client.trpc.threads.list.query({ graphId: "steps", limit: 500 })).length, before);
  });
});

describe("threads with auth", () => {
  let server: TestServer;
  let alice: TestClient;
  let bob: TestClient;
  before(async () => {
    server = await startServer({ extraGraphs: [stepsGraph], config: { token: "alice:s1,bob:s2" } });
    alice = connect(server, { token: "s1" });
    bob = connect(server, { token: "s2" });
  });
  after(async () => {
    await alice.close();
    await bob.close();
    await server.close();
  });

  it("only the identity that created a thread sees it; others get NOT_FOUND", async () => {
    const { events } = await collect(alice, { graphId: "steps", input: { label: "a" }, streamMode: ["updates"] });
    const threadId = threadIdOf(events);
    assert.equal((await alice.trpc.threads.get.query({ threadId })).threadId, threadId);
    for (const call of [
      () => bob.trpc.threads.get.query({ threadId }),
      () => bob.trpc.threads.history.query({ threadId }),
      () => bob.trpc.threads.update.mutate({ threadId, values: {} }),
      () => bob.trpc.threads.delete.mutate({ threadId }),
    ]) {
      assert.equal(errorCode(await call().catch((e: unknown) => e)), "NOT_FOUND");
    }
    const run = await collect(bob, { graphId: "steps", input: { label: "b" }, threadId });
    assert.equal(errorCode(run.error), "NOT_FOUND");
    assert.deepEqual((await bob.trpc.threads.list.query()).map((t) => t.threadId), []);
    assert.deepEqual((await alice.trpc.threads.list.query()).map((t) => t.threadId), [threadId]);
  });
});

describe("threads past RILL_STORE_MAX_THREADS", () => {
  let server: TestServer;
  let client: TestClient;
  before(async () => {
    server = await startServer({ extraGraphs: [stepsGraph], config: { storeMaxThreads: 3 } });
    client = connect(server);
  });
  after(async () => {
    await client.close();
    await server.close();
  });

  it("the oldest threads with no run going are dropped, checkpoints too; a thread with a run going stays", async () => {
    const { following: held } = await (async () => {
      const following = collect(client, { graphId: "steps", input: { label: "h", hold: "retention" }, streamMode: ["updates"] });
      await gate("retention").entered;
      return { following };
    })();
    const heldThread = (await client.trpc.threads.list.query())[0]!.threadId;
    const made: string[] = [];
    for (let i = 0; i < 4; i++) {
      const { events } = await collect(client, { graphId: "steps", input: { label: `t${i}` }, streamMode: ["updates"] });
      made.push(threadIdOf(events));
      await server.threads.retention.settled();
    }
    const kept = (await client.trpc.threads.list.query({ limit: 10 })).map((t) => t.threadId);
    assert.deepEqual(kept, [made[3], made[2], heldThread], "the held thread is the oldest but has a run going");
    const saver = server.graphs.get("steps")!.threadState!()!.checkpointer as { getTuple(config: object): Promise<unknown> };
    assert.equal(await saver.getTuple({ configurable: { thread_id: made[0], checkpoint_ns: "" } }), undefined, "a dropped thread's checkpoints went with it");
    assert.equal(errorCode(await client.trpc.threads.get.query({ threadId: made[0]! }).catch((e: unknown) => e)), "NOT_FOUND");
    gate("retention").release();
    assert.equal(lastStatus((await held).events).status, "done");
  });
});
