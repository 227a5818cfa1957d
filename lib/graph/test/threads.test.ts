// Threads with a checkpointer: interrupt() and Command({ resume }), state snapshots, history,
// updateState, static interrupts (interruptBefore/After) and interrupts inside subgraphs.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Annotation, Command, END, MemorySaver, START, Send, StateGraph, interrupt } from "../index";

const State = Annotation.Root({
  topic: Annotation<string>(),
  answer: Annotation<string>(),
  n: Annotation<number>({ reducer: (a, b) => a + b, default: () => 0 }),
});

async function collect<T>(stream: AsyncIterable<T> | Promise<AsyncIterable<T>>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of await stream) out.push(item);
  return out;
}

const thread = (id: string) => ({ configurable: { thread_id: id } });

describe("interrupt and resume", () => {
  it("answers successive interrupt() calls of one node with successive resumes", async () => {
    let runs = 0;
    const graph = new StateGraph(State)
      .addNode("ask", () => {
        runs++;
        const a = interrupt<string, string>("first?");
        const b = interrupt<string, string>("second?");
        return { answer: a + b };
      })
      .addEdge(START, "ask")
      .compile({ checkpointer: new MemorySaver() });
    const first = await collect(graph.stream({ topic: "t" }, { ...thread("t1"), streamMode: "updates" }));
    assert.deepEqual((first[0].__interrupt__ as Array<{ value: unknown }>)[0].value, "first?");
    const second = await collect(graph.stream(new Command({ resume: "A" }), { ...thread("t1"), streamMode: "updates" }));
    assert.deepEqual((second[0].__interrupt__ as Array<{ value: unknown }>)[0].value, "second?");
    const third = await collect(graph.stream(new Command({ resume: "B" }), { ...thread("t1"), streamMode: "updates" }));
    assert.deepEqual(third, [{ ask: { answer: "AB" } }]);
    assert.equal(runs, 3);
  });

  it("resumes parallel interrupts by id, and reuses the writes of tasks that had finished", async () => {
    let cRuns = 0;
    const graph = new StateGraph(State)
      .addNode("a", () => ({ topic: interrupt<string, string>("qa") }))
      .addNode("b", () => ({ n: interrupt<string, number>("qb") }))
      .addNode("c", () => (cRuns++, { n: 5 }))
      .addEdge(START, "a")
      .addEdge(START, "b")
      .addEdge(START, "c")
      .compile({ checkpointer: new MemorySaver() });
    const first = await collect(graph.stream({ topic: "t" }, { ...thread("p"), streamMode: ["updates", "values"] }));
    assert.deepEqual(first.at(-1), ["values", { topic: "t", n: 5 }], "finished tasks are shown applied");
    const snapshot = await graph.getState(thread("p"));
    assert.deepEqual(snapshot.values, { topic: "t", n: 5 }, "getState applies the finished tasks' pending writes");
    assert.deepEqual(snapshot.next, ["a", "b"]);
    const ids = snapshot.tasks.flatMap((t) => t.interrupts.map((i) => i.id));
    assert.equal(ids.length, 2);
    const resumed = await collect(graph.stream(new Command({ resume: { [ids[0]]: "A", [ids[1]]: 7 } }), { ...thread("p"), streamMode: ["updates", "values"] }));
    assert.deepEqual(resumed, [
      ["values", { topic: "t", n: 0 }],
      ["updates", { c: { n: 5 }, __metadata__: { cached: true } }],
      ["updates", { a: { topic: "A" } }],
      ["updates", { b: { n: 7 } }],
      ["values", { topic: "A", n: 12 }],
    ]);
    assert.equal(cRuns, 1);
  });

  it("resumes an interrupt inside a subgraph without re-running the subgraph's earlier nodes", async () => {
    let innerRuns = 0;
    const sub = new StateGraph(State)
      .addNode("inner", () => (innerRuns++, { n: 1 }))
      .addNode("ask", () => ({ topic: interrupt<string, string>("sub?") }))
      .addEdge(START, "inner")
      .addEdge("inner", "ask")
      .compile();
    const graph = new StateGraph(State)
      .addNode("child", sub)
      .addNode("after", () => ({ n: 100 }))
      .addEdge(START, "child")
      .addEdge("child", "after")
      .compile({ checkpointer: new MemorySaver() });
    const first = await collect(graph.stream({ topic: "t" }, { ...thread("s"), streamMode: "updates", subgraphs: true }));
    const [ns, chunk] = first.at(-1)!;
    assert.deepEqual(ns, []);
    assert.deepEqual((chunk.__interrupt__ as Array<{ value: unknown }>)[0].value, "sub?");
    assert.deepEqual(await graph.invoke(new Command({ resume: "R" }), thread("s")), { topic: "R", n: 101 });
    assert.equal(innerRuns, 1);
  });

  it("finds the task after an await (interrupt() deep in async code)", async () => {
    const graph = new StateGraph(State)
      .addNode("ask", async () => {
        await new Promise((r) => setTimeout(r, 1));
        return { answer: interrupt<string, string>("later?") };
      })
      .addEdge(START, "ask")
      .compile({ checkpointer: new MemorySaver() });
    const first = (await graph.invoke({ topic: "t" }, thread("await"))) as Record<string, unknown>;
    assert.deepEqual((first.__interrupt__ as Array<{ value: unknown }>)[0].value, "later?");
    assert.equal((await graph.invoke(new Command({ resume: "now" }), thread("await"))).answer, "now");
  });

  it("starts over from START when a thread gets a new input", async () => {
    const graph = new StateGraph(State)
      .addNode("ask", (s) => ({ answer: `${s.topic}:${interrupt<string, string>("?")}` }))
      .addEdge(START, "ask")
      .compile({ checkpointer: new MemorySaver() });
    await graph.invoke({ topic: "one" }, thread("n"));
    const again = await collect(graph.stream({ topic: "two" }, { ...thread("n"), streamMode: "values" }));
    assert.deepEqual(again[0], { topic: "two", n: 0 });
    assert.deepEqual(await graph.invoke(new Command({ resume: "ok" }), thread("n")), { topic: "two", answer: "two:ok", n: 0 });
  });

  it("needs a thread_id when the graph has a checkpointer", async () => {
    const graph = new StateGraph(State).addNode("a", () => ({})).addEdge(START, "a").compile({ checkpointer: new MemorySaver() });
    await assert.rejects(graph.invoke({ topic: "t" }), /missing a required "thread_id"/);
  });

  it("refuses a resume without a checkpointer with LangGraph.js's message", async () => {
    const graph = new StateGraph(State).addNode("ask", () => ({ answer: "a" })).addEdge(START, "ask").compile({ interruptBefore: ["ask"] });
    assert.deepEqual(await graph.invoke({ topic: "t" }), { topic: "t", n: 0, __interrupt__: [] });
    await assert.rejects(graph.invoke(new Command({ resume: "ok" })), /^GraphValueError: Cannot use Command\(resume=\.\.\.\) without checkpointer$/);
  });
});

describe("state of a thread", () => {
  const build = () =>
    new StateGraph(State)
      .addNode("a", () => ({ n: 1 }))
      .addNode("b", () => ({ n: 10 }))
      .addNode("c", () => ({ n: 100 }))
      .addEdge(START, "a")
      .addEdge("a", "b")
      .addEdge("b", "c")
      .addEdge("c", END)
      .compile({ checkpointer: new MemorySaver() });

  it("reports an empty state for an unknown thread", async () => {
    assert.deepEqual(await build().getState(thread("nope")), { values: {}, next: [], config: { configurable: { thread_id: "nope" } }, tasks: [] });
  });

  it("lists the history newest first, each checkpoint with the results of the tasks that ran from it", async () => {
    const graph = build();
    await graph.invoke({ topic: "t" }, thread("h"));
    const history = [];
    for await (const s of graph.getStateHistory(thread("h"))) history.push(s);
    assert.deepEqual(history.map((s) => [s.metadata?.step, s.metadata?.source, s.next]), [
      [3, "loop", []],
      [2, "loop", ["c"]],
      [1, "loop", ["b"]],
      [0, "loop", ["a"]],
      [-1, "input", ["__start__"]],
    ]);
    assert.deepEqual(history[1].tasks[0].result, { n: 100 });
    assert.deepEqual(history[4].tasks[0].result, { topic: "t" });
    assert.equal(history[0].parentConfig?.configurable.checkpoint_id, history[1].config.configurable.checkpoint_id);
  });

  it("updateState writes as a node and schedules what follows it; null input continues", async () => {
    const graph = build();
    await graph.invoke({ topic: "t" }, thread("u"));
    const config = await graph.updateState(thread("u"), { topic: "edited" }, "a");
    assert.equal(typeof config.configurable.checkpoint_id, "string");
    const snapshot = await graph.getState(thread("u"));
    assert.deepEqual(snapshot.values, { topic: "edited", n: 111 });
    assert.deepEqual(snapshot.next, ["b"]);
    assert.equal(snapshot.metadata?.source, "update");
    assert.deepEqual(await graph.invoke(null, thread("u")), { topic: "edited", n: 221 });
  });

  it('updateState(config, [[values, asNode], ...], "__copy__") forks a checkpoint with those as its tasks\' results', async () => {
    const Names = Annotation.Root({ name: Annotation<string>({ reducer: (a, b) => (a === undefined ? b : `${a} > ${b}`) }) });
    let twos = 0;
    const graph = new StateGraph(Names)
      .addNode("one", () => new Command({ goto: [new Send("two", {})], update: { name: "one" } }))
      .addNode("two", () => ({ name: `two ${++twos}` }))
      .addEdge(START, "one")
      .addEdge("one", "two")
      .compile({ checkpointer: new MemorySaver() });
    await graph.invoke({ name: "start" }, thread("f"));
    const history = await collect(graph.getStateHistory(thread("f")));
    // history: [end, after one (next: two, two), after start (next: one), input (next: __start__)]
    assert.deepEqual(history[1].tasks.map((t) => t.name), ["two", "two"]);
    // The input, forked with another input; then the two tasks of "two", forked with other results.
    await graph.invoke(null, await graph.updateState(history[3].config, [[{ name: "start*" }, "__start__"]], "__copy__"));
    assert.deepEqual((await graph.getState(thread("f"))).values, { name: "start* > one > two 4 > two 3" });
    await graph.invoke(null, await graph.updateState(history[1].config, [[{ name: "x" }, "two"], [{ name: "y" }, "two"]], "__copy__"));
    const forked = await collect(graph.getStateHistory(thread("f")));
    assert.deepEqual(forked[0].values, { name: "start > one > x > y" });
    assert.equal(forked[1].metadata?.source, "fork");
    assert.deepEqual(forked[1].tasks.map((t) => t.result), [{ name: "x" }, { name: "y" }]);
    assert.equal(forked[1].parentConfig?.configurable.checkpoint_id, history[1].parentConfig?.configurable.checkpoint_id);
    assert.equal(twos, 4);
  });

  it("updateState defaults to the node that wrote last", async () => {
    const graph = build();
    await graph.invoke({ topic: "t" }, thread("d"));
    await graph.updateState(thread("d"), { n: 1 });
    const snapshot = await graph.getState(thread("d"));
    assert.deepEqual(snapshot.values, { topic: "t", n: 112 });
    assert.deepEqual(snapshot.next, []);
  });

  it("stops before and after the named nodes, then continues with null input", async () => {
    const before = new StateGraph(State)
      .addNode("a", () => ({ n: 1 }))
      .addNode("b", () => ({ n: 10 }))
      .addEdge(START, "a")
      .addEdge("a", "b")
      .compile({ checkpointer: new MemorySaver(), interruptBefore: ["b"] });
    const chunks = await collect(before.stream({ topic: "t" }, { ...thread("ib"), streamMode: ["updates", "values"] }));
    assert.deepEqual(chunks.slice(-2), [["updates", { __interrupt__: [] }], ["values", { __interrupt__: [] }]]);
    assert.deepEqual((await before.getState(thread("ib"))).next, ["b"]);
    assert.deepEqual(await before.invoke(null, thread("ib")), { topic: "t", n: 11 });

    const after = new StateGraph(State)
      .addNode("a", () => ({ n: 1 }))
      .addNode("b", () => ({ n: 10 }))
      .addEdge(START, "a")
      .addEdge("a", "b")
      .compile({ checkpointer: new MemorySaver(), interruptAfter: ["a"] });
    const result = await after.invoke({ topic: "t" }, thread("ia"));
    assert.deepEqual(result, { topic: "t", n: 1, __interrupt__: [] });
    assert.deepEqual(await after.invoke(null, thread("ia")), { topic: "t", n: 11 });
  });

  it("streamSync works with MemorySaver", () => {
    const graph = build();
    const chunks = [...graph.streamSync({ topic: "t" }, { ...thread("sync"), streamMode: "checkpoints" })];
    assert.deepEqual(chunks.map((c) => c.metadata.step), [-1, 0, 1, 2, 3]);
  });
});
