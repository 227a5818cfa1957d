// LangChain callback tracing and streamEvents on Rill's engine: the graph run and each task reach a
// callback handler as chain runs (nested, named, tagged, with the task's metadata), LangChain code a node
// calls nests under its task, bound and call-time callbacks both hear the run, and failures end the runs
// with the error. streamEvents v2 yields the graph's chunks as on_chain_stream.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BaseCallbackHandler } from "@langchain/core/callbacks/base";
import { BaseTracer, type Run } from "@langchain/core/tracers/base";
import type { Serialized } from "@langchain/core/load/serializable";
import { FakeListChatModel } from "@langchain/core/utils/testing";
import { Annotation, END, MemorySaver, START, StateGraph, entrypoint, interrupt, task } from "../../index";

interface Started {
  name: string | undefined;
  runId: string;
  parentRunId: string | undefined;
  tags: string[] | undefined;
  metadata: Record<string, unknown> | undefined;
}

class RecordingHandler extends BaseCallbackHandler {
  name = "recording";
  readonly starts: Started[] = [];
  readonly ends: Array<{ runId: string; outputs: unknown }> = [];
  readonly errors: Array<{ runId: string; message: string }> = [];
  readonly chatModels: Started[] = [];

  override handleChainStart(_chain: Serialized, _inputs: unknown, runId: string, parentRunId?: string, tags?: string[], metadata?: Record<string, unknown>, _runType?: string, name?: string) {
    this.starts.push({ name, runId, parentRunId, tags, metadata });
  }
  override handleChainEnd(outputs: unknown, runId: string) {
    this.ends.push({ runId, outputs });
  }
  override handleChainError(error: Error, runId: string) {
    this.errors.push({ runId, message: error.message });
  }
  override handleChatModelStart(_llm: Serialized, _messages: unknown, runId: string, parentRunId?: string, _extra?: unknown, tags?: string[], metadata?: Record<string, unknown>, name?: string) {
    this.chatModels.push({ name, runId, parentRunId, tags, metadata });
  }
}

const State = Annotation.Root({ text: Annotation<string>() });

function sequence() {
  return new StateGraph(State)
    .addNode("first", (s) => ({ text: s.text + "1" }))
    .addNode("second", async (s) => ({ text: s.text + "2" }))
    .addEdge(START, "first")
    .addEdge("first", "second")
    .addEdge("second", END)
    .compile();
}

describe("callback tracing", () => {
  it("reports an entrypoint's run and its function's task, with no __start__ input task (LangGraph.js's entrypoint has none)", async () => {
    const handler = new RecordingHandler();
    const graph = entrypoint({ name: "graph", checkpointer: new MemorySaver() }, async (input: number[]) => input.map((i) => i * 2));
    assert.deepEqual(await graph.invoke([1, 2], { configurable: { thread_id: "traced-entrypoint" }, callbacks: [handler] }), [2, 4]);
    assert.deepEqual(handler.starts.map((s) => s.name), ["graph", "graph"]);
    assert.equal(handler.starts[1].parentRunId, handler.starts[0].runId);
  });

  it("reports each task() call as a chain run beside the entrypoint's task, with its arguments and result", async () => {
    const handler = new RecordingHandler();
    const double = task("double", async (x: number) => x * 2);
    const graph = entrypoint({ name: "graph", checkpointer: new MemorySaver() }, async (input: number[]) => Promise.all(input.map((i) => double(i))));
    assert.deepEqual(await graph.invoke([1, 2], { configurable: { thread_id: "traced-calls" }, callbacks: [handler] }), [2, 4]);
    assert.deepEqual(handler.starts.map((s) => s.name), ["graph", "graph", "double", "double"]);
    const [graphRun, , first, second] = handler.starts;
    for (const call of [first, second]) {
      assert.equal(call.parentRunId, graphRun.runId);
      assert.equal(call.metadata?.langgraph_node, "double");
    }
    const outputs = handler.ends.filter((e) => e.runId === first.runId || e.runId === second.runId).map((e) => e.outputs);
    assert.deepEqual(outputs.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))), [{ output: 2 }, { output: 4 }]);
  });

  it("reports the graph run and each task (the input step hidden) as nested chain runs", async () => {
    const handler = new RecordingHandler();
    const result = await sequence().invoke({ text: "a" }, { callbacks: [handler], runName: "Mine", metadata: { user: "u1" } });
    assert.deepEqual(result, { text: "a12" });
    assert.deepEqual(handler.starts.map((s) => s.name), ["Mine", "__start__", "first", "second"]);
    const [graph, input, first, second] = handler.starts;
    assert.equal(graph.parentRunId, undefined);
    for (const task of [input, first, second]) assert.equal(task.parentRunId, graph.runId);
    assert.deepEqual(input.tags, ["graph:step:0", "langsmith:hidden"]);
    assert.deepEqual(second.tags, ["graph:step:2"]);
    assert.equal(second.metadata?.langgraph_node, "second");
    assert.equal(second.metadata?.langgraph_step, 2);
    assert.equal(second.metadata?.user, "u1");
    const graphEnd = handler.ends.find((e) => e.runId === graph.runId);
    assert.deepEqual(graphEnd?.outputs, { text: "a12" });
    assert.deepEqual(handler.ends.find((e) => e.runId === second.runId)?.outputs, { text: "a12" });
  });

  it("nests a chat model a node calls without its config, and a conditional edge, under the task", async () => {
    const handler = new RecordingHandler();
    const graph = new StateGraph(State)
      .addNode("ask", async (s) => ({ text: String((await new FakeListChatModel({ responses: ["hi"] }).invoke(s.text)).content) }))
      .addEdge(START, "ask")
      .addConditionalEdges("ask", () => END)
      .compile();
    await graph.invoke({ text: "hello" }, { callbacks: [handler] });
    const ask = handler.starts.find((s) => s.name === "ask")!;
    assert.equal(handler.chatModels.length, 1);
    assert.equal(handler.chatModels[0].parentRunId, ask.runId);
    assert.equal(handler.chatModels[0].metadata?.langgraph_node, "ask");
    const edge = handler.starts.find((s) => s.name === "RunnableLambda")!;
    assert.equal(edge.parentRunId, ask.runId);
    assert.deepEqual(handler.ends.find((e) => e.runId === edge.runId)?.outputs, { output: END });
  });

  it("nests a subgraph node's own graph run (and its input step and tasks) under the node's task", async () => {
    const handler = new RecordingHandler();
    const child = new StateGraph(State).addNode("inner", (s) => ({ text: s.text + "i" })).addEdge(START, "inner").compile({ name: "Child" });
    const parent = new StateGraph(State).addNode("sub", child).addEdge(START, "sub").compile();
    assert.deepEqual(await parent.invoke({ text: "a" }, { callbacks: [handler] }), { text: "ai" });
    const byName = (name: string) => handler.starts.filter((s) => s.name === name);
    assert.deepEqual(handler.starts.map((s) => s.name), ["LangGraph", "__start__", "sub", "Child", "__start__", "inner"]);
    const sub = byName("sub")[0];
    const childRun = byName("Child")[0];
    assert.equal(childRun.parentRunId, sub.runId);
    assert.equal(byName("inner")[0].parentRunId, childRun.runId);
    assert.equal(byName("__start__")[1].parentRunId, childRun.runId);
    assert.deepEqual(handler.ends.find((e) => e.runId === childRun.runId)?.outputs, { text: "ai" });
  });

  it("hears the run once per handler when callbacks are bound with withConfig and given at call time", async () => {
    const bound = new RecordingHandler();
    const call = new RecordingHandler();
    await sequence().withConfig({ callbacks: [bound] }).invoke({ text: "a" }, { callbacks: [call] });
    assert.equal(bound.starts.length, 4);
    assert.equal(call.starts.length, 4);
  });

  it("ends a failed task's run and the graph's run with the error", async () => {
    const handler = new RecordingHandler();
    const graph = new StateGraph(State)
      .addNode("boom", () => {
        throw new Error("boom failed");
      })
      .addEdge(START, "boom")
      .compile();
    await assert.rejects(graph.invoke({ text: "a" }, { callbacks: [handler] }), /boom failed/);
    const boom = handler.starts.find((s) => s.name === "boom")!;
    const graphRun = handler.starts.find((s) => s.name === "LangGraph")!;
    assert.deepEqual(handler.errors.map((e) => e.runId).sort(), [boom.runId, graphRun.runId].sort());
  });

  it("a tracer has persisted the failed graph run, with its error, when the run rejects", async () => {
    class Tracer extends BaseTracer {
      name = "persisting";
      readonly runs: Run[] = [];
      protected async persistRun(run: Run): Promise<void> {
        this.runs.push(run);
      }
    }
    const tracer = new Tracer();
    // (a subgraph's node interrupting without a checkpointer: the run fails with MISSING_CHECKPOINTER)
    const inner = new StateGraph(State)
      .addNode("ask", () => ({ text: interrupt<string, string>("?") }))
      .addEdge(START, "ask")
      .compile();
    const graph = new StateGraph(State).addNode("inner", inner).addEdge(START, "inner").compile();
    await assert.rejects(graph.invoke({ text: "a" }, { callbacks: [tracer] }), /No checkpointer set/);
    assert.equal(tracer.runs.length, 1);
    assert.match(String(tracer.runs[0].error), /No checkpointer set/);
    assert.equal(tracer.runs[0].outputs, undefined);
  });

});

// In a fresh process, a loader hook prints every @langchain/core module loaded (ESM loads are not in require.cache),
// synchronously to fd 1 (as the script's own marks are), so the order is the order of loading.
const lazyLoadScript = `
import { register } from "node:module";
import { writeSync } from "node:fs";
register("data:text/javascript," + encodeURIComponent(
  'import { writeSync } from "node:fs"; export async function resolve(s, c, next) { const r = await next(s, c); if (r.url.includes("@langchain/core")) writeSync(1, "CORE " + r.url + "\\\\n"); return r; }'));
const { Annotation, START, StateGraph } = await import("./lib/graph/index.ts");
const State = Annotation.Root({ text: Annotation() });
const graph = new StateGraph(State).addNode("a", (s) => ({ text: s.text + "!" })).addEdge(START, "a").compile();
await graph.invoke({ text: "x" }, { callbacks: [], tags: ["t"], runName: "r" });
for await (const _ of await graph.stream({ text: "x" }, { streamMode: ["updates", "values", "debug"] }));
writeSync(1, "UNTRACED DONE\\n");
await graph.invoke({ text: "x" }, { callbacks: [{ handleChainStart() {} }] });
writeSync(1, "TRACED DONE\\n");
`;

it("loads @langchain/core only for a run given callbacks", async () => {
  const { execFileSync } = await import("node:child_process");
  const { fileURLToPath } = await import("node:url");
  const root = fileURLToPath(new URL("../../../../", import.meta.url));
  const out = execFileSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", lazyLoadScript], { cwd: root, encoding: "utf8" });
  const lines = out.split("\n");
  const untracedEnd = lines.indexOf("UNTRACED DONE");
  assert.ok(untracedEnd >= 0 && lines.includes("TRACED DONE"), out);
  assert.deepEqual(lines.slice(0, untracedEnd).filter((l) => l.startsWith("CORE ")), []);
  assert.ok(lines.slice(untracedEnd).some((l) => l.startsWith("CORE ")), "the traced run loads @langchain/core");
});

describe("streamEvents", () => {
  it("yields chain events for the graph and its tasks, and the graph's chunks as on_chain_stream", async () => {
    const events: Array<{ event: string; name: string; data: Record<string, unknown> }> = [];
    for await (const event of sequence().streamEvents({ text: "a" }, { version: "v2" })) events.push(event as never);
    assert.deepEqual(
      events.map((e) => `${e.event} ${e.name}`),
      [
        "on_chain_start LangGraph",
        "on_chain_start __start__",
        "on_chain_end __start__",
        "on_chain_start first",
        "on_chain_end first",
        "on_chain_start second",
        "on_chain_stream LangGraph",
        "on_chain_end second",
        "on_chain_stream LangGraph",
        "on_chain_end LangGraph",
      ],
    );
    assert.deepEqual(
      events.filter((e) => e.event === "on_chain_stream").map((e) => e.data.chunk),
      [{ first: { text: "a1" } }, { second: { text: "a12" } }],
    );
    assert.deepEqual(events.at(-1)!.data.output, { text: "a12" });
  });

  it("leaving the stream early aborts the run: the running task's signal fires, the next never starts, its checkpoint keeps it next", async () => {
    // The running node ends only when its signal aborts: were the run not aborted, the break would wait for it forever.
    let aborted = false;
    let laterStarted = false;
    const State = Annotation.Root({ value: Annotation<number>() });
    const graph = new StateGraph(State)
      .addNode("quick", () => ({ value: 2 }))
      .addNode("waits", (_state, config) =>
        new Promise<typeof State.Update>((_resolve, reject) =>
          config.signal!.addEventListener("abort", () => {
            aborted = true;
            reject(new Error("aborted"));
          }, { once: true }),
        ),
      )
      .addNode("later", () => {
        laterStarted = true;
        return {};
      })
      .addEdge(START, "quick")
      .addEdge("quick", "waits")
      .addEdge("waits", "later")
      .compile({ checkpointer: new MemorySaver() });
    const config = { configurable: { thread_id: "left-early" } };
    let chunk: unknown;
    for await (const event of graph.streamEvents({ value: 1 }, { ...config, version: "v2" })) {
      if (event.event === "on_chain_stream" && event.name === "LangGraph") {
        chunk = event.data.chunk;
        break;
      }
    }
    assert.deepEqual(chunk, { quick: { value: 2 } });
    assert.equal(aborted, true, "the running task's signal fired");
    assert.equal(laterStarted, false);
    const state = await graph.getState(config);
    assert.deepEqual([state.values, state.next, state.metadata?.step], [{ value: 2 }, ["waits"], 1]);
  });

  it("rejects an unknown version, naming the versions", () => {
    assert.throws(() => sequence().streamEvents({ text: "a" }, { version: "v9" } as never), /"v3".*"v2".*got "v9"/);
  });
});

describe("streamEvents start", () => {
  it("starts the run when called, before the caller iterates (as LangGraph.js's does)", { timeout: 10_000 }, async () => {
    let started!: () => void;
    const nodeStarted = new Promise<void>((resolve) => (started = resolve));
    const graph = new StateGraph(Annotation.Root({ text: Annotation<string>() }))
      .addNode("first", () => {
        started();
        return { text: "done" };
      })
      .addEdge(START, "first")
      .compile();
    const events = graph.streamEvents({ text: "a" }, { version: "v2" });
    await nodeStarted; // never settles (the test times out) if the run waits for the first next()
    const names: string[] = [];
    for await (const event of events) names.push(`${event.event}:${event.name}`);
    assert.ok(names.includes("on_chain_end:first"), names.join(" "));
  });
});
