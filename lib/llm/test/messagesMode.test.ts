// ChatOpenAI inside real graphs run by Rill's engine, over HTTP to the offline model: what "messages" mode
// yields — tokens in order with the seed's metadata, tokens from a subgraph, nostream, dedupe of returned AI
// messages, parallel nodes interleaving, aborts, and provider errors meeting the engine's retry policy.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { buildLlmJokeGraph } from "../../../graphs/llmJoke";
import { buildParallelJokesGraph } from "../../../graphs/parallelJokes";
import { Annotation, END, START, StateGraph } from "../../graph";
import type { AIMessageChunk, BaseMessage, StreamedMessage } from "../../graph/messages";
import type { MessageMetadata } from "../../graph/types";
import { ChatOpenAI } from "../chatOpenAI";
import { startOfflineModelServer, type OfflineModelServer, type StreamOutcome } from "../offline";
import { tokenize } from "../offline/tokenize";
import { ProviderError } from "../providerError";
import { startFailingProvider, type FailingProvider } from "./failingProvider";

const CAT_JOKE = 'Why did the cat sit on the ice cream cone?\n\nBecause it wanted to be a "purr-fect" scoop! 🍦🐱';
const COFFEE_JOKE = "Why did the coffee file a police report?\n\nIt got mugged! ☕";

let fast: OfflineModelServer;
let paced: OfflineModelServer;
let failing: FailingProvider;
before(async () => {
  fast = await startOfflineModelServer({ delayMs: 0 });
  // A few ms per token keeps two concurrent responses in flight together, as with a real provider.
  paced = await startOfflineModelServer({ delayMs: 4 });
  failing = await startFailingProvider();
});
after(async () => {
  await Promise.all([fast.close(), paced.close(), failing.close()]);
});

const chat = (server: OfflineModelServer, fields: ConstructorParameters<typeof ChatOpenAI>[0] = {}) =>
  new ChatOpenAI({ model: "gpt-4o-mini", temperature: 0.7, baseURL: server.url, ...fields });

type Tuple = [StreamedMessage, MessageMetadata];

async function collect<T>(stream: AsyncIterable<T> | Promise<AsyncIterable<T>>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of await stream) items.push(item);
  return items;
}

const MessagesState = Annotation.Root({
  messages: Annotation<BaseMessage[]>({ reducer: (a, b) => a.concat(b), default: () => [] }),
});

describe("messages mode with ChatOpenAI", () => {
  test("llm-joke streams the joke token by token with the seed's metadata", async () => {
    const graph = buildLlmJokeGraph(chat(fast));
    const tuples = (await collect(graph.stream({ topic: "ice cream" }, { streamMode: "messages" }))) as Tuple[];
    const tokens = tuples.filter(([m]) => m.content !== "");
    assert.deepEqual(
      tokens.map(([m]) => m.content),
      tokenize(CAT_JOKE),
    );
    const [first] = tuples[0];
    for (const [message, metadata] of tuples) {
      assert.equal(message.type, "AIMessageChunk");
      assert.equal(message.id, first.id);
      assert.equal(metadata.langgraph_step, 2);
      assert.equal(metadata.langgraph_node, "generate_joke");
      assert.deepEqual(metadata.langgraph_triggers, ["branch:to:generate_joke"]);
      assert.deepEqual(metadata.langgraph_path, ["__pregel_pull", "generate_joke"]);
      assert.match(metadata.langgraph_checkpoint_ns, /^generate_joke:[0-9a-f-]{36}$/);
      assert.equal(metadata.checkpoint_ns, metadata.langgraph_checkpoint_ns);
      assert.equal(metadata.ls_provider, "openai");
      assert.equal(metadata.ls_model_name, "gpt-4o-mini");
      assert.equal(metadata.ls_model_type, "chat");
      assert.equal(metadata.ls_temperature, 0.7);
    }
    assert.equal((tuples.at(-1)?.[0] as AIMessageChunk).usage_metadata?.output_tokens, tokens.length);
  });

  test("the state's joke equals the concatenated tokens", async () => {
    const graph = buildLlmJokeGraph(chat(fast));
    const parts = (await collect(graph.stream({ topic: "ice cream" }, { streamMode: ["messages", "values"] }))) as Array<[string, unknown]>;
    const text = parts
      .filter(([mode]) => mode === "messages")
      .map(([, tuple]) => (tuple as Tuple)[0].content)
      .join("");
    const values = parts.filter(([mode]) => mode === "values").map(([, v]) => v as { joke?: string });
    assert.equal(text, CAT_JOKE);
    assert.equal(values.at(-1)?.joke, text);
  });

  test("tokens from a node inside a subgraph arrive with the subgraph's namespace", async () => {
    const Child = Annotation.Root({ topic: Annotation<string>(), joke: Annotation<string>() });
    const model = chat(fast);
    const child = new StateGraph(Child)
      .addNode("child_llm", async (state: typeof Child.State, config?: object) => ({
        joke: (await model.invoke([{ role: "user", content: `Generate a joke about ${state.topic}` }], config)).content,
      }))
      .addEdge(START, "child_llm")
      .addEdge("child_llm", END)
      .compile();
    const parent = new StateGraph(Child).addNode("sub", child).addEdge(START, "sub").addEdge("sub", END).compile();
    const parts = (await collect(parent.stream({ topic: "coffee" }, { streamMode: "messages", subgraphs: true }))) as Array<[string[], Tuple]>;
    const tokens = parts.filter(([, [m]]) => m.content !== "");
    assert.equal(tokens.map(([, [m]]) => m.content).join(""), COFFEE_JOKE);
    for (const [namespace, [, metadata]] of parts) {
      assert.equal(namespace.length, 1);
      assert.match(namespace[0], /^sub:/);
      assert.equal(metadata.langgraph_node, "child_llm");
      assert.match(metadata.langgraph_checkpoint_ns, new RegExp(`^${namespace[0]}\\|child_llm:`));
      assert.equal(metadata.ls_model_name, "gpt-4o-mini");
    }
  });

  /** START -> llm -> END, where llm appends the model's reply to `messages`. */
  function singleLlmNodeGraph(model: ReturnType<typeof chat>) {
    return new StateGraph(MessagesState)
      .addNode("llm", async (state: typeof MessagesState.State, config?: object) => ({ messages: [await model.invoke(state.messages, config)] }))
      .addEdge(START, "llm")
      .addEdge("llm", END)
      .compile();
  }

  test("an AI message a node returns is not emitted again after its tokens (same id)", async () => {
    const model = chat(fast);
    const graph = singleLlmNodeGraph(model);
    const tuples = (await collect(
      graph.stream({ messages: [{ type: "human", content: "Generate a joke about ice cream and cats" }] }, { streamMode: "messages" }),
    )) as Tuple[];
    assert.ok(tuples.length > 1);
    assert.ok(
      tuples.every(([m]) => m.type === "AIMessageChunk"),
      `only chunks, got ${tuples.map(([m]) => m.type).join(",")}`,
    );
    assert.equal(tuples.map(([m]) => m.content).join(""), CAT_JOKE);
  });

  test("nostream: no tokens, and the returned message is emitted once, whole", async () => {
    const model = chat(fast, { tags: ["nostream"] });
    const graph = singleLlmNodeGraph(model);
    const tuples = (await collect(
      graph.stream({ messages: [{ type: "human", content: "Generate a joke about ice cream and cats" }] }, { streamMode: "messages" }),
    )) as Tuple[];
    assert.equal(tuples.length, 1, `got ${JSON.stringify(tuples.map(([m]) => [m.type, m.content]))}`);
    const [[message, metadata]] = tuples;
    assert.equal(message.type, "ai");
    assert.equal(message.content, CAT_JOKE);
    assert.equal(metadata.langgraph_node, "llm");
  });

  test("two parallel LLM nodes interleave their tokens, each with its own node's metadata", async () => {
    // State keys differ from node names: a node may not be named like a state key (LangGraph.js's rule).
    const State = Annotation.Root({ cats_joke: Annotation<string>(), coffee_joke: Annotation<string>() });
    const model = chat(paced);
    const graph = new StateGraph(State)
      .addNode("cats", async (_: typeof State.State, config?: object) => ({
        cats_joke: (await model.invoke("Generate a joke about ice cream and cats", config)).content,
      }))
      .addNode("coffee", async (_: typeof State.State, config?: object) => ({
        coffee_joke: (await model.invoke("Generate a joke about coffee", config)).content,
      }))
      .addEdge(START, "cats")
      .addEdge(START, "coffee")
      .compile();
    const tuples = (await collect(graph.stream({}, { streamMode: "messages" }))) as Tuple[];
    const byNode = (node: string) => tuples.filter(([, md]) => md.langgraph_node === node);
    assert.equal(byNode("cats").map(([m]) => m.content).join(""), CAT_JOKE);
    assert.equal(byNode("coffee").map(([m]) => m.content).join(""), COFFEE_JOKE);
    for (const node of ["cats", "coffee"]) {
      const tuplesOfNode = byNode(node);
      assert.equal(new Set(tuplesOfNode.map(([m]) => m.id)).size, 1, `${node}: one response id`);
      assert.ok(tuplesOfNode.every(([, md]) => md.langgraph_step === 1 && md.langgraph_checkpoint_ns.startsWith(`${node}:`)));
    }
    assert.notEqual(byNode("cats")[0][0].id, byNode("coffee")[0][0].id);
    const switches = tuples.slice(1).filter(([, md], i) => md.langgraph_node !== tuples[i][1].langgraph_node).length;
    assert.ok(switches >= 2, `tokens interleave (node switched ${switches} times)`);
  });

  test("parallel-jokes: one write_joke task per subtopic, streaming side by side, then the best pick", async () => {
    const graph = buildParallelJokesGraph({ planner: chat(paced, { temperature: 0 }), writer: chat(paced) });
    const parts = (await collect(graph.stream({ topic: "ice cream", count: 3 }, { streamMode: ["messages", "values"] }))) as Array<[string, unknown]>;
    const tuples = parts.filter(([mode]) => mode === "messages").map(([, t]) => t as Tuple);
    const final = parts.filter(([mode]) => mode === "values").at(-1)?.[1] as { subtopics: string[]; jokes: Array<{ subtopic: string; joke: string }>; best: string };
    assert.equal(final.subtopics.length, 3);
    assert.deepEqual(
      final.jokes.map((j) => j.subtopic),
      final.subtopics,
      "jokes follow subtopic order",
    );
    const writers = tuples.filter(([, md]) => md.langgraph_node === "write_joke");
    const tasks = new Set(writers.map(([, md]) => md.langgraph_checkpoint_ns));
    assert.equal(tasks.size, 3, "three write_joke tasks stream");
    for (const ns of tasks) {
      const text = writers.filter(([, md]) => md.langgraph_checkpoint_ns === ns).map(([m]) => m.content).join("");
      assert.ok(final.jokes.some((j) => j.joke === text), `task ${ns} streamed a joke that reached the state`);
    }
    const switches = writers.slice(1).filter(([, md], i) => md.langgraph_checkpoint_ns !== writers[i][1].langgraph_checkpoint_ns).length;
    assert.ok(switches >= 3, `write_joke tokens interleave (switched ${switches} times)`);
    assert.match(final.best, /^Number [123] is the best:/);
    const pickTokens = tuples.filter(([, md]) => md.langgraph_node === "pick_best").map(([m]) => m.content).join("");
    assert.equal(pickTokens, final.best);
  });

  test("cancelling the run aborts the model's HTTP request", async () => {
    let reportEnd!: (outcome: StreamOutcome) => void;
    const ended = new Promise<StreamOutcome>((resolve) => (reportEnd = resolve));
    const slow = await startOfflineModelServer({ delayMs: 15, onStreamEnd: (o) => reportEnd(o) });
    try {
      const controller = new AbortController();
      const graph = buildLlmJokeGraph(chat(slow));
      let seen = 0;
      await assert.rejects(async () => {
        for await (const _ of await graph.stream({ topic: "ice cream" }, { streamMode: "messages", signal: controller.signal })) {
          if (++seen === 3) controller.abort();
        }
      });
      const outcome = await ended;
      assert.equal(outcome.ending, "client_closed");
      assert.ok(outcome.tokensSent < outcome.tokensPlanned, `server sent ${outcome.tokensSent} of ${outcome.tokensPlanned}`);
    } finally {
      await slow.close();
    }
  });

  test("provider errors end the node with the ProviderError; the retry policy retries 429, not 401", async () => {
    for (const [scenario, attempts] of [["429", 3], ["401", 1]] as const) {
      const model = new ChatOpenAI({ model: "gpt-4o-mini", baseURL: failing.baseURL(scenario), apiKey: "sk-bad" });
      const State = Annotation.Root({ joke: Annotation<string>() });
      const graph = new StateGraph(State)
        .addNode("generate_joke", async (_: typeof State.State, config?: object) => ({ joke: (await model.invoke("Generate a joke", config)).content }), {
          retryPolicy: { maxAttempts: 3, initialInterval: 1, jitter: false },
        })
        .addEdge(START, "generate_joke")
        .compile();
      const before = failing.requests.get(scenario) ?? 0;
      await assert.rejects(collect(graph.stream({}, { streamMode: "messages" })), (error: unknown) => {
        assert.ok(error instanceof ProviderError, String(error));
        assert.match(error.message, new RegExp(`^openai gpt-4o-mini: ${scenario} `));
        return true;
      });
      assert.equal((failing.requests.get(scenario) ?? 0) - before, attempts, `${scenario}: ${attempts} attempt(s)`);
    }
  });
});
