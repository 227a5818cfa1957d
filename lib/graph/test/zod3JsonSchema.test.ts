// getStateTypeSchema & co. of a zod 3 object, or of a zod 4 one holding zod 3 fields: the draft-07 schemas
// LangGraph.js 1.7.3 gives (its zod_state test "should accept Zod messages schema & return tagged JSON schema").
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { z as z3 } from "zod/v3";
import * as lg from "@langchain/langgraph";
import * as lgSchema from "@langchain/langgraph/zod/schema";
import { MessagesZodState, START, StateGraph, getInputTypeSchema, getOutputTypeSchema, getStateTypeSchema, getUpdateTypeSchema } from "../index";

describe("JSON schemas of a state with zod 3 fields, as LangGraph.js gives them (draft-07)", () => {
  const rillGetters = { getStateTypeSchema, getUpdateTypeSchema, getInputTypeSchema, getOutputTypeSchema };
  const same = (rillGraph: unknown, lgGraph: unknown) => {
    for (const [name, get] of Object.entries(rillGetters)) {
      assert.deepEqual(get(rillGraph), lgSchema[name as keyof typeof rillGetters](lgGraph as never), name);
    }
  };

  it("MessagesZodState extended with a zod 3 field", () => {
    const rillGraph = new StateGraph(MessagesZodState.extend({ count: z3.number() }) as unknown as typeof MessagesZodState).addNode("a", () => ({})).addEdge(START, "a").compile();
    const lgGraph = new lg.StateGraph(lg.MessagesZodState.extend({ count: z3.number() })).addNode("a", () => ({})).addEdge(lg.START, "a").compile();
    same(rillGraph, lgGraph);
    assert.deepEqual((getStateTypeSchema(rillGraph) as { properties: unknown }).properties, { messages: { langgraph_type: "messages" }, count: { type: "number" } });
  });

  it("a zod 3 object", () => {
    const State3 = z3.object({ name: z3.string(), tags: z3.array(z3.string()).optional(), n: z3.number().default(1) });
    const rillGraph = new StateGraph(State3 as unknown as typeof MessagesZodState).addNode("a", () => ({})).addEdge(START, "a").compile();
    const lgGraph = new lg.StateGraph(State3).addNode("a", () => ({})).addEdge(lg.START, "a").compile();
    same(rillGraph, lgGraph);
  });
});
