// getStateTypeSchema / getUpdateTypeSchema / getInputTypeSchema / getOutputTypeSchema of a zod 4 state graph:
// the shapes @langchain/langgraph 1.7.3 gives (zod's JSON schema of each field, required and
// additionalProperties from the object, a reducer key typed by its reducer's input in updates, and a field's
// registry extras such as langgraph_type: "messages" merged in).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { z } from "zod";
import { Annotation, MessagesZodMeta, START, StateGraph, getConfigTypeSchema, getInputTypeSchema, getOutputTypeSchema, getStateTypeSchema, getUpdateTypeSchema, registry, withLangGraph } from "../index";

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

describe("context schema (new StateGraph(state, contextSchema))", () => {
  const Context = z.object({ prompt: withLangGraph(z.string().min(1), { jsonSchemaExtra: { langgraph_nodes: ["agent"] } }) });
  const graph = new StateGraph(z.object({ foo: z.string() }), Context)
    .addNode("agent", () => ({ foo: "agent" }))
    .addEdge(START, "agent")
    .compile();

  it("checks config.configurable (or config.context) before the run, with zod's error", async () => {
    assert.deepEqual(await graph.invoke({ foo: "in" }, { configurable: { prompt: "hi" } }), { foo: "agent" });
    assert.deepEqual(await graph.invoke({ foo: "in" }, { context: { prompt: "hi" }, configurable: { prompt: "" } }), { foo: "agent" });
    await assert.rejects(graph.invoke({ foo: "in" }, { configurable: { prompt: "" } }), (error: Error) => /ZodError/.test(error.name) && /too_small/.test(error.message));
    await assert.rejects(async () => {
      for await (const _ of await graph.stream({ foo: "in" }, { context: { prompt: 3 } })) void _;
    }, (error: Error) => /ZodError/.test(error.name));
  });

  it("is the graph's config JSON schema (getConfigTypeSchema), extras merged in", () => {
    const schema = getConfigTypeSchema(graph) as Record<string, unknown>;
    assert.deepEqual(schema.properties, { prompt: { type: "string", minLength: 1, langgraph_nodes: ["agent"] } });
    assert.deepEqual(schema.required, ["prompt"]);
    assert.equal(getConfigTypeSchema(new StateGraph(z.object({ foo: z.string() })).addNode("a", () => ({})).addEdge(START, "a").compile()), undefined);
  });
});

describe("StateSchema states' JSON schemas", () => {
  it("are LangGraph.js 1.7.3's: state (required keys without defaults), update/input (reducer inputs), output", async () => {
    type Lib = typeof import("@langchain/langgraph") & typeof import("@langchain/langgraph/zod/schema");
    const schemasOn = (lib: Lib) => {
      const state = new lib.StateSchema({
        messages: lib.MessagesValue,
        agentId: z.string().describe("Agent ID"),
        count: z.number().default(0),
        items: new lib.ReducedValue(z.array(z.string()).default(() => []), { inputSchema: z.string(), reducer: (a: string[], b: string) => [...a, b] }),
      });
      const graph = new lib.StateGraph(state).addNode("a", () => ({})).addEdge(lib.START, "a").compile();
      return [lib.getStateTypeSchema, lib.getUpdateTypeSchema, lib.getInputTypeSchema, lib.getOutputTypeSchema].map((get) => (get as (g: unknown) => unknown)(graph));
    };
    const zodSchemas = await import("@langchain/langgraph/zod/schema");
    const lg = { ...(await import("@langchain/langgraph")), ...zodSchemas } as Lib;
    const rill = (await import("../index")) as unknown as Lib;
    const expected = schemasOn(lg);
    assert.deepEqual(JSON.parse(JSON.stringify(schemasOn(rill))), JSON.parse(JSON.stringify(expected)));
    assert.deepEqual((expected[0] as { required: string[] }).required, ["agentId"]);
  });
});
