// "tools" stream mode: the same graphs on LangGraph.js 1.7.3 and on Rill stream the same tool lifecycle
// chunks (on_tool_start / on_tool_event / on_tool_end / on_tool_error), with and without subgraphs.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AIMessage, ToolMessage, type BaseMessage } from "@langchain/core/messages";
import { tool } from "@langchain/core/tools";
import { z } from "zod";
import { StreamToolsHandler } from "../../index";
import { comparable, drain, sides, type SideLibs } from "./langchainDifferential";

const weather = tool(async ({ city }: { city: string }) => (city === "SF" ? "foggy" : "sunny"), {
  name: "weather",
  description: "Weather in a city",
  schema: z.object({ city: z.string() }),
});
const broken = tool(
  async (): Promise<string> => {
    throw new Error("no forecast today");
  },
  { name: "broken", description: "Always fails", schema: z.object({}) },
);
// A tool that streams: each yield is an on_tool_event chunk.
const countdown = tool(
  async function* ({ from }: { from: number }) {
    for (let i = from; i > 0; i--) yield i;
    return "liftoff";
  },
  { name: "countdown", description: "Counts down", schema: z.object({ from: z.number() }) },
);

function callsTo(...calls: Array<[string, Record<string, unknown>]>): AIMessage {
  return new AIMessage({ content: "", tool_calls: calls.map(([name, args], i) => ({ id: `call_${name}_${i}`, name, args, type: "tool_call" as const })) });
}

/** agent (one scripted tool call message) -> ToolNode -> end. */
function agentGraph({ lg, prebuilt }: SideLibs, message: AIMessage, handleToolErrors = true) {
  const State = lg.Annotation.Root({ messages: lg.Annotation<BaseMessage[]>({ reducer: lg.messagesStateReducer, default: () => [] }) });
  return new lg.StateGraph(State)
    .addNode("agent", () => ({ messages: [message] }))
    .addNode("tools", new prebuilt.ToolNode([weather, broken, countdown], { handleToolErrors }))
    .addEdge(lg.START, "agent")
    .addEdge("agent", "tools")
    .addEdge("tools", lg.END)
    .compile();
}

/** The tool chunks of a stream, error objects reduced to their message (comparable across engines). */
function toolChunks(chunks: unknown[]): unknown[] {
  return chunks
    .filter((c) => Array.isArray(c) && c.includes("tools"))
    .map((c) => (c as unknown[]).map((part) => (part !== null && typeof part === "object" && "error" in part ? { ...part, error: String((part as { error: unknown }).error) } : part)));
}

async function onBoth(build: (side: SideLibs) => Promise<unknown[]>): Promise<unknown[]> {
  const [lgSide, rillSide] = await sides();
  const expected = await build(lgSide);
  const actual = await build(rillSide);
  assert.deepEqual(comparable(actual), comparable(expected));
  return actual;
}

describe('streamMode "tools"', () => {
  it("streams a ToolNode tool's start and end next to the other modes, as LangGraph.js does", async () => {
    const chunks = await onBoth(async (side) => toolChunks(await drain(agentGraph(side, callsTo(["weather", { city: "SF" }])).stream({ messages: [] }, { streamMode: ["updates", "tools"] }))));
    assert.deepEqual(chunks, [
      ["tools", { event: "on_tool_start", toolCallId: "call_weather_0", name: "weather", input: '{"city":"SF"}' }],
      ["tools", { event: "on_tool_end", toolCallId: "call_weather_0", name: "weather", output: (chunks[1] as [string, { output: unknown }])[1].output }],
    ]);
    assert.ok((chunks[1] as [string, { output: unknown }])[1].output instanceof ToolMessage);
  });

  it("streams a tool's yielded chunks as on_tool_event", async () => {
    const chunks = await onBoth(async (side) => toolChunks(await drain(agentGraph(side, callsTo(["countdown", { from: 2 }])).stream({ messages: [] }, { streamMode: ["tools"] }))));
    assert.deepEqual(
      chunks.map((c) => (c as [string, { event: string }])[1].event),
      ["on_tool_start", "on_tool_event", "on_tool_event", "on_tool_end"],
    );
  });

  it("streams a failing tool's on_tool_error, whether or not ToolNode handles the error", async () => {
    for (const handleToolErrors of [true, false]) {
      const chunks = await onBoth(async (side) => toolChunks(await drain(agentGraph(side, callsTo(["broken", {}]), handleToolErrors).stream({ messages: [] }, { streamMode: ["tools"] }))));
      assert.deepEqual(
        chunks.map((c) => (c as [string, { event: string }])[1].event),
        ["on_tool_start", "on_tool_error"],
      );
    }
  });

  it("shows a subgraph's tools only with subgraphs: true, under the subgraph's namespace", async () => {
    for (const subgraphs of [false, true]) {
      const chunks = await onBoth(async (side) => {
        const State = side.lg.Annotation.Root({ messages: side.lg.Annotation<BaseMessage[]>({ reducer: side.lg.messagesStateReducer, default: () => [] }) });
        const parent = new side.lg.StateGraph(State)
          .addNode("child", agentGraph(side, callsTo(["weather", { city: "Rome" }])))
          .addEdge(side.lg.START, "child")
          .compile();
        return toolChunks(await drain(parent.stream({ messages: [] }, { streamMode: ["tools"], subgraphs })));
      });
      assert.equal(chunks.length, subgraphs ? 2 : 0);
      if (subgraphs) assert.match(String((chunks[0] as [string[]])[0][0]), /^child:/);
    }
  });

  it("streams a tool a node invokes without passing its config", async () => {
    const chunks = await onBoth(async ({ lg }) => {
      const State = lg.Annotation.Root({ out: lg.Annotation<string>() });
      const graph = new lg.StateGraph(State)
        .addNode("call", async () => ({ out: String((await weather.invoke({ id: "call_direct_1", name: "weather", args: { city: "SF" }, type: "tool_call" })).content) }))
        .addEdge(lg.START, "call")
        .compile();
      return toolChunks(await drain(graph.stream({}, { streamMode: ["tools"] })));
    });
    assert.deepEqual(chunks.map((c) => (c as [string, { event: string }])[1].event), ["on_tool_start", "on_tool_end"]);
  });

  it("streams nothing for tools when the modes do not include it", async () => {
    const chunks = await onBoth(async (side) => toolChunks(await drain(agentGraph(side, callsTo(["weather", { city: "SF" }])).stream({ messages: [] }, { streamMode: ["updates", "values"] }))));
    assert.deepEqual(chunks, []);
  });
});

describe('streamEvents({ version: "v3" }) "tools" events', () => {
  async function toolEvents(side: SideLibs, message: AIMessage, handleToolErrors = true): Promise<unknown[]> {
    const graph = agentGraph(side, message, handleToolErrors);
    const run = (await graph.streamEvents({ messages: [] }, { version: "v3" } as never)) as unknown as AsyncIterable<{ method: string; params: { data: unknown } }>;
    const out: unknown[] = [];
    try {
      for await (const event of run) if (event.method === "tools") out.push(event.params.data);
    } catch (error) {
      out.push({ error: String(error) }); // handleToolErrors: false fails the run after its events
    }
    return out;
  }

  it("shows tool-started, tool-output-delta and tool-finished, as LangGraph.js does", async () => {
    const data = await onBoth((side) => toolEvents(side, callsTo(["countdown", { from: 2 }])));
    assert.deepEqual(data.map((d) => (d as { event: string }).event), ["tool-started", "tool-output-delta", "tool-output-delta", "tool-finished"]);
    assert.deepEqual((data[1] as { delta: string }).delta, "2");
  });

  it("shows tool-error with the error's message, whether or not ToolNode handles it", async () => {
    const expected = [
      { event: "tool-started", tool_call_id: "call_broken_0", tool_name: "broken", input: "{}" },
      { event: "tool-error", tool_call_id: "call_broken_0", message: "no forecast today" },
    ];
    assert.deepEqual(await onBoth((side) => toolEvents(side, callsTo(["broken", {}]), true)), expected);
    // Unhandled, the run fails after its events (LangGraph.js may drop the failing step's chunks: README).
    const [, rill] = await sides();
    assert.deepEqual(await toolEvents(rill, callsTo(["broken", {}]), false), [...expected, { error: "Error: no forecast today" }]);
  });
});

describe("StreamToolsHandler", () => {
  it("names the namespace from the checkpoint namespace, skips hidden tools, and forgets a run once it ends", () => {
    const chunks: unknown[] = [];
    const handler = new StreamToolsHandler((chunk) => chunks.push(chunk));
    handler.handleToolStart({}, "{}", "run-1", undefined, [], { langgraph_checkpoint_ns: "a|b" }, "t", "call_1");
    handler.handleToolStart({}, "{}", "run-2", undefined, ["langsmith:hidden"], {}, "hidden", "call_2");
    handler.handleToolStart({}, "{}", "run-3", undefined, [], undefined, "no-metadata", "call_3");
    handler.handleToolEnd("done", "run-1");
    handler.handleToolEvent("late", "run-1");
    assert.deepEqual(chunks, [
      [["a", "b"], "tools", { event: "on_tool_start", toolCallId: "call_1", name: "t", input: "{}" }],
      [["a", "b"], "tools", { event: "on_tool_end", toolCallId: "call_1", name: "t", output: "done" }],
    ]);
  });
});
