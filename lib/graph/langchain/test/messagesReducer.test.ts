// Differential: Rill's messagesStateReducer against LangGraph.js 1.7.3's on the same inputs (instances,
// plain objects, tuples, strings, chunks, removals). Outputs are compared as LangChain serializes them,
// with generated ids numbered in order of appearance (key order aside).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { messagesStateReducer as langgraphReducer } from "@langchain/langgraph";
import { AIMessage, AIMessageChunk, HumanMessage, RemoveMessage, SystemMessage, ToolMessage } from "@langchain/core/messages";
import { messagesStateReducer as rillReducer, type Messages } from "../../index";
import { IdNormalizer } from "../../test/differential/normalize";

type Scenario = [name: string, make: () => [left: unknown, right: unknown]];

const scenarios: Scenario[] = [
  ["instances appended", () => [[new HumanMessage({ content: "hi", id: "1" })], [new AIMessage({ content: "yo", id: "2" })]]],
  ["instances without ids get ids", () => [[new HumanMessage("hi")], new AIMessage("yo")]],
  ["plain objects, tuples and strings", () => [[], ["text", ["assistant", "tuple"], { role: "user", content: "obj" }, { type: "system", content: "sys" }]]],
  ["a lone tuple is a list of two strings", () => [[], ["user", "hi"]]],
  ["tool calls in OpenAI and LangChain form", () => [[], [{ role: "assistant", content: "", tool_calls: [{ id: "c1", type: "function", function: { name: "add", arguments: '{"a":1}' } }] }, { role: "tool", content: "2", tool_call_id: "c1" }, new AIMessage({ content: "", tool_calls: [{ id: "c2", name: "mul", args: { a: 2 } }] })]]],
  ["a chunk becomes its whole class", () => [[], [new AIMessageChunk({ content: "part", id: "k" })]]],
  ["replace by id, instance by plain", () => [[new HumanMessage({ content: "a", id: "a" }), new AIMessage({ content: "b", id: "b" })], [{ role: "assistant", content: "b2", id: "b" }]]],
  ["remove by id", () => [[new HumanMessage({ content: "a", id: "a" }), new SystemMessage({ content: "s", id: "s" })], [new RemoveMessage({ id: "a" })]]],
  ["remove then re-add the same id", () => [[new HumanMessage({ content: "a", id: "a" })], [new RemoveMessage({ id: "a" }), new HumanMessage({ content: "a2", id: "a" })]]],
  ["remove all keeps what follows", () => [[new HumanMessage({ content: "a", id: "a" })], [new HumanMessage({ content: "x", id: "x" }), new RemoveMessage({ id: "__remove_all__" }), new ToolMessage({ content: "t", tool_call_id: "c", id: "t" })]]],
  ["remove of an unknown id throws", () => [[new HumanMessage({ content: "a", id: "a" })], [new RemoveMessage({ id: "nope" })]]],
  ["an unknown role throws", () => [[], [{ role: "wizard", content: "x" }]]],
];

function outcome(reducer: (l: Messages, r: Messages) => unknown, left: unknown, right: unknown): string {
  const ids = new IdNormalizer();
  try {
    return JSON.stringify(sortKeys(ids.value(JSON.parse(JSON.stringify(reducer(left as Messages, right as Messages))))));
  } catch (error) {
    return `throws ${(error as Error).message.replace(/'[0-9a-f-]{36}'/, "'<id>'")}`;
  }
}

/** Key order inside LangChain's serialized kwargs is not part of the behaviour. */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]));
}

describe("messagesStateReducer: Rill vs LangGraph.js", () => {
  for (const [name, make] of scenarios) {
    it(name, () => {
      const [l1, r1] = make();
      const [l2, r2] = make();
      assert.equal(outcome(rillReducer, l1, r1), outcome(langgraphReducer as never, l2, r2));
    });
  }
});
