import { test } from "node:test";
import assert from "node:assert/strict";
import type { RunEvent } from "../../server/runs/runEvent";
import type { StreamPart } from "../../lib/graph/types";
import { applyRunEvent, createRunData, type RunData } from "./runStore";

// The seed's joke graph in every mode, as LangGraph.js streams it (shared/reference/joke_all_modes_list.jsonl).
const JOKE_ALL_MODES: StreamPart[] = [
  ["values", { topic: "ice cream" }],
  ["tasks", { id: "t1", name: "refine_topic", input: { topic: "ice cream" }, triggers: ["branch:to:refine_topic"], interrupts: [] }],
  ["debug", { step: 1, type: "task", timestamp: "2026-11-24T00:59:39.837Z", payload: { id: "t1", name: "refine_topic", input: { topic: "ice cream" }, triggers: ["branch:to:refine_topic"], interrupts: [] } }],
  ["updates", { refine_topic: { topic: "ice cream and cats" } }],
  ["tasks", { id: "t1", name: "refine_topic", result: { topic: "ice cream and cats" }, interrupts: [], error: null }],
  ["debug", { step: 1, type: "task_result", timestamp: "2026-11-24T00:59:39.838Z", payload: { id: "t1", name: "refine_topic", result: { topic: "ice cream and cats" }, interrupts: [], error: null } }],
  ["values", { topic: "ice cream and cats" }],
  ["tasks", { id: "t2", name: "generate_joke", input: { topic: "ice cream and cats" }, triggers: ["branch:to:generate_joke"], interrupts: [] }],
  ["debug", { step: 2, type: "task", timestamp: "2026-11-24T00:59:39.838Z", payload: { id: "t2", name: "generate_joke", input: { topic: "ice cream and cats" }, triggers: ["branch:to:generate_joke"], interrupts: [] } }],
  ["custom", { custom_key: "Writing custom data while generating a joke" }],
  ["updates", { generate_joke: { joke: "This is a joke about ice cream and cats" } }],
  ["tasks", { id: "t2", name: "generate_joke", result: { joke: "This is a joke about ice cream and cats" }, interrupts: [], error: null }],
  ["debug", { step: 2, type: "task_result", timestamp: "2026-11-24T00:59:39.841Z", payload: { id: "t2", name: "generate_joke", result: { joke: "This is a joke about ice cream and cats" }, interrupts: [], error: null } }],
  ["values", { topic: "ice cream and cats", joke: "This is a joke about ice cream and cats" }],
];

function feed(run: RunData, runId: string, events: RunEvent[], from = 0): void {
  events.forEach((event, i) => applyRunEvent(run, `${runId}:${from + i}`, event, 1000 + i));
}

function jokeRun(): RunEvent[] {
  return [
    ["metadata", { run_id: "r1", graph_id: "joke", stream_mode: ["values", "updates", "custom", "debug", "tasks"], created_at: "2026-11-24T00:59:39.800Z" }],
    ["status", { status: "running" }],
    ...JOKE_ALL_MODES,
    ["status", { status: "done" }],
  ];
}

test("events are ordered by the seq of their id; a replayed or earlier id is dropped", () => {
  const run = createRunData();
  assert.equal(applyRunEvent(run, "run_abc:0", ["metadata", { run_id: "run_abc", graph_id: "joke", stream_mode: ["custom"], created_at: "x" }], 1), true);
  assert.equal(applyRunEvent(run, "run_abc:2", ["custom", "b"], 2), true);
  assert.equal(applyRunEvent(run, "run_abc:1", ["custom", "a"], 3), false, "earlier than the last applied");
  assert.equal(applyRunEvent(run, "run_abc:2", ["custom", "b"], 4), false, "the same event again");
  assert.deepEqual(run.events.map((e) => e.seq), [0, 2]);
  assert.equal(run.lastSeq, 2);
  assert.equal(run.duplicatesDropped, 2);
});

test("the seed's joke graph fills every slice", () => {
  const run = createRunData();
  feed(run, "r1", jokeRun());
  assert.equal(run.runId, "r1");
  assert.equal(run.graphId, "joke");
  assert.equal(run.status, "done");
  assert.equal(run.events.length, JOKE_ALL_MODES.length + 3);

  assert.deepEqual(
    run.values.map((v) => [v.step, v.values]),
    [
      [0, { topic: "ice cream" }],
      [1, { topic: "ice cream and cats" }],
      [2, { topic: "ice cream and cats", joke: "This is a joke about ice cream and cats" }],
    ],
  );
  assert.deepEqual(
    run.updates.map((u) => [u.step, u.node, u.update]),
    [
      [1, "refine_topic", { topic: "ice cream and cats" }],
      [2, "generate_joke", { joke: "This is a joke about ice cream and cats" }],
    ],
  );
  assert.deepEqual(run.custom.map((c) => [c.step, c.node, c.chunk]), [[2, "generate_joke", { custom_key: "Writing custom data while generating a joke" }]]);

  // debug and tasks describe the same two tasks: one timeline row each, timed by the debug timestamps.
  assert.equal(run.tasks.length, 2);
  const [refine, joke] = run.tasks;
  assert.equal(refine!.name, "refine_topic");
  assert.equal(refine!.step, 1);
  assert.equal(refine!.state, "done");
  assert.deepEqual(refine!.triggers, ["branch:to:refine_topic"]);
  assert.equal(joke!.endedAt! - joke!.startedAt, 3);
  assert.deepEqual(joke!.result, { joke: "This is a joke about ice cream and cats" });
  assert.deepEqual([...run.nodes], [["refine_topic", "done"], ["generate_joke", "done"]]);
});

test("a replay that overlaps what the tab has is dropped event by event", () => {
  const events = jokeRun();
  const run = createRunData();
  feed(run, "r1", events.slice(0, 8));
  // The server replays from the start (or the wsLink resends an older id): nothing may show twice.
  feed(run, "r1", events);
  assert.equal(run.events.length, events.length);
  assert.equal(run.duplicatesDropped, 8);
  assert.equal(run.updates.length, 2);
  assert.deepEqual(
    run.events.map((e) => e.seq),
    events.map((_, i) => i),
  );
});

test("updates-only streams have no step to show", () => {
  const run = createRunData();
  feed(run, "r2", [["updates", { refine_topic: { topic: "x" } }], ["updates", { generate_joke: { joke: "y" } }]]);
  assert.deepEqual(run.updates.map((u) => u.step), [null, null]);
  assert.equal(run.status, "running");
});

test("tokens group per message id with node, step and model", () => {
  const run = createRunData();
  const meta = {
    langgraph_step: 2,
    langgraph_node: "generate_joke",
    langgraph_triggers: ["branch:to:generate_joke"],
    langgraph_path: ["__pregel_pull", "generate_joke"],
    langgraph_checkpoint_ns: "generate_joke:1",
    checkpoint_ns: "generate_joke:1",
    ls_model_name: "rill-offline",
  };
  const chunk = (id: string, content: string): RunEvent => ["messages", [{ type: "AIMessageChunk", id, content, tool_call_chunks: [] }, meta]];
  feed(run, "r3", [chunk("m1", "Why"), chunk("m1", " did"), chunk("m2", "Because"), chunk("m1", ""), chunk("m1", "?")]);
  assert.equal(run.messages.length, 2);
  assert.deepEqual(run.messages[0]!.tokens, ["Why", " did", "?"]);
  assert.deepEqual(run.messages[1]!.tokens, ["Because"]);
  assert.equal(run.messages[0]!.node, "generate_joke");
  assert.equal(run.messages[0]!.step, 2);
  assert.equal(run.messages[0]!.metadata.ls_model_name, "rill-offline");
  assert.equal(run.tokenCount, 4);
  assert.equal(run.nodes.get("generate_joke"), "running");
});

test("a failing node turns red and the run ends in error", () => {
  const run = createRunData();
  feed(run, "r4", [
    ["debug", { step: 1, type: "task", timestamp: "2026-11-24T00:59:42.789Z", payload: { id: "a", name: "generate_joke", input: {}, triggers: ["x"], interrupts: [] } }],
    ["debug", { step: 1, type: "task_result", timestamp: "2026-11-24T00:59:42.790Z", payload: { id: "a", name: "generate_joke", result: {}, interrupts: [], error: { name: "Error", message: "boom in generate_joke" } } }],
    ["error", { name: "Error", message: "boom in generate_joke" }],
    ["status", { status: "error" }],
  ]);
  assert.equal(run.tasks[0]!.state, "error");
  assert.equal(run.tasks[0]!.error!.message, "boom in generate_joke");
  assert.equal(run.nodes.get("generate_joke"), "error");
  assert.equal(run.status, "error");
  assert.equal(run.error!.message, "boom in generate_joke");
});

test("an interrupt is an update entry and a status, not a state", () => {
  const run = createRunData();
  const interrupt = { id: "i1", value: { question: 'Approve topic "ice cream and cats"?' } };
  feed(run, "r5", [
    ["values", { topic: "ice cream" }],
    ["updates", { refine_topic: { topic: "ice cream and cats" } }],
    ["values", { topic: "ice cream and cats" }],
    ["updates", { __interrupt__: [interrupt] }],
    ["values", { __interrupt__: [interrupt] }],
    ["status", { status: "interrupted", interrupts: [interrupt] }],
  ]);
  assert.equal(run.values.length, 2);
  assert.equal(run.updates.at(-1)!.isInterrupt, true);
  assert.equal(run.status, "interrupted");
  assert.deepEqual(run.interrupts, [interrupt]);
  feed(run, "r5", [["status", { status: "running" }], ["updates", { review: { approved: "yes" } }]], 6);
  assert.equal(run.status, "running");
  assert.deepEqual(run.interrupts, []);
  assert.equal(run.updates.at(-1)!.step, 2);
});

test("parallel tasks of one step share it; custom chunks name no node then", () => {
  const run = createRunData();
  const start = (id: string, name: string): RunEvent => ["debug", { step: 1, type: "task", timestamp: "2026-11-24T00:59:41.366Z", payload: { id, name, input: {}, triggers: [`branch:to:${name}`], interrupts: [] } }];
  feed(run, "r6", [start("a", "a"), start("b", "b"), ["custom", { progress: 1 }], ["updates", { b: { items: ["b"] } }]]);
  assert.equal(run.custom[0]!.node, null);
  assert.equal(run.custom[0]!.step, 1);
  assert.equal(run.updates[0]!.step, 1);
  assert.equal(run.nodes.get("a"), "running");
  assert.equal(run.nodes.get("b"), "done");
});

test("cancel stops what was running: tasks and nodes show cancelled, not done", () => {
  const run = createRunData();
  feed(run, "r7", [
    ["debug", { step: 1, type: "task", timestamp: "2026-11-24T00:00:00.000Z", payload: { id: "a", name: "refine_topic", input: {}, triggers: ["x"], interrupts: [] } }],
    ["debug", { step: 1, type: "task_result", timestamp: "2026-11-24T00:00:00.005Z", payload: { id: "a", name: "refine_topic", result: {}, interrupts: [], error: null } }],
    ["debug", { step: 2, type: "task", timestamp: "2026-11-24T00:00:00.010Z", payload: { id: "b", name: "generate_joke", input: {}, triggers: ["y"], interrupts: [] } }],
    ["status", { status: "cancelled", reason: "cancelled by a client" }],
  ]);
  assert.equal(run.status, "cancelled");
  assert.equal(run.statusReason, "cancelled by a client");
  assert.deepEqual(run.tasks.map((t) => t.state), ["done", "cancelled"]);
  assert.ok(run.tasks[1]!.endedAt! >= run.tasks[1]!.startedAt);
  assert.equal(run.nodes.get("generate_joke"), "cancelled");
  assert.equal(run.nodes.get("refine_topic"), "done");
});

test("when one parallel task fails, its running siblings are cancelled, not failed", () => {
  const run = createRunData();
  const start = (id: string): RunEvent => ["debug", { step: 1, type: "task", timestamp: "2026-11-24T00:00:00.000Z", payload: { id, name: id, input: {}, triggers: [], interrupts: [] } }];
  feed(run, "r8", [
    start("a"),
    start("b"),
    ["debug", { step: 1, type: "task_result", timestamp: "2026-11-24T00:00:00.002Z", payload: { id: "a", name: "a", result: {}, interrupts: [], error: { name: "Error", message: "boom" } } }],
    ["error", { name: "Error", message: "boom" }],
  ]);
  assert.deepEqual(run.tasks.map((t) => t.state), ["error", "cancelled"]);
  assert.equal(run.nodes.get("a"), "error");
  assert.equal(run.nodes.get("b"), "cancelled");
});
