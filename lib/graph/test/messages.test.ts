// "messages" mode: the engine's per-task context (what a chat model reports tokens to), its metadata,
// and messages that nodes return without streaming them.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Annotation, END, Send, START, StateGraph, getTaskContext, type AIMessage, type AIMessageChunk, type BaseMessage, type MessageMetadata, type StreamedMessage } from "../index";

type Tuple = [StreamedMessage, MessageMetadata];

/** A stand-in chat model: streams `text` one character per chunk through the task context, like lib/llm does. */
async function fakeModel(text: string, config?: object): Promise<AIMessage> {
  const context = getTaskContext(config);
  const id = `run-${Math.random().toString(16).slice(2)}`;
  for (const ch of text) {
    await Promise.resolve();
    if (context?.streamsMessages) {
      const chunk: AIMessageChunk = { type: "AIMessageChunk", id, content: ch, tool_call_chunks: [] };
      context.emitMessage(chunk, { ...context.metadata, ls_provider: "fake" });
    }
  }
  return { type: "ai", id, content: text, tool_calls: [] };
}

const State = Annotation.Root({
  topic: Annotation<string>(),
  joke: Annotation<string>(),
  messages: Annotation<BaseMessage[]>({ reducer: (a, b) => a.concat(b), default: () => [] }),
});

async function collect<T>(stream: AsyncIterable<T> | Promise<AsyncIterable<T>>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of await stream) out.push(item);
  return out;
}

describe("messages mode", () => {
  it("forwards a model's chunks with the task's metadata, found through the config", async () => {
    const graph = new StateGraph(State)
      .addNode("refine_topic", (s) => ({ topic: `${s.topic} and cats` }))
      .addNode("generate_joke", async (s, config) => ({ joke: (await fakeModel(`joke ${s.topic}`, config)).content }))
      .addEdge(START, "refine_topic")
      .addEdge("refine_topic", "generate_joke")
      .addEdge("generate_joke", END)
      .compile();
    const tuples = await collect(graph.stream({ topic: "ice cream" }, { streamMode: "messages" }));
    assert.equal(tuples.map(([m]) => m.content).join(""), "joke ice cream and cats");
    for (const [message, metadata] of tuples) {
      assert.equal(message.type, "AIMessageChunk");
      assert.equal(metadata.langgraph_step, 2);
      assert.equal(metadata.langgraph_node, "generate_joke");
      assert.deepEqual(metadata.langgraph_triggers, ["branch:to:generate_joke"]);
      assert.deepEqual(metadata.langgraph_path, ["__pregel_pull", "generate_joke"]);
      assert.match(metadata.langgraph_checkpoint_ns, /^generate_joke:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      assert.equal(metadata.checkpoint_ns, metadata.langgraph_checkpoint_ns);
      assert.equal(metadata.ls_provider, "fake");
    }
  });

  it("finds the task context without the config (AsyncLocalStorage), as the seed's Python calls the model", async () => {
    const graph = new StateGraph(State)
      .addNode("generate_joke", async (s) => ({ joke: (await fakeModel(`hi ${s.topic}`)).content }))
      .addEdge(START, "generate_joke")
      .compile();
    const tuples = await collect(graph.stream({ topic: "x" }, { streamMode: "messages" }));
    assert.equal(tuples.map(([m]) => m.content).join(""), "hi x");
    assert.equal(tuples[0][1].langgraph_node, "generate_joke");
  });

  it("tells the model nobody listens when messages is not streamed", async () => {
    let streams: boolean | undefined;
    const graph = new StateGraph(State)
      .addNode("n", (_s, config) => {
        streams = getTaskContext(config)?.streamsMessages;
        return {};
      })
      .addEdge(START, "n")
      .compile();
    await collect(graph.stream({ topic: "x" }, { streamMode: "updates" }));
    assert.equal(streams, false);
  });

  it("gives Send tasks the push path and each task its own checkpoint namespace", async () => {
    const graph = new StateGraph(State)
      .addNode("write", async (arg: { topic?: string }, config) => ({ messages: [await fakeModel(arg.topic ?? "", config)] }))
      .addConditionalEdges(START, (s) => [new Send("write", { topic: "ab" }), new Send("write", { topic: "cd" })])
      .compile();
    const tuples = await collect(graph.stream({ topic: "x" }, { streamMode: "messages" }));
    const paths = new Set(tuples.map(([, m]) => JSON.stringify(m.langgraph_path)));
    assert.deepEqual([...paths].sort(), ['["__pregel_push",0,false]', '["__pregel_push",1,false]']);
    assert.deepEqual(tuples[0][1].langgraph_triggers, ["__pregel_push"]);
    assert.equal(new Set(tuples.map(([, m]) => m.checkpoint_ns)).size, 2);
    // The returned AI messages were streamed already (same ids): not repeated.
    assert.equal(tuples.filter(([m]) => m.type === "ai").length, 0);
  });

  it("streams AI messages a node returns without streaming, once, and not messages it received", async () => {
    const input: BaseMessage[] = [{ type: "human", id: "h1", content: "hello" }];
    const graph = new StateGraph(State)
      .addNode("answer", () => ({ messages: [{ type: "ai", id: "a1", content: "hi!", tool_calls: [] } satisfies AIMessage] }))
      .addNode("echo", (s) => ({ messages: [s.messages[s.messages.length - 1]] }))
      .addEdge(START, "answer")
      .addEdge("answer", "echo")
      .compile();
    const tuples = await collect(graph.stream({ messages: input }, { streamMode: "messages" }));
    assert.deepEqual(
      tuples.map(([m, meta]) => [m.type, m.id, meta.langgraph_node]),
      [["ai", "a1", "answer"]],
    );
  });

  it("forwards a subgraph's tokens with subgraphs: true only (as LangGraph.js), with the nested namespace", async () => {
    const sub = new StateGraph(State)
      .addNode("inner", async (s, config) => ({ joke: (await fakeModel("ok", config)).content }))
      .addEdge(START, "inner")
      .compile();
    const graph = new StateGraph(State).addNode("child", sub).addEdge(START, "child").compile();
    assert.deepEqual(await collect(graph.stream({ topic: "x" }, { streamMode: "messages" })), []);
    const nested = await collect(graph.stream({ topic: "x" }, { streamMode: "messages", subgraphs: true }));
    assert.equal(nested.map(([, [m]]) => m.content).join(""), "ok");
    assert.match(nested[0][0][0], /^child:[0-9a-f-]{36}$/);
    assert.match(nested[0][1][1].checkpoint_ns, /^child:[0-9a-f-]{36}\|inner:[0-9a-f-]{36}$/);
  });
});
