// streamEvents({ version: "v3" }): LangGraph.js's protocol events over a Rill run.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Annotation, Command, END, MemorySaver, START, StateGraph, StreamChannel, interrupt } from "../index";
import type { ProtocolEvent } from "./protocolEvents";

const State = Annotation.Root({ count: Annotation<number>({ reducer: (a, b) => a + b, default: () => 0 }) });

function twoSteps() {
  return new StateGraph(State)
    .addNode("one", (_s, config) => {
      config.writer?.({ hello: "world" });
      return { count: 1 };
    })
    .addNode("two", () => ({ count: 10 }))
    .addEdge(START, "one")
    .addEdge("one", "two")
    .addEdge("two", END);
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

describe("streamEvents v3", () => {
  it("numbers events, wraps custom payloads, splits updates per node, and resolves output and values", async () => {
    const run = await twoSteps().compile().streamEvents({ count: 0 }, { version: "v3" });
    const events = await collect(run);
    assert.ok(events.every((e, i) => e.type === "event" && e.seq === i + 1 && e.params.timestamp > 0 && Array.isArray(e.params.namespace)));
    assert.deepEqual(events.filter((e) => e.method === "updates").map((e) => e.params.data), [{ node: "one", values: { count: 1 } }, { node: "two", values: { count: 10 } }]);
    assert.deepEqual(events.filter((e) => e.method === "custom").map((e) => e.params.data), [{ payload: { hello: "world" } }]);
    assert.deepEqual(await collect(run.values), [{ count: 0 }, { count: 1 }, { count: 11 }]);
    assert.deepEqual(await run.output, { count: 11 });
    assert.equal(run.interrupted, false);
  });

  it("runs without a reader, reports interrupts, resumes; a checkpoint event precedes the values it holds", async () => {
    const graph = new StateGraph(State)
      .addNode("ask", () => ({ count: Number(interrupt("how many?")) }))
      .addEdge(START, "ask")
      .compile({ checkpointer: new MemorySaver() });
    const config = { configurable: { thread_id: "t" } };
    const first = await graph.streamEvents({ count: 0 }, { ...config, version: "v3" });
    await first.output;
    assert.deepEqual(first.interrupts.map((i) => i.payload), ["how many?"]);
    const second = await graph.streamEvents(new Command({ resume: 5 }), { ...config, version: "v3" });
    const events = await collect(second);
    assert.deepEqual(await second.output, { count: 5 });
    const methods = events.map((e) => e.method);
    const lastValues = methods.lastIndexOf("values");
    assert.equal(methods[lastValues - 1], "checkpoints");
    assert.equal((events[lastValues - 1].params.data as { source: string }).source, "loop");
  });

  it("pairs each values event with the checkpoint holding those values (one each, linked parent to child), as LangGraph.js", async () => {
    const run = await twoSteps().compile({ checkpointer: new MemorySaver() }).streamEvents({ count: 0 }, { configurable: { thread_id: "pairs" }, version: "v3" });
    const events = await collect(run);
    const values = events.filter((e) => e.method === "values");
    const checkpoints = events.filter((e) => e.method === "checkpoints").map((e) => e.params.data as { id: string; parent_id?: string; source: string });
    assert.ok(values.length > 1);
    assert.equal(checkpoints.length, values.length);
    for (const [i, event] of events.entries()) if (event.method === "values") assert.equal(events[i - 1].method, "checkpoints");
    for (let i = 1; i < checkpoints.length; i++) assert.equal(checkpoints[i].parent_id, checkpoints[i - 1].id);
    assert.ok(checkpoints.every((c) => c.source === "loop"));
  });

  it("run.subgraphs: a stream per subgraph under the root with its own events, framed by lifecycle; companion checkpoints without a checkpointer", async () => {
    const inner = new StateGraph(State).addNode("add", () => ({ count: 5 })).addEdge(START, "add").compile();
    const outer = new StateGraph(State).addNode("child", inner).addEdge(START, "child").compile();
    const run = await outer.streamEvents({ count: 0 }, { version: "v3" });
    const found: Array<{ name: string; index: number; methods: string[]; namespaces: string[]; values: unknown[] }> = [];
    for await (const sub of run.subgraphs) {
      const events = await collect(sub);
      found.push({ name: sub.name, index: sub.index, methods: events.map((e) => e.method), namespaces: events.map((e) => e.params.namespace.join("|")), values: await collect(sub.values) });
    }
    assert.equal(found.length, 1);
    const [child] = found;
    assert.equal(child.name, "child");
    assert.equal(child.index, 0);
    assert.ok(child.namespaces.every((ns) => /^child:[0-9a-f-]+$/.test(ns)));
    assert.deepEqual(child.methods, ["lifecycle", "checkpoints", "values", "tasks", "updates", "tasks", "checkpoints", "values", "lifecycle"]);
    assert.deepEqual(child.values, [{ count: 0 }, { count: 5 }]);
    const root = (await collect(run)).filter((e) => e.method === "lifecycle").map((e) => [e.params.namespace.length, (e.params.data as { event: string }).event]);
    assert.deepEqual(root, [[0, "running"], [1, "started"], [1, "completed"], [0, "completed"]]);
    assert.deepEqual(await run.output, { count: 5 });
  });

  it("a failed run: its subgraphs end failed, the root failed with the message, and run.subgraphs throws the error", async () => {
    const inner = new StateGraph(State)
      .addNode("breaks", (): { count: number } => {
        throw new Error("broken inside");
      })
      .addEdge(START, "breaks")
      .compile();
    const run = await new StateGraph(State).addNode("child", inner).addEdge(START, "child").compile().streamEvents({ count: 0 }, { version: "v3" });
    await assert.rejects(collect(run.subgraphs), /broken inside/);
    const lifecycle: unknown[] = [];
    await assert.rejects(async () => {
      for await (const e of run) if (e.method === "lifecycle") lifecycle.push(e.params.data);
    }, /broken inside/);
    assert.deepEqual(lifecycle, [
      { event: "running", graph_name: "root" },
      { event: "started", graph_name: "child" },
      { event: "failed", graph_name: "child" },
      { event: "failed", graph_name: "root", error: "broken inside" },
    ]);
  });

  it("encodes as text/event-stream, and refuses other versions by name", async () => {
    const bytes = await twoSteps().compile().streamEvents({ count: 0 }, { version: "v3", encoding: "text/event-stream" });
    const decoder = new TextDecoder();
    let body = "";
    for await (const chunk of bytes) body += decoder.decode(chunk, { stream: true });
    assert.ok(body.includes('event: values\ndata: {"count":11}\n\n'));
    assert.throws(() => twoSteps().compile().streamEvents({ count: 0 }, { version: "v1" } as never), /"v3".*"v2".*got "v1"/);
  });

  it("v2 (LangChain's events): the graph's start/stream/end around each task's start/end, returned with cancel()", async () => {
    const stream = twoSteps().compile().streamEvents({ count: 0 }, { version: "v2", tags: ["t"] });
    const events: Array<{ event: string; name: string; data: Record<string, unknown>; tags: string[] }> = [];
    for await (const event of stream) events.push(event as unknown as (typeof events)[number]);
    // The graph's chunks (on_chain_stream) interleave with the tasks as fast as the consumer reads them.
    const runs = events.filter((e) => e.event !== "on_chain_stream");
    assert.deepEqual(
      runs.map((e) => `${e.event}:${e.name}`),
      ["on_chain_start:LangGraph", "on_chain_start:__start__", "on_chain_end:__start__", "on_chain_start:one", "on_chain_end:one", "on_chain_start:two", "on_chain_end:two", "on_chain_end:LangGraph"],
    );
    assert.deepEqual(events.filter((e) => e.event === "on_chain_stream").map((e) => e.data.chunk), [{ one: { count: 1 } }, { two: { count: 10 } }]);
    assert.deepEqual(events.at(-1)!.data.output, { count: 11 });
    assert.deepEqual(events[0].tags, ["t"]);
    const cancelled = twoSteps().compile().streamEvents({ count: 0 }, { version: "v2" });
    for await (const event of cancelled) if (event.event === "on_chain_stream") break;
    await cancelled.cancel();
  });
});

describe("streamEvents v3 transformers", () => {
  it("runs each event through process (false keeps it out), merges init()'s projections into run.extensions", async () => {
    let seen = 0;
    const counter = () => {
      let resolve!: (n: number) => void;
      const total = new Promise<number>((r) => (resolve = r));
      return { init: () => ({ total }), process: () => (++seen, true), finalize: () => resolve(seen) };
    };
    const noUpdates = () => ({ init: () => ({}), process: (event: ProtocolEvent) => event.method !== "updates" });
    const run = await twoSteps().compile().streamEvents({ count: 0 }, { version: "v3", transformers: [counter, noUpdates] });
    const events = await collect(run);
    assert.equal(events.filter((e) => e.method === "updates").length, 0);
    assert.ok(events.every((e, i) => e.seq === i + 1));
    assert.equal(await run.extensions.total, seen);
    // The promised value is also shown, last, as a custom event.
    assert.deepEqual(events.at(-1)!.params.data, { name: "total", payload: seen });
  });

  it("shows a named StreamChannel's items as custom:<name> events, readable through run.extensions", async () => {
    const logger = () => {
      const steps = StreamChannel.remote<string>("steps");
      return {
        init: () => ({ steps }),
        process: (event: ProtocolEvent) => {
          if (event.method === "updates") steps.push((event.params.data as { node: string }).node);
          return true;
        },
      };
    };
    const run = await twoSteps().compile().streamEvents({ count: 0 }, { version: "v3", transformers: [logger] });
    const events = await collect(run);
    assert.deepEqual(events.filter((e) => e.method === "custom:steps").map((e) => e.params.data), ["one", "two"]);
    assert.deepEqual(await collect(run.extensions.steps as AsyncIterable<string>), ["one", "two"]);
  });
});
