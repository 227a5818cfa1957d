import { test } from "node:test";
import assert from "node:assert/strict";
import { isMessageLive, messageTaskLabel, sendArgument } from "./messageLabel";
import { applyRunEvent, createRunData } from "./runStore";
import type { WireRunEvent } from "./wireTypes";

const meta = (task: string, send: number | null) => ({
  langgraph_step: 2,
  langgraph_node: "write_joke",
  langgraph_triggers: ["__pregel_push"],
  langgraph_path: send === null ? ["__pregel_pull", "write_joke"] : ["__pregel_push", send, false],
  langgraph_checkpoint_ns: `write_joke:${task}`,
  checkpoint_ns: `write_joke:${task}`,
});
const chunk = (id: string, content: string) => ({ type: "AIMessageChunk", id, content, tool_call_chunks: [] });
const start = (id: string, subtopic: string): WireRunEvent =>
  ["debug", { step: 2, type: "task", timestamp: "2026-12-01T00:00:00.000Z", payload: { id, name: "write_joke", input: { subtopic }, triggers: ["__pregel_push"], interrupts: [] } }] as WireRunEvent;
const end = (id: string): WireRunEvent =>
  ["debug", { step: 2, type: "task_result", timestamp: "2026-12-01T00:00:01.000Z", payload: { id, name: "write_joke", result: {}, interrupts: [], error: null } }] as WireRunEvent;

test("parallel Send messages are labelled by their task's argument, and every running one is live", () => {
  const run = createRunData();
  const events: WireRunEvent[] = [
    ["metadata", { run_id: "r1", graph_id: "parallel-jokes", stream_mode: ["messages", "debug"], created_at: "x" }],
    start("t1", "history"),
    start("t2", "economics"),
    ["messages", [chunk("m1", "a"), meta("t1", 0)]] as WireRunEvent,
    ["messages", [chunk("m2", "b"), meta("t2", 1)]] as WireRunEvent,
    end("t1"),
  ];
  events.forEach((e, i) => applyRunEvent(run, `r1:${i}`, e, i));
  const [first, second] = run.messages;
  assert.equal(messageTaskLabel(first!, run), "send 1 · subtopic: history");
  assert.equal(messageTaskLabel(second!, run), "send 2 · subtopic: economics");
  assert.equal(isMessageLive(first!, run, true), false, "its task has finished");
  assert.equal(isMessageLive(second!, run, true), true);
  assert.equal(isMessageLive(second!, run, false), false, "nothing is live once the run stops streaming");
});

test("a message of a task started by an edge has no Send label", () => {
  const run = createRunData();
  applyRunEvent(run, "r1:0", ["messages", [chunk("m1", "a"), meta("t9", null)]] as WireRunEvent, 0);
  assert.equal(messageTaskLabel(run.messages[0]!, run), null);
  assert.equal(isMessageLive(run.messages[0]!, run, true), true, "without tasks, its node's state decides");
});

test("a Send argument reads as key: value, or compact JSON", () => {
  assert.equal(sendArgument({ subtopic: "x" }), "subtopic: x");
  assert.equal(sendArgument({ a: 1, b: 2 }), '{"a":1,"b":2}');
  assert.equal(sendArgument(undefined), null);
});
