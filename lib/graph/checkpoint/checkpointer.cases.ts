// The behaviour every checkpointer must have, run against each implementation: Rill's (memory/) and,
// as the cross-wiring tests, LangGraph's MemorySaver and SqliteSaver (langgraphSavers.test.ts). First
// the saver contract on its own (LangGraph's rules), then Rill's engine checkpointing through the saver:
// interrupt, resume, getState, getStateHistory, updateState, forks, Sends, joins and subgraphs.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Annotation, Command, END, START, Send, StateGraph, interrupt } from "../index";
import type { BaseCheckpointSaver, Checkpoint, CheckpointConfig, CheckpointMetadata, CheckpointTuple } from "./base";

let counter = 0;
function checkpoint(values: Record<string, unknown>): Checkpoint {
  counter++;
  const id = `00000000-0000-0000-0000-${String(counter).padStart(12, "0")}`;
  return { v: 4, id, ts: new Date().toISOString(), channel_values: values, channel_versions: {}, versions_seen: {} };
}
const meta = (step: number, source: CheckpointMetadata["source"] = "loop"): CheckpointMetadata => ({ source, step, parents: {} });
const thread = (thread_id: string, checkpoint_id?: string, checkpoint_ns = "") => ({ configurable: { thread_id, checkpoint_ns, ...(checkpoint_id ? { checkpoint_id } : {}) } });
const idOf = (config: CheckpointConfig | undefined) => config?.configurable?.checkpoint_id as string | undefined;

async function all(iterable: AsyncIterable<CheckpointTuple>): Promise<CheckpointTuple[]> {
  const out: CheckpointTuple[] = [];
  for await (const t of iterable) out.push(t);
  return out;
}

async function collect<T>(stream: AsyncIterable<T> | Promise<AsyncIterable<T>>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of await stream) out.push(item);
  return out;
}

export interface SaverCaseOptions {
  /**
   * Whether the saver keeps channels named "__proto__", "constructor", ... (default true). LangGraph.js's
   * own savers do not (their graphs cannot have such channels); Rill's must, whoever calls them.
   */
  prototypeNamedChannels?: boolean;
}

/** The saver contract and the engine cases. */
export function runCheckpointerCases(name: string, make: () => BaseCheckpointSaver, options: SaverCaseOptions = {}): void {
  runSaverContractCases(name, make, options);
  runEngineCheckpointCases(name, make);
}

export function runSaverContractCases(name: string, make: () => BaseCheckpointSaver, options: SaverCaseOptions = {}): void {
  describe(`checkpointer: ${name}`, () => {
    it("has nothing for an unknown thread, or without a thread_id", async () => {
      const saver = make();
      assert.equal(await saver.getTuple(thread("none")), undefined);
      assert.equal(await saver.get(thread("none")), undefined);
      assert.deepEqual(await all(saver.list(thread("none"))), []);
      await saver.put(thread("t"), checkpoint({}), meta(0), {});
      assert.equal(await saver.getTuple({ configurable: {} }), undefined);
    });

    it("returns the latest checkpoint, or the one named by checkpoint_id, with its parent", async () => {
      const saver = make();
      const first = checkpoint({ n: 1 });
      const firstConfig = await saver.put(thread("t"), first, meta(0), {});
      assert.equal(idOf(firstConfig), first.id);
      const second = checkpoint({ n: 2 });
      await saver.put(firstConfig, second, meta(1), {});
      const latest = await saver.getTuple(thread("t"));
      assert.deepEqual(latest?.checkpoint.channel_values, { n: 2 });
      assert.equal(idOf(latest?.parentConfig), first.id);
      assert.deepEqual(latest?.metadata, meta(1));
      const named = await saver.getTuple(thread("t", first.id));
      assert.deepEqual(named?.checkpoint.channel_values, { n: 1 });
      assert.equal(named?.parentConfig, undefined);
      assert.deepEqual((await saver.get(thread("t", first.id)))?.channel_values, { n: 1 });
    });

    it("lists newest first, with limit, before and a metadata filter", async () => {
      const saver = make();
      let config: CheckpointConfig = thread("t");
      const ids: string[] = [];
      for (let step = 0; step < 4; step++) {
        const c = checkpoint({ step });
        ids.push(c.id);
        config = await saver.put(config, c, meta(step, step === 0 ? "input" : "loop"), {});
      }
      const listed = async (options?: Parameters<BaseCheckpointSaver["list"]>[1]) => (await all(saver.list(thread("t"), options))).map((t) => t.checkpoint.id);
      assert.deepEqual(await listed(), [...ids].reverse());
      assert.deepEqual(await listed({ limit: 2 }), [ids[3], ids[2]]);
      assert.deepEqual(await listed({ before: thread("t", ids[2]) }), [ids[1], ids[0]]);
      assert.deepEqual(await listed({ filter: { source: "input" } }), [ids[0]]);
    });

    it("keeps pending writes by (task, index): a regular write is kept, an error/interrupt/resume replaced", async () => {
      const saver = make();
      const config = await saver.put(thread("t"), checkpoint({}), meta(0), {});
      await saver.putWrites(config, [["a", 1], ["b", 2]], "task-1");
      await saver.putWrites(config, [["a", 3]], "task-1");
      await saver.putWrites(config, [["__interrupt__", "first"]], "task-2");
      await saver.putWrites(config, [["__interrupt__", "second"]], "task-2");
      const tuple = await saver.getTuple(thread("t"));
      assert.deepEqual(tuple?.pendingWrites, [["task-1", "a", 1], ["task-1", "b", 2], ["task-2", "__interrupt__", "second"]]);
      await saver.put(config, checkpoint({}), meta(1), {});
      assert.deepEqual((await saver.getTuple(thread("t")))?.pendingWrites, []);
      await assert.rejects(() => saver.putWrites(thread("t"), [["a", 1]], "task-3"), "putWrites needs a checkpoint_id");
    });

    it("keeps threads and namespaces apart, lists across them when not named, and deletes a thread", async () => {
      const saver = make();
      await saver.put(thread("a"), checkpoint({ who: "a" }), meta(0), {});
      await saver.put(thread("b"), checkpoint({ who: "b" }), meta(0), {});
      await saver.put(thread("a", undefined, "child:1"), checkpoint({ who: "a/child" }), meta(0), {});
      assert.deepEqual((await saver.getTuple(thread("a")))?.checkpoint.channel_values, { who: "a" });
      assert.deepEqual((await saver.getTuple(thread("a", undefined, "child:1")))?.checkpoint.channel_values, { who: "a/child" });
      const whoIn = async (config: CheckpointConfig) => (await all(saver.list(config))).map((t) => t.checkpoint.channel_values.who).sort();
      assert.deepEqual(await whoIn({ configurable: { thread_id: "a" } }), ["a", "a/child"]);
      assert.deepEqual(await whoIn({ configurable: {} }), ["a", "a/child", "b"]);
      await saver.deleteThread("a");
      assert.equal(await saver.getTuple(thread("a")), undefined);
      assert.equal(await saver.getTuple(thread("a", undefined, "child:1")), undefined);
      assert.deepEqual((await saver.getTuple(thread("b")))?.checkpoint.channel_values, { who: "b" });
    });

    it("keeps channels named like Object.prototype's properties (__proto__, constructor, toString), changed or not", { skip: options.prototypeNamedChannels === false && "LangGraph.js's savers lose such channels" }, async () => {
      const saver = make();
      const names = ["__proto__", "constructor", "toString", "hasOwnProperty"];
      const v1 = saver.getNextVersion(undefined);
      const v2 = saver.getNextVersion(v1);
      const keyed = (value: (name: string) => unknown) => {
        // JSON.parse gives own "__proto__" keys, as a client's JSON would.
        const out = JSON.parse(`{${names.map((n) => `"${n}": 0`).join(", ")}}`) as Record<string, unknown>;
        for (const n of names) Object.defineProperty(out, n, { value: value(n), writable: true, enumerable: true, configurable: true });
        return out;
      };
      const first = checkpoint({ ...keyed((n) => ({ from: n })), n: 1 });
      first.channel_versions = { ...keyed(() => v1), n: v1 } as Checkpoint["channel_versions"];
      first.versions_seen = { node: keyed(() => v1) as Checkpoint["channel_versions"] };
      const firstConfig = await saver.put(thread("proto"), first, meta(0), first.channel_versions);
      // The second checkpoint changes only "n": the others are held by the first one's row in a durable saver.
      const second = checkpoint({ ...first.channel_values, n: 2 });
      second.channel_versions = { ...first.channel_versions, n: v2 };
      second.versions_seen = first.versions_seen;
      const secondConfig = await saver.put(firstConfig, second, meta(1), { n: v2 });
      await saver.putWrites(secondConfig, [["__proto__", { polluted: "write" }], ["constructor", "w"], ["constructor", "w2"]], "task-1");
      for (const tuple of [await saver.getTuple(thread("proto")), (await all(saver.list(thread("proto"))))[0]]) {
        const got = tuple!.checkpoint;
        for (const part of [got.channel_values, got.channel_versions, got.versions_seen, got.versions_seen.node]) {
          assert.equal(Object.getPrototypeOf(part), Object.prototype);
        }
        for (const n of names) {
          assert.ok(Object.hasOwn(got.channel_values, n), `channel_values keeps "${n}"`);
          assert.deepEqual(got.channel_values[n], { from: n });
          assert.ok(Object.hasOwn(got.channel_versions, n) && Object.hasOwn(got.versions_seen.node, n), `versions keep "${n}"`);
        }
        assert.equal(got.channel_values.n, 2);
        assert.deepEqual(tuple!.pendingWrites, [["task-1", "__proto__", { polluted: "write" }], ["task-1", "constructor", "w"], ["task-1", "constructor", "w2"]]);
      }
      // The writes since the seed of each: the first checkpoint holds the values, the second's writes come after it.
      const third = checkpoint({ ...second.channel_values });
      third.channel_versions = second.channel_versions;
      const thirdConfig = await saver.put(secondConfig, third, meta(2), {});
      const history = await saver.getDeltaChannelHistory({ config: thirdConfig, channels: ["__proto__", "constructor"] });
      assert.deepEqual(Object.keys(history), ["__proto__", "constructor"]);
      assert.deepEqual(history["__proto__"], { seed: { from: "__proto__" }, writes: [["task-1", "__proto__", { polluted: "write" }]] });
      assert.deepEqual(history.constructor, { seed: { from: "constructor" }, writes: [["task-1", "constructor", "w"], ["task-1", "constructor", "w2"]] });
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
    });

    it("rejects a put without a thread_id", async () => {
      const saver = make();
      await assert.rejects(() => saver.put({ configurable: {} }, checkpoint({}), meta(0), {}));
    });

  });
}

/** Rill's engine checkpointing through the saver. */
export function runEngineCheckpointCases(name: string, make: () => BaseCheckpointSaver): void {
  describe(`Rill's engine with ${name}`, () => {
    const Review = Annotation.Root({ topic: Annotation<string>(), approved: Annotation<string>() });
    const reviewGraph = (saver: BaseCheckpointSaver) =>
      new StateGraph(Review)
        .addNode("refine", (s) => ({ topic: `${s.topic}!` }))
        .addNode("review", () => ({ approved: interrupt<string, string>("ok?") }))
        .addEdge(START, "refine")
        .addEdge("refine", "review")
        .addEdge("review", END)
        .compile({ checkpointer: saver });

    it("lets a graph interrupt, resume and show its state and history", async () => {
      const graph = reviewGraph(make());
      const config = { configurable: { thread_id: "g" } };
      const first = await graph.invoke({ topic: "t" }, config);
      assert.deepEqual((first as unknown as { __interrupt__: Array<{ value: unknown }> }).__interrupt__.map((i) => i.value), ["ok?"]);
      const paused = await graph.getState(config);
      assert.deepEqual(paused.values, { topic: "t!" });
      assert.deepEqual(paused.next, ["review"]);
      assert.deepEqual(paused.tasks.map((t) => t.interrupts.map((i) => i.value)), [["ok?"]]);
      assert.deepEqual(await graph.invoke(new Command({ resume: "yes" }), config), { topic: "t!", approved: "yes" });
      const history = [];
      for await (const snapshot of graph.getStateHistory(config)) history.push([snapshot.metadata?.step, snapshot.next]);
      assert.deepEqual(history, [[2, []], [1, ["review"]], [0, ["refine"]], [-1, ["__start__"]]]);
      const done = await graph.getState(config);
      assert.deepEqual(done.values, { topic: "t!", approved: "yes" });
      assert.equal(idOf(done.parentConfig), idOf((await collectHistory(graph, config))[1].config));
    });

    it("updates the state as a node and forks from an earlier checkpoint", async () => {
      const graph = reviewGraph(make());
      const config = { configurable: { thread_id: "f" } };
      await graph.invoke({ topic: "t" }, config);
      // updateState at the interrupt, as the interrupted node: the graph goes on past it.
      const updated = await graph.updateState(config, { approved: "by hand" }, "review");
      assert.equal(typeof updated.configurable.checkpoint_id, "string");
      assert.deepEqual((await graph.getState(config)).values, { topic: "t!", approved: "by hand" });
      assert.deepEqual((await graph.getState(config)).next, []);
      // Fork: the checkpoint before "refine" ran, with another topic; running it replays from there.
      const history = await collectHistory(graph, config);
      const beforeRefine = history.find((s) => s.next[0] === "refine")!;
      const forked = await graph.updateState(beforeRefine.config, { topic: "other" }, START);
      const forkState = await graph.getState(forked);
      assert.deepEqual(forkState.values, { topic: "other" });
      assert.deepEqual(forkState.next, ["refine"]);
      const resumedFork = await graph.invoke(null, forked);
      assert.deepEqual((resumedFork as unknown as { __interrupt__: unknown[] }).__interrupt__.length, 1);
      assert.deepEqual(await graph.invoke(new Command({ resume: "fork ok" }), config), { topic: "other!", approved: "fork ok" });
      // Replaying an old checkpoint by id re-runs from it and keeps the original history.
      const replay = await graph.invoke(null, beforeRefine.config);
      assert.equal((replay as { topic: string }).topic, "t!");
      assert.ok((await collectHistory(graph, config)).length > history.length);
    });

    it("resumes parallel interrupts by id and reuses the writes of the tasks that had finished", async () => {
      const State = Annotation.Root({ a: Annotation<string>(), b: Annotation<string>(), c: Annotation<number>({ reducer: (x, y) => x + y, default: () => 0 }) });
      let cRuns = 0;
      const graph = new StateGraph(State)
        .addNode("ask_a", () => ({ a: interrupt<string, string>("qa") }))
        .addNode("ask_b", () => ({ b: interrupt<string, string>("qb") }))
        .addNode("count_c", () => (cRuns++, { c: 5 }))
        .addEdge(START, "ask_a")
        .addEdge(START, "ask_b")
        .addEdge(START, "count_c")
        .compile({ checkpointer: make() });
      const config = { configurable: { thread_id: "p" } };
      await graph.invoke({}, config);
      const snapshot = await graph.getState(config);
      assert.deepEqual(snapshot.values, { c: 5 });
      assert.deepEqual(snapshot.next, ["ask_a", "ask_b"]);
      const byValue = Object.fromEntries(snapshot.tasks.flatMap((t) => t.interrupts.map((i) => [i.value, i.id])));
      const result = await graph.invoke(new Command({ resume: { [byValue.qa as string]: "A", [byValue.qb as string]: "B" } }), config);
      assert.deepEqual(result, { a: "A", b: "B", c: 5 });
      assert.equal(cRuns, 1, "the finished task is not run again");
    });

    it("keeps Send tasks and waiting edges across an interrupt", async () => {
      const State = Annotation.Root({
        items: Annotation<string[]>({ reducer: (x, y) => x.concat(y), default: () => [] }),
        ok: Annotation<string>(),
      });
      const graph = new StateGraph(State)
        .addNode("fan", () => ({}))
        .addNode("work", (arg: { item: string }) => ({ items: [`done ${arg.item}`] }))
        .addNode("left", () => ({ items: ["left"] }))
        .addNode("gate", () => ({ ok: interrupt<string, string>("go?") }))
        .addNode("join", (s) => ({ items: [`joined ${s.ok}`] }))
        .addEdge(START, "fan")
        .addEdge(START, "left")
        .addConditionalEdges("fan", () => [new Send("work", { item: "x" }), new Send("work", { item: "y" })])
        .addEdge("left", "gate")
        .addEdge(["work", "gate"], "join")
        .addEdge("join", END)
        .compile({ checkpointer: make() });
      const config = { configurable: { thread_id: "s" } };
      await graph.invoke({ items: [] }, config);
      const paused = await graph.getState(config);
      assert.deepEqual(paused.next, ["gate"]);
      const result = await graph.invoke(new Command({ resume: "yes" }), config);
      assert.deepEqual(result, { items: ["left", "done x", "done y", "joined yes"], ok: "yes" });
    });

    it("checkpoints a subgraph that interrupts, and resumes it", async () => {
      const Child = Annotation.Root({ topic: Annotation<string>(), answer: Annotation<string>() });
      const child = new StateGraph(Child)
        .addNode("ask", () => ({ answer: interrupt<string, string>("child?") }))
        .addEdge(START, "ask")
        .compile();
      const graph = new StateGraph(Child)
        .addNode("child", child)
        .addNode("after", (s) => ({ topic: `${s.topic} after ${s.answer}` }))
        .addEdge(START, "child")
        .addEdge("child", "after")
        .compile({ checkpointer: make() });
      const config = { configurable: { thread_id: "sub" } };
      const first = await collect(graph.stream({ topic: "t" }, { ...config, streamMode: "updates", subgraphs: true }));
      assert.ok(first.some(([, chunk]) => (chunk as Record<string, unknown>).__interrupt__ !== undefined));
      assert.deepEqual(await graph.invoke(new Command({ resume: "42" }), config), { topic: "t after 42", answer: "42" });
    });
  });
}

async function collectHistory(graph: { getStateHistory(config: { configurable: Record<string, unknown> }): AsyncIterable<{ config: { configurable: Record<string, unknown> }; next: string[] }> }, config: { configurable: Record<string, unknown> }) {
  const out = [];
  for await (const snapshot of graph.getStateHistory(config)) out.push(snapshot);
  return out;
}
