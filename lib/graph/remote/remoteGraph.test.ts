// RemoteGraph against a stand-in for @langchain/langgraph-sdk's Client (no LangGraph API server runs
// locally): what it sends, and how it shapes what the server streams back.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Command, GraphInterrupt, RemoteException, RemoteGraph, Send } from "../index";

function fakeClient(events: Array<{ event: string; data: unknown }>) {
  const calls: unknown[][] = [];
  return {
    calls,
    runs: {
      async *stream(...args: unknown[]) {
        calls.push(args);
        yield* events;
      },
    },
    threads: {
      async getState() {
        return { values: { a: 1 }, next: ["n"], checkpoint: null, metadata: {}, created_at: null, parent_checkpoint: null, tasks: [{ id: "t", name: "n", interrupts: [{ id: "i1", value: "q" }] }] };
      },
      async updateState() {
        return { checkpoint: { thread_id: "t1", checkpoint_ns: "", checkpoint_id: "c2" } };
      },
    },
  };
}

async function collect(stream: AsyncIterable<unknown>): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const chunk of stream) out.push(chunk);
  return out;
}

describe("RemoteGraph", () => {
  it("streams the modes asked for, shaped like a local graph's, and always asks for updates (interrupts)", async () => {
    const client = fakeClient([
      { event: "values", data: { v: 1 } },
      { event: "updates", data: { node: { v: 1 } } },
      { event: "values|sub:1", data: { v: 2 } },
    ]);
    const graph = new RemoteGraph({ graphId: "agent", client });
    assert.deepEqual(await collect(graph.stream({ x: 1 }, { configurable: { thread_id: "t1" }, streamMode: "values" } as never)), [{ v: 1 }, { v: 2 }], "the server sends subgraph events only when asked; none are dropped");
    assert.deepEqual(await collect(graph.stream({ x: 1 }, { streamMode: ["values"], subgraphs: true } as never)), [[[], "values", { v: 1 }], [["sub:1"], "values", { v: 2 }]]);
    const [threadId, graphId, payload] = client.calls[0] as [string, string, Record<string, unknown>];
    assert.equal(threadId, "t1");
    assert.equal(graphId, "agent");
    assert.deepEqual(payload.streamMode, ["values", "updates"]);
    assert.deepEqual((payload.config as { configurable: object }).configurable, {}, "thread_id travels in the URL, not the config");
    assert.deepEqual(await graph.invoke({ x: 1 }), { v: 2 }, "invoke returns the last values chunk");
  });

  it("sends a Command as a command, throws GraphInterrupt on an interrupt and RemoteException on an error event", async () => {
    const client = fakeClient([{ event: "updates", data: { __interrupt__: [{ id: "i", value: "q" }] } }]);
    const graph = new RemoteGraph({ graphId: "agent", client });
    await assert.rejects(graph.invoke(new Command({ resume: "r", goto: [new Send("n", { a: 1 })] })), GraphInterrupt);
    const payload = client.calls[0][2] as { command: unknown; input: unknown };
    assert.deepEqual(payload.command, { lg_name: "Command", resume: "r", goto: [{ lg_name: "Send", node: "n", args: { a: 1 } }], update: undefined });
    assert.equal(payload.input, undefined);
    const failing = new RemoteGraph({ graphId: "agent", client: fakeClient([{ event: "error", data: { message: "boom" } }]) });
    await assert.rejects(failing.invoke({}), RemoteException);
  });

  it("sends a JSON-safe config: circular references and bigints do not throw", async () => {
    const client = fakeClient([{ event: "values", data: { ok: true } }]);
    const config: Record<string, any> = { configurable: { thread_id: "t1", big: 1n }, metadata: {} };
    config.configurable.self = config;
    assert.deepEqual(await new RemoteGraph({ graphId: "g", client }).invoke({}, config), { ok: true });
    const sent = (client.calls[0][2] as { config: { configurable: Record<string, unknown>; metadata: Record<string, unknown> } }).config;
    // The run's config is a merged copy, so the user's object is written out once, and inside it the loop is cut.
    assert.deepEqual(sent.configurable, { big: "1", self: { configurable: { big: "1", self: "[Circular]", thread_id: "t1" }, metadata: { thread_id: "t1" } } });
    assert.equal(sent.metadata.thread_id, "t1");
  });

  it("getState and updateState convert the server's checkpoints to configs; withConfig merges", async () => {
    const graph = new RemoteGraph({ graphId: "g", client: fakeClient([]), config: { configurable: { a: 1 } } });
    const snapshot = await graph.getState({ configurable: { thread_id: "t1" } });
    assert.deepEqual(snapshot.config, { configurable: { thread_id: "t1" } });
    assert.deepEqual(snapshot.tasks[0].interrupts, [{ interrupt_id: "i1", value: "q" }]);
    assert.deepEqual(await graph.updateState({ configurable: { thread_id: "t1" } }, { a: 2 }), { configurable: { thread_id: "t1", checkpoint_ns: "", checkpoint_id: "c2", checkpoint_map: {} } });
    assert.deepEqual(graph.withConfig({ configurable: { b: 2 } }).config, { configurable: { a: 1, b: 2 } });
  });

  it("streamEvents v3 starts the run on a thread stream and yields the server's protocol events", async () => {
    const started: unknown[] = [];
    let unsubscribed = false;
    const events = [{ type: "event", seq: 1, method: "values", params: { namespace: [], timestamp: 1, data: { v: 1 } } }];
    const thread = {
      run: { start: async (request: unknown) => (started.push(request), { run_id: "r1" }) },
      subscribe: async () => ({
        async *[Symbol.asyncIterator]() {
          yield* events;
        },
        unsubscribe: async () => {
          unsubscribed = true;
        },
      }),
    };
    const opened: unknown[][] = [];
    const client = { threads: { stream: (...args: unknown[]) => (opened.push(args), thread) } };
    const graph = new RemoteGraph({ graphId: "g", client });
    const run = (await graph.streamEvents(new Command({ resume: "yes" }), { version: "v3", configurable: { thread_id: "t1", checkpoint_id: "c" } })) as AsyncIterable<unknown> & { thread: unknown };
    assert.deepEqual(opened, [["t1", { assistantId: "g" }]]);
    assert.equal((started[0] as { input: { resume: string } }).input.resume, "yes");
    assert.deepEqual((started[0] as { config: { configurable: object } }).config.configurable, {});
    assert.equal(run.thread, thread);
    const seen: unknown[] = [];
    for await (const event of run) seen.push(event);
    assert.deepEqual(seen, events);
    assert.equal(unsubscribed, true);
    await assert.rejects(graph.streamEvents({}, { version: "v3", transformers: [] } as never), /"transformers"/);
  });
});
