// The tool-agent graph (createReactAgent, @langchain/openai's ChatOpenAI, LangChain tools) through the
// real run server and the offline model: the tool call streams as tool-call chunks, the tool's result (or
// its error) comes back as a ToolMessage, and every message on the wire is the Agent Server's plain shape.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { StreamMode } from "../lib/graph/types";
import { collect, liveServer, tuples } from "./test/harness";

type WireMessage = Record<string, unknown> & { type: string; content: unknown; id?: string };

/** Every object with an `lc` key anywhere in `value` (LangChain's serialization envelope must never reach the wire). */
function envelopes(value: unknown, found: unknown[] = []): unknown[] {
  if (Array.isArray(value)) value.forEach((v) => envelopes(v, found));
  else if (value !== null && typeof value === "object") {
    if ("lc" in value && "kwargs" in value) found.push(value);
    Object.values(value).forEach((v) => envelopes(v, found));
  }
  return found;
}

describe("tool-agent graph through the run server", () => {
  const live = liveServer();
  /** A run asking for the weather in Atlantis, which the weather tool fails on. */
  const askWeatherForAtlantis = (streamMode: StreamMode[]) =>
    collect(live.client, { graphId: "tool-agent", input: { messages: [{ role: "user", content: "Use the weather tool for Atlantis" }] }, streamMode });

  it("is listed, with its tools loop drawn", async () => {
    const graph = (await live.client.trpc.graphs.list.query()).find((g) => g.id === "tool-agent");
    assert.ok(graph, "tool-agent is registered");
    assert.ok(graph.usesModel);
    assert.deepEqual(graph.structure.nodes.map((n) => n.id).sort(), ["__end__", "__start__", "agent", "tools"]);
    assert.ok(graph.structure.edges.some((e) => e.source === "tools" && e.target === "agent"));
  });

  it("streams the weather tool call, its ToolMessage and the answer, as plain messages", async () => {
    const { events, error } = await collect(live.client, {
      graphId: "tool-agent",
      input: { messages: [{ role: "user", content: "Use the weather tool for Paris" }] },
      streamMode: ["messages", "updates", "values"],
    });
    assert.equal(error, undefined);
    assert.deepEqual(events.at(-1)!.data, ["status", { status: "done" }]);
    const all = tuples(events);
    assert.deepEqual(envelopes(all), [], "no LangChain envelope on the wire");

    const messages = all.filter((t) => t[0] === "messages").map((t) => t[1] as unknown as [WireMessage, Record<string, unknown>]);
    const toolCallChunks = messages.filter(([m]) => m.type === "AIMessageChunk" && (m.tool_call_chunks as unknown[]).length > 0);
    assert.ok(toolCallChunks.length > 1, "the tool call's arguments stream in several chunks");
    assert.equal((toolCallChunks[0][0].tool_call_chunks as Array<{ name?: string }>)[0].name, "weather");
    assert.equal(toolCallChunks[0][1].langgraph_node, "agent");
    assert.equal(toolCallChunks[0][1].ls_provider, "openai");

    const toolMessage = messages.find(([m]) => m.type === "tool");
    assert.ok(toolMessage, "the tools node's ToolMessage is streamed");
    assert.equal(toolMessage[0].content, "Paris: 18 °C, light rain, wind 12 km/h");
    assert.equal(toolMessage[0].name, "weather");
    assert.equal(toolMessage[0].status, "success");
    assert.equal(toolMessage[1].langgraph_node, "tools");

    const final = all.filter((t) => t[0] === "values").at(-1)![1] as { messages: WireMessage[] };
    assert.deepEqual(final.messages.map((m) => m.type), ["human", "ai", "tool", "ai"]);
    const [, call, , answer] = final.messages;
    assert.deepEqual((call.tool_calls as Array<{ name: string; args: unknown }>).map((c) => [c.name, c.args]), [["weather", { city: "Paris" }]]);
    assert.match(String(answer.content), /Paris: 18 °C/);
    for (const m of final.messages) assert.equal(typeof m.id, "string");
  });

  it("a tool that throws becomes a ToolMessage with the error, and the agent carries on", async () => {
    const { events, error } = await askWeatherForAtlantis(["updates"]);
    assert.equal(error, undefined);
    const updates = tuples(events).map((t) => t[1] as Record<string, { messages: WireMessage[] }>);
    const tools = updates.find((u) => "tools" in u)!.tools.messages[0];
    assert.equal(tools.type, "tool");
    assert.equal(tools.status, "error");
    assert.match(String(tools.content), /^Error: no forecast for "Atlantis".*\n Please fix your mistakes\.$/s);
    assert.deepEqual(updates.map((u) => Object.keys(u)[0]), ["agent", "tools", "agent"]);
  });

  it("streams a tool's error in \"tools\" mode with its name and message (an Error is not plain JSON)", async () => {
    const { events, error } = await askWeatherForAtlantis(["tools"]);
    assert.equal(error, undefined);
    const tools = tuples(events).filter((t) => t[0] === "tools").map((t) => t[1] as Record<string, unknown>);
    assert.deepEqual(tools.map((t) => t.event), ["on_tool_start", "on_tool_error"]);
    const failed = tools[1];
    assert.equal(failed.name, "weather");
    assert.equal(typeof failed.toolCallId, "string");
    assert.equal((failed.error as { name: string }).name, "Error");
    assert.match((failed.error as { message: string }).message, /^no forecast for "Atlantis"/);
  });

  it("rejects bad input naming the field", async () => {
    const { error } = await collect(live.client, { graphId: "tool-agent", input: { messages: [{ role: "wizard", content: "hi" }] } });
    assert.ok(error);
    assert.match(error.message, /role/);
  });
});
