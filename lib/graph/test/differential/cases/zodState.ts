// zod object states with reducers and defaults: withLangGraph, zod 4's registry, MessagesZodState.
// LangGraph.js exports these from "@langchain/langgraph/zod"; Rill from its one entry.
import { z } from "zod";
import type { DifferentialCase } from "../differentialCase";

type ZodHelpers = typeof import("@langchain/langgraph/zod");

export const zodState: DifferentialCase = {
  name: "zod states with reducers",
  async run(side, rec) {
    const { lg } = side;
    const zodApi = (side.name === "langgraph" ? await import("@langchain/langgraph/zod") : lg) as unknown as ZodHelpers;
    const { withLangGraph, registry } = zodApi;
    const { MessagesZodState } = lg as unknown as { MessagesZodState: z.ZodObject<{ messages: z.ZodType<unknown[]> }> };

    const State = z.object({
      topic: z.string(),
      items: withLangGraph(z.array(z.string()), { reducer: { fn: (a: string[], b: string | string[]) => a.concat(b), schema: z.union([z.string(), z.array(z.string())]) }, default: () => [] }),
      tally: z.number().register(registry, { reducer: { fn: (a: number, b: number) => a + b }, default: () => 100 }),
      label: z.string().register(registry, { default: () => "registry-default" }),
    });
    const graph = new lg.StateGraph(State)
      .addNode("one", () => ({ items: "a", tally: 1 }))
      .addNode("two", () => ({ items: ["b", "c"], tally: 2 }))
      .addEdge(lg.START, "one")
      .addEdge("one", "two")
      .compile();
    await rec.stream("values", () => graph.stream({ topic: "t" }, { streamMode: "values" }));
    await rec.value("input keeps given values over defaults", () => graph.invoke({ topic: "t", label: "given", items: ["x"] }));
    const bad = new lg.StateGraph(State)
      .addNode("bad", () => ({ items: 7 as unknown as string }))
      .addEdge(lg.START, "bad")
      .compile();
    await rec.value("a write failing the reducer's schema", async () => {
      try {
        return await bad.invoke({ topic: "t" });
      } catch (error) {
        return `threw ${(error as Error).name}`;
      }
    });

    const undefinedWrite = new lg.StateGraph(State)
      .addNode("clears", () => ({ topic: undefined as unknown as string, label: undefined as unknown as string }))
      .addEdge(lg.START, "clears")
      .compile();
    await rec.value("a key written as undefined passes (partial schema)", () => undefinedWrite.invoke({ topic: "t" }));

    const chat = new lg.StateGraph(MessagesZodState)
      .addNode("reply", () => ({ messages: [{ role: "assistant", content: "hello" }] }))
      .addEdge(lg.START, "reply")
      .compile();
    await rec.value("MessagesZodState", async () => {
      const out = (await chat.invoke({ messages: [{ role: "user", content: "hi" }] })) as { messages: Array<{ content: unknown }> };
      return out.messages.map((m) => m.content);
    });
  },
};
