// Differential: LangGraph.js 1.7.3's prebuilt (`ToolNode`, `toolsCondition`, `createReactAgent`) against
// Rill's (lib/graph/prebuilt), the same code with the imports changed: every chunk of "updates",
// "values" and "messages", tool errors as ToolMessages, Send-per-call (v2), returnDirect, responseFormat,
// a checkpointer across turns, and @langchain/openai's ChatOpenAI on Rill's offline model over HTTP.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { AIMessage, type BaseMessage } from "@langchain/core/messages";
import { RunnableLambda } from "@langchain/core/runnables";
import { tool } from "@langchain/core/tools";
import { ChatOpenAI } from "@langchain/openai";
import { z } from "zod";
import { startOfflineModelServer, type OfflineModelServer } from "../../../llm/offline/offlineModelServer";
import { MemorySaver as RillMemorySaver } from "../../index";
import { comparable, drain, sides, type SideLibs } from "./langchainDifferential";
import { ScriptedChatModel } from "./scriptedChatModel";

const [langgraph, rill] = await sides();

const add = tool(async ({ a, b }: { a: number; b: number }) => String(a + b), {
  name: "add",
  description: "Adds two numbers",
  schema: z.object({ a: z.number(), b: z.number() }),
});
const broken = tool(
  async (): Promise<string> => {
    throw new Error("the weather service is down");
  },
  { name: "weather", description: "Looks up the weather", schema: z.object({ city: z.string() }) },
);
const lookup = tool(async ({ q }: { q: string }) => ({ answer: q.toUpperCase() }), {
  name: "lookup",
  description: "Looks something up and returns it directly",
  schema: z.object({ q: z.string() }),
  returnDirect: true,
});

const toolTurn = () =>
  new AIMessage({
    content: "",
    tool_calls: [
      { id: "call_add", name: "add", args: { a: 2, b: 3 } },
      { id: "call_weather", name: "weather", args: { city: "Oslo" } },
      { id: "call_missing", name: "nope", args: {} },
    ],
  });
const scripted = () => new ScriptedChatModel([toolTurn(), new AIMessage("2 + 3 = 5; no weather.")], { answer: 5 });
const question = { messages: [{ role: "user", content: "what is 2 + 3, and the weather in Oslo?" }] };

let offline: OfflineModelServer;
before(async () => {
  offline = await startOfflineModelServer({ delayMs: 0 });
});
after(() => offline.close());

type Scenario = (side: SideLibs) => Promise<unknown>;

const scenarios: Record<string, Scenario> = {
  "createReactAgent: updates, values and messages with a throwing and a missing tool": ({ prebuilt }) =>
    drain(prebuilt.createReactAgent({ llm: scripted(), tools: [add, broken] }).stream(question, { streamMode: ["updates", "values", "messages"] })),
  // Parallel tool tasks: how their "updates" and "messages" chunks interleave depends on when each settles,
  // so each mode is recorded on its own.
  "createReactAgent: prompt, name, version v2 (a Send per tool call)": async ({ prebuilt }) => {
    const agent = () => prebuilt.createReactAgent({ llm: scripted(), tools: [add, broken], prompt: "You are terse.", name: "calc", version: "v2" });
    return { updates: await drain(agent().stream(question, { streamMode: "updates" })), messages: await drain(agent().stream(question, { streamMode: "messages" })) };
  },
  // llmInputMessages is a private key of the agent node: neither "values" nor the result show it.
  "createReactAgent: preModelHook's llmInputMessages is what the model sees": async ({ prebuilt }) => {
    const model = scripted();
    const agent = prebuilt.createReactAgent({
      llm: model,
      tools: [add, broken],
      prompt: "Be brief.",
      preModelHook: (state: { messages: BaseMessage[] }) => ({ llmInputMessages: state.messages.slice(-1) }),
    });
    const updates = await drain(agent.stream(question, { streamMode: "updates" }));
    const values = await drain(agent.stream(question, { streamMode: "values" }));
    const final = await agent.invoke(question);
    return { updates, values, inputs: model.script.inputs, final };
  },
  "createReactAgent: a returnDirect tool ends the loop": ({ prebuilt }) =>
    drain(
      prebuilt
        .createReactAgent({ llm: new ScriptedChatModel([new AIMessage({ content: "", tool_calls: [{ id: "c1", name: "lookup", args: { q: "abc" } }] }), new AIMessage("never")]), tools: [add, lookup] })
        .stream(question, { streamMode: "updates" }),
    ),
  "createReactAgent: responseFormat adds generate_structured_response": ({ prebuilt }) =>
    drain(prebuilt.createReactAgent({ llm: scripted(), tools: [add, broken], responseFormat: z.object({ answer: z.number() }) }).stream(question, { streamMode: "updates" })),
  "createReactAgent: a checkpointer keeps the conversation across turns": async ({ name, lg, prebuilt }) => {
    const checkpointer = name === "rill" ? new RillMemorySaver() : new lg.MemorySaver();
    const agent = prebuilt.createReactAgent({ llm: scripted(), tools: [add, broken], checkpointer: checkpointer as never });
    const config = { configurable: { thread_id: "t1" } };
    const first = await agent.invoke(question, config);
    const second = await agent.invoke({ messages: [{ role: "user", content: "and again?" }] }, config);
    const state = await agent.getState(config);
    return { first, second, values: state.values, next: state.next };
  },
  "createReactAgent: includeAgentName inline (withAgentName around the model)": ({ prebuilt }) =>
    drain(prebuilt.createReactAgent({ llm: scripted(), tools: [add, broken], name: "calc", includeAgentName: "inline" }).stream(question, { streamMode: "values" })),
  "withAgentName: wraps named AI messages' text for the model, unwraps the reply": async ({ prebuilt }) => {
    const seen: unknown[] = [];
    const echo = RunnableLambda.from((messages: BaseMessage[]) => {
      seen.push(messages.map((m) => m.content));
      return new AIMessage({ content: "<name>bot</name><content>hi back</content>" });
    });
    const reply = await prebuilt.withAgentName(echo, "inline").invoke([new AIMessage({ content: "hello", name: "bot" }), new AIMessage({ content: [{ type: "text", text: "x" }], name: "b2" })]);
    return { seen, reply };
  },
  "createAgentExecutor (deprecated): action, tool, then returnValues": async ({ prebuilt }) => {
    const agentRunnable = RunnableLambda.from((state: { steps: unknown[] }) =>
      state.steps.length === 0 ? { tool: "add", toolInput: { a: 1, b: 2 }, log: "" } : { returnValues: { output: "done" }, log: "" },
    );
    return drain(prebuilt.createAgentExecutor({ agentRunnable, tools: [add as never] }).stream({ input: "go" }, { streamMode: "updates" }));
  },
  "createFunctionCallingExecutor (deprecated) on a model without bind()": async ({ prebuilt }) => {
    try {
      prebuilt.createFunctionCallingExecutor({ model: scripted() as never, tools: [add] });
      return "built";
    } catch (error) {
      return (error as Error).message;
    }
  },
  "ToolExecutor (deprecated): a tool by name, or the list of valid tools": async ({ prebuilt }) => {
    const executor = new prebuilt.ToolExecutor({ tools: [add] });
    return [await executor.invoke({ tool: "add", toolInput: { a: 2, b: 2 } }), await executor.invoke({ tool: "mul", toolInput: {} })];
  },
  "createReactAgent: a tool that interrupts, then Command({ resume })": async ({ name, lg, prebuilt }) => {
    const approve = tool(async ({ city }: { city: string }) => `approved for ${city}: ${lg.interrupt({ question: `go to ${city}?` })}`, {
      name: "weather",
      description: "Asks a human first",
      schema: z.object({ city: z.string() }),
    });
    const checkpointer = name === "rill" ? new RillMemorySaver() : new lg.MemorySaver();
    const model = new ScriptedChatModel([new AIMessage({ content: "", tool_calls: [{ id: "call_w", name: "weather", args: { city: "Oslo" } }] }), new AIMessage("ok")]);
    const agent = prebuilt.createReactAgent({ llm: model, tools: [approve], checkpointer: checkpointer as never });
    const config = { configurable: { thread_id: "hitl" } };
    const first = await drain(agent.stream(question, { ...config, streamMode: "updates" }));
    const second = await drain(agent.stream(new lg.Command({ resume: "yes" }), { ...config, streamMode: "updates" }));
    return { first, second };
  },
  "createReactAgent: a @langchain/core tool returning a Command (its update applied, no ToolMessage added)": async ({ lg, prebuilt }) => {
    const setFoo = tool(async () => new lg.Command({ update: { foo: "baz" } }), { name: "set_foo", description: "Sets foo", schema: z.object({}) });
    const model = new ScriptedChatModel([new AIMessage({ content: "", tool_calls: [{ id: "call_f", name: "set_foo", args: {} }] }), new AIMessage("done")]);
    const State = lg.Annotation.Root({ ...lg.MessagesAnnotation.spec, foo: lg.Annotation<string> });
    const agent = prebuilt.createReactAgent({ llm: model, tools: [setFoo], stateSchema: State });
    return agent.invoke({ messages: [], foo: "bar" });
  },
  "ToolNode: a tool sees the run's configurable and getCurrentTaskInput(config)": async ({ name, lg, prebuilt }) => {
    const whoami = tool(
      async (_input: Record<string, never>, config: { configurable?: Record<string, unknown> }) => {
        const state = lg.getCurrentTaskInput(config as never) as { messages: BaseMessage[] };
        return `thread ${String(config.configurable?.thread_id)}, ${state.messages.length} message(s)`;
      },
      { name: "whoami", description: "Reports the thread", schema: z.object({}) },
    );
    const checkpointer = name === "rill" ? new RillMemorySaver() : new lg.MemorySaver();
    const graph = new lg.StateGraph(lg.MessagesAnnotation)
      .addNode("tools", new prebuilt.ToolNode([whoami]))
      .addEdge(lg.START, "tools")
      .compile({ checkpointer: checkpointer as never });
    return graph.invoke({ messages: [new AIMessage({ content: "", tool_calls: [{ id: "call_me", name: "whoami", args: {} }] })] }, { configurable: { thread_id: "tool-thread" } });
  },
  "ToolNode + toolsCondition in a hand-written graph": ({ lg, prebuilt }) => {
    const model = scripted();
    const graph = new lg.StateGraph(lg.MessagesAnnotation)
      .addNode("agent", async (state) => ({ messages: [await model.invoke(state.messages)] }))
      .addNode("tools", new prebuilt.ToolNode([add, broken]))
      .addEdge(lg.START, "agent")
      .addConditionalEdges("agent", prebuilt.toolsCondition, ["tools", lg.END])
      .addEdge("tools", "agent")
      .compile();
    return drain(graph.stream(question, { streamMode: ["updates", "messages"] }));
  },
  "ToolNode.invoke on a message list, and with handleToolErrors: false": async ({ prebuilt }) => {
    const messages: BaseMessage[] = [toolTurn()];
    const listed = await new prebuilt.ToolNode([add, broken]).invoke(messages);
    let thrown: unknown;
    try {
      await new prebuilt.ToolNode([add, broken], { handleToolErrors: false }).invoke({ messages });
    } catch (error) {
      thrown = (error as Error).message;
    }
    return { listed, thrown };
  },
  "createReactAgent with @langchain/openai ChatOpenAI on Rill's offline model": ({ prebuilt }) =>
    drain(
      prebuilt
        .createReactAgent({ llm: new ChatOpenAI({ model: "rill-offline", apiKey: "offline", configuration: { baseURL: offline.url } }), tools: [add] })
        .stream({ messages: [{ role: "user", content: "use the add tool on 2 and 3" }] }, { streamMode: ["updates", "messages"] }),
    ),
};

describe("prebuilt agents: Rill vs LangGraph.js", () => {
  for (const [name, scenario] of Object.entries(scenarios)) {
    it(name, async () => {
      const expected = comparable(await scenario(langgraph));
      const actual = comparable(await scenario(rill));
      assert.deepEqual(actual, expected);
    });
  }
});
