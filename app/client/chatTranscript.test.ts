import { test } from "node:test";
import assert from "node:assert/strict";
import { chatTranscript, contentText, schemaTakesMessages, stateMessages } from "./chatTranscript";
import { applyRunEvent, createRunData } from "./runStore";
import type { WireRunEvent } from "./wireTypes";

const meta = { langgraph_step: 3, langgraph_node: "agent", langgraph_triggers: [], langgraph_path: ["__pregel_pull", "agent"] };

test("state messages of every shape become turns, with tool calls and tool results as such", () => {
  const messages = [
    { type: "human", id: "h1", content: "Use the weather tool for Paris" },
    { type: "ai", id: "a1", content: "", tool_calls: [{ id: "c1", name: "weather", args: { city: "Paris" } }] },
    { type: "tool", id: "t1", name: "weather", tool_call_id: "c1", content: "Paris: 18 °C", status: "success" },
    { role: "assistant", content: [{ type: "text", text: "It is " }, { type: "text", text: "18 °C." }] },
    { lc: 1, type: "constructor", id: ["langchain_core", "messages", "HumanMessage"], kwargs: { content: "Thanks", id: "h2" } },
    { type: "ai", id: "a2", content: "", additional_kwargs: { tool_calls: [{ id: "c2", function: { name: "calculator", arguments: '{"a":6}' } }] } },
    { type: "tool", id: "t2", name: "calculator", content: "cannot divide by zero", status: "error" },
    { something: "else" },
  ];
  const turns = chatTranscript(messages, [], -1);
  assert.deepEqual(
    turns.map((t) => [t.kind, t.key, t.text]),
    [
      ["user", "h1", "Use the weather tool for Paris"],
      ["assistant", "a1", ""],
      ["tool", "t1", "Paris: 18 °C"],
      ["assistant", "state-3", "It is 18 °C."],
      ["user", "h2", "Thanks"],
      ["assistant", "a2", ""],
      ["tool", "t2", "cannot divide by zero"],
    ],
  );
  assert.deepEqual(turns[1]!.kind === "assistant" && turns[1]!.toolCalls, [{ id: "c1", name: "weather", args: '{"city":"Paris"}' }]);
  assert.deepEqual(turns[5]!.kind === "assistant" && turns[5]!.toolCalls, [{ id: "c2", name: "calculator", args: '{"a":6}' }]);
  assert.equal(turns[2]!.kind === "tool" && turns[2]!.name, "weather");
  assert.equal(turns[6]!.kind === "tool" && turns[6]!.failed, true);
  // The same state gives the same turn objects (rows stay as they are while tokens stream).
  assert.equal(chatTranscript(messages, [], -1)[0], turns[0]);
});

test("a reply still streaming follows the state's messages, its tool call merged from chunks; one the state holds is not repeated", () => {
  const run = createRunData();
  const events: WireRunEvent[] = [
    ["metadata", { run_id: "r1", graph_id: "tool-agent", stream_mode: ["values", "messages"], created_at: "x" }],
    ["values", { messages: [{ type: "human", id: "h1", content: "weather in Paris?" }] }],
    ["messages", [{ type: "AIMessageChunk", id: "a1", content: "", tool_call_chunks: [{ index: 0, id: "c1", name: "weather", args: "" }] }, meta]],
    ["messages", [{ type: "AIMessageChunk", id: "a1", content: "", tool_call_chunks: [{ index: 0, args: '{"city":' }] }, meta]],
    ["messages", [{ type: "AIMessageChunk", id: "a1", content: "", tool_call_chunks: [{ index: 0, args: '"Paris"}' }] }, meta]],
  ] as WireRunEvent[];
  events.forEach((event, i) => applyRunEvent(run, `r1:${i}`, event, i));
  const state = run.values.at(-1)!;
  let turns = chatTranscript(stateMessages(state.values), run.messages, state.eventIndex);
  assert.deepEqual(turns.map((t) => t.kind), ["user", "assistant"]);
  const call = turns[1]!;
  assert.ok(call.kind === "assistant" && call.group !== null);
  assert.deepEqual(call.toolCalls, [{ id: "c1", name: "weather", args: '{"city":"Paris"}' }]);

  // The tool answers (streamed as a whole message), then the answer streams token by token.
  const more: WireRunEvent[] = [
    ["values", { messages: [{ type: "human", id: "h1", content: "weather in Paris?" }, { type: "ai", id: "a1", content: "", tool_calls: [{ id: "c1", name: "weather", args: { city: "Paris" } }] }] }],
    ["messages", [{ type: "tool", id: "t1", content: "Paris: 18 °C", tool_call_id: "c1" }, meta]],
    ["messages", [{ type: "AIMessageChunk", id: "a2", content: "It is", tool_call_chunks: [] }, meta]],
    ["messages", [{ type: "AIMessageChunk", id: "a2", content: " 18 °C", tool_call_chunks: [] }, meta]],
  ] as WireRunEvent[];
  more.forEach((event, i) => applyRunEvent(run, `r1:${events.length + i}`, event, i));
  const latest = run.values.at(-1)!;
  turns = chatTranscript(stateMessages(latest.values), run.messages, latest.eventIndex);
  assert.deepEqual(turns.map((t) => [t.kind, t.key]), [["user", "h1"], ["assistant", "a1"], ["tool", "t1"], ["assistant", "a2"]]);
  const reply = turns[3]!;
  assert.ok(reply.kind === "assistant" && reply.group !== null);
  assert.equal(reply.group.tokens.join(""), "It is 18 °C");
  assert.equal(turns[2]!.text, "Paris: 18 °C");
  // The state's own a1 comes from the state (complete args), not from the stream.
  assert.equal(turns[1]!.kind === "assistant" && turns[1]!.group, null);
});

test("chat graphs are told apart by their input schema or their state", () => {
  assert.equal(schemaTakesMessages({ type: "object", properties: { messages: { type: "array" } } }), true);
  assert.equal(schemaTakesMessages({ type: "object", properties: { topic: { type: "string" } } }), false);
  assert.equal(schemaTakesMessages(undefined), false);
  assert.deepEqual(stateMessages({ messages: [] }), []);
  assert.equal(stateMessages({ topic: "x" }), null);
  assert.equal(contentText([{ type: "image_url" }, "a"]), "[image_url]a");
});
