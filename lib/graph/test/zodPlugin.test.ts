// Rill's `@langchain/langgraph/zod` (zod.ts): the `.langgraph` plugin on zod 4 and zod 3 types, zod 3 object
// states, and their JSON schemas (zod 3's through @langchain/core, as on LangGraph.js 1.7.3).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { z as z3 } from "zod/v3";
import { START, StateGraph, getStateTypeSchema, getUpdateTypeSchema, withLangGraph as rillWithLangGraph } from "../index";
import "../zod";

type Plugged = { langgraph: { reducer(fn: (a: string[], b: string | string[]) => string[], schema: unknown): unknown; metadata(extra: Record<string, unknown>): unknown } };
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyGraph = StateGraph<any, any>;
const concat = (a: string[], b: string | string[]) => a.concat(b);

describe("zod plugin and zod 3 states", () => {
  // (LangGraph.js installs it on zod 4's ZodType too, where zod 4's schemas do not inherit it: zod 3 only.)
  it("gives zod 3 types .langgraph.reducer / .metadata (withLangGraph shorthands)", async () => {
    {
      const zod = z3;
      const items = (zod.array(zod.string()).default(() => ["default"]) as unknown as Plugged).langgraph.reducer(concat, zod.union([zod.string(), zod.array(zod.string())])) as z3.ZodTypeAny;
      const prompt = (zod.string() as unknown as Plugged).langgraph.metadata({ langgraph_type: "prompt" }) as z3.ZodString;
      const graph = (new StateGraph(zod.object({ foo: zod.string(), items, prompt: prompt.optional() }) as never) as unknown as AnyGraph)
        .addNode("agent", () => ({ foo: "agent", items: ["a", "b"] }))
        .addNode("tool", () => ({ foo: "tool", items: "c" }))
        .addEdge(START, "agent")
        .addEdge("agent", "tool")
        .compile();
      assert.deepEqual(await graph.invoke({ foo: "input" } as never), { foo: "tool", items: ["default", "a", "b", "c"] });
      assert.equal((graph.builder as unknown as { _schemaRuntimeDefinition: unknown })._schemaRuntimeDefinition !== undefined, true);
    }
  });

  it("makes a zod 3 state's JSON schemas as LangGraph.js does", async () => {
    const schemasOn = (withLangGraph: typeof rillWithLangGraph, lib: { StateGraph: typeof StateGraph; START: typeof START }, schemaOf: Array<(g: unknown) => unknown>) => {
      const state = z3.object({
        foo: z3.string(),
        items: withLangGraph(z3.array(z3.string()).default(() => ["default"]), { reducer: { fn: concat, schema: z3.union([z3.string(), z3.array(z3.string())]) } }),
      });
      const graph = (new lib.StateGraph(state as never) as unknown as AnyGraph).addNode("a", () => ({})).addEdge(lib.START, "a").compile();
      return schemaOf.map((get) => get(graph));
    };
    const lg = await import("@langchain/langgraph");
    const lgZod = await import("@langchain/langgraph/zod/schema");
    const { withLangGraph: lgWithLangGraph } = await import("@langchain/langgraph/zod");
    const expected = schemasOn(lgWithLangGraph as never, lg as never, [lgZod.getStateTypeSchema, lgZod.getUpdateTypeSchema] as never);
    const actual = schemasOn(rillWithLangGraph, { StateGraph, START }, [getStateTypeSchema, getUpdateTypeSchema]);
    assert.deepEqual(actual, expected);
    assert.deepEqual((actual[0] as { required: string[] }).required, ["foo"]);
  });
});
