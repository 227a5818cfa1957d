// getStateTypeSchema / getUpdateTypeSchema / getInputTypeSchema / getOutputTypeSchema of a zod 4 state graph:
// the shapes @langchain/langgraph 1.7.3 gives (zod's JSON schema of each field, required and
// additionalProperties from the object, a reducer key typed by its reducer's input in updates, and a field's
// registry extras such as langgraph_type: "messages" merged in).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { z } from "zod";
import { Annotation, MessagesZodMeta, START, StateGraph, getInputTypeSchema, getOutputTypeSchema, getStateTypeSchema, getUpdateTypeSchema, registry } from "../index";

const State = z.object({
  messages: z.array(z.any()).register(registry, { ...MessagesZodMeta }),
  items: z
    .array(z.string())
    .default(() => ["d"])
    .register(registry, { reducer: { fn: (a: string[], b: string | string[]) => a.concat(b), schema: z.union([z.string(), z.array(z.string())]) } }),
  count: z.number().optional(),
  name: z.string(),
});
const graph = new StateGraph(State).addNode("a", () => ({})).addEdge(START, "a").compile();
const $schema = "https://json-schema.org/draft/2020-12/schema";
const messages = { type: "array", items: {}, langgraph_type: "messages" };

describe("JSON schemas of a zod state graph", () => {
  it("state and output: each field as zod gives it, required keys, no other keys", () => {
    const expected = {
      $schema,
      type: "object",
      properties: { messages, items: { default: ["d"], type: "array", items: { type: "string" } }, count: { type: "number" }, name: { type: "string" } },
      required: ["messages", "items", "name"],
      additionalProperties: false,
    };
    assert.deepEqual(getStateTypeSchema(graph), expected);
    assert.deepEqual(getOutputTypeSchema(graph), expected);
  });

  it("update and input: all keys optional, a reducer key typed by its reducer's input", () => {
    const expected = {
      $schema,
      type: "object",
      properties: { messages, items: { anyOf: [{ type: "string" }, { type: "array", items: { type: "string" } }] }, count: { type: "number" }, name: { type: "string" } },
      additionalProperties: false,
    };
    assert.deepEqual(getUpdateTypeSchema(graph), expected);
    assert.deepEqual(getInputTypeSchema(graph), expected);
  });

  it("a graph whose state is not a zod object has none", () => {
    const plain = new StateGraph(Annotation.Root({ a: Annotation<string>() })).addNode("node", () => ({})).addEdge(START, "node").compile();
    assert.equal(getStateTypeSchema(plain), undefined);
    assert.equal(getStateTypeSchema({}), undefined);
  });
});
