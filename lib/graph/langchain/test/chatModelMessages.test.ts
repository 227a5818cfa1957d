// Differential: LangChain chat models called inside nodes stream the same "messages" chunks on Rill as on
// LangGraph.js 1.7.3 — the same message instances (as LangChain serializes them) with the same metadata
// (langgraph_*, checkpoint_ns, ls_*, tags) — with and without the node's config passed on, with tool-call
// chunks, with the `nostream` tag, and for @langchain/openai's ChatOpenAI streaming Rill's offline model
// over real HTTP.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { AIMessageChunk, type BaseMessage } from "@langchain/core/messages";
import { FakeListChatModel, FakeStreamingChatModel } from "@langchain/core/utils/testing";
import { tool } from "@langchain/core/tools";
import { ChatOpenAI } from "@langchain/openai";
import { BaseCallbackHandler } from "@langchain/core/callbacks/base";
import { CallbackManager } from "@langchain/core/callbacks/manager";
import { z } from "zod";
import { startOfflineModelServer, type OfflineModelServer } from "../../../llm/offline/offlineModelServer";
import { comparable, drain, sides, type GraphLib } from "./langchainDifferential";

const [langgraph, rill] = await sides();

type ModelLike = { invoke(messages: BaseMessage[], config?: unknown): Promise<BaseMessage> };
type Scenario = (lg: GraphLib) => Promise<unknown[]>;

/** One node calling the model on the conversation; optionally a subgraph around it. */
function chatGraph(lg: GraphLib, model: () => ModelLike, passConfig: boolean) {
  const m = model();
  return new lg.StateGraph(lg.MessagesAnnotation)
    .addNode("agent", async (state, config) => ({ messages: [await m.invoke(state.messages, passConfig ? config : undefined)] }))
    .addEdge(lg.START, "agent")
    .addEdge("agent", lg.END)
    .compile();
}

const input = { messages: [{ role: "user", content: "hello there" }] };

let offline: OfflineModelServer;
before(async () => {
  offline = await startOfflineModelServer({ delayMs: 0 });
});
after(() => offline.close());

const addTool = tool(async ({ a, b }: { a: number; b: number }) => String(a + b), {
  name: "add",
  description: "Adds two numbers",
  schema: z.object({ a: z.number(), b: z.number() }),
});

const scenarios: Record<string, Scenario> = {
  "FakeListChatModel, config passed": (lg) =>
    drain(chatGraph(lg, () => new FakeListChatModel({ responses: ["Hi! How are you?"] }), true).stream(input, { streamMode: "messages" })),
  "FakeListChatModel, config not passed": (lg) =>
    drain(chatGraph(lg, () => new FakeListChatModel({ responses: ["Hi! How are you?"] }), false).stream(input, { streamMode: "messages" })),
  "FakeListChatModel, messages and updates modes, caller metadata and tags": (lg) =>
    drain(
      chatGraph(lg, () => new FakeListChatModel({ responses: ["ok then"] }), true).stream(input, {
        streamMode: ["messages", "updates"],
        metadata: { user: "u1" },
        tags: ["caller-tag"],
      }),
    ),
  "the caller's own callback handlers still hear the model (list form and CallbackManager form)": async (lg) => {
    const heard = { list: 0, manager: 0 };
    const graph = chatGraph(lg, () => new FakeListChatModel({ responses: ["abc"] }), true);
    const listed = await drain(graph.stream(input, { streamMode: "messages", callbacks: [{ handleLLMNewToken: () => void heard.list++ }] }));
    const manager = new CallbackManager();
    manager.addHandler(BaseCallbackHandler.fromMethods({ handleLLMNewToken: () => void heard.manager++ }), true);
    const managed = await drain(graph.stream(input, { streamMode: "messages", callbacks: manager }));
    return [listed, managed, heard];
  },
  "nostream tag: only the node's returned message": (lg) =>
    drain(chatGraph(lg, () => new FakeListChatModel({ responses: ["quiet"] }).withConfig({ tags: ["nostream"] }) as unknown as ModelLike, false).stream(input, { streamMode: "messages" })),
  "FakeStreamingChatModel with tool-call chunks": (lg) =>
    drain(
      chatGraph(
        lg,
        () =>
          new FakeStreamingChatModel({
            sleep: 0,
            chunks: [
              new AIMessageChunk({ content: "", tool_call_chunks: [{ id: "call_1", name: "add", args: '{"a":', index: 0, type: "tool_call_chunk" }] }),
              new AIMessageChunk({ content: "", tool_call_chunks: [{ args: '1,"b":2}', index: 0, type: "tool_call_chunk" }] }),
            ],
          }),
        true,
      ).stream(input, { streamMode: "messages" }),
    ),
  "FakeStreamingChatModel, config not passed": (lg) =>
    drain(chatGraph(lg, () => new FakeStreamingChatModel({ sleep: 0, responses: [new AIMessageChunk("streamed reply")] }), false).stream(input, { streamMode: ["messages", "updates"] })),
  "model in a subgraph, subgraphs: true": (lg) => {
    const child = chatGraph(lg, () => new FakeListChatModel({ responses: ["from child"] }), false);
    const parent = new lg.StateGraph(lg.MessagesAnnotation).addNode("child", child).addEdge(lg.START, "child").compile();
    return drain(parent.stream(input, { streamMode: "messages", subgraphs: true }));
  },
  "a node invoking a graph with its config: tokens streamed once": (lg) => {
    const child = chatGraph(lg, () => new FakeListChatModel({ responses: ["inner"] }), true);
    const parent = new lg.StateGraph(lg.MessagesAnnotation)
      .addNode("outer", async (state, config) => ({ messages: (await child.invoke({ messages: state.messages }, config)).messages.slice(-1) }))
      .addEdge(lg.START, "outer")
      .compile();
    return drain(parent.stream(input, { streamMode: "messages" }));
  },
  "a node invoking a graph with its config, subgraphs: true": (lg) => {
    const child = chatGraph(lg, () => new FakeListChatModel({ responses: ["inner"] }), true);
    const parent = new lg.StateGraph(lg.MessagesAnnotation)
      .addNode("outer", async (state, config) => ({ messages: (await child.invoke({ messages: state.messages }, config)).messages.slice(-1) }))
      .addEdge(lg.START, "outer")
      .compile();
    return drain(parent.stream(input, { streamMode: "messages", subgraphs: true }));
  },
  "@langchain/openai ChatOpenAI on Rill's offline model": (lg) =>
    drain(chatGraph(lg, () => new ChatOpenAI({ model: "rill-offline", apiKey: "offline", configuration: { baseURL: offline.url }, temperature: 0 }), true).stream(input, { streamMode: "messages" })),
  "@langchain/openai ChatOpenAI with a tool, config not passed": (lg) =>
    drain(
      chatGraph(lg, () => new ChatOpenAI({ model: "rill-offline", apiKey: "offline", configuration: { baseURL: offline.url } }).bindTools([addTool]) as unknown as ModelLike, false).stream(
        { messages: [{ role: "user", content: "use the add tool on 2 and 3" }] },
        { streamMode: ["messages", "values"] },
      ),
    ),
};

describe("LangChain chat models in \"messages\" mode: Rill vs LangGraph.js", () => {
  for (const [name, scenario] of Object.entries(scenarios)) {
    it(name, async () => {
      const expected = comparable(await scenario(langgraph.lg));
      const actual = comparable(await scenario(rill.lg));
      assert.ok((expected as unknown[]).length > 0, "the scenario streams something");
      assert.deepEqual(actual, expected);
    });
  }
});
