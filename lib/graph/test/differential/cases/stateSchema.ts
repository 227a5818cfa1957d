// States declared with schemas: StateSchema (plain schemas, ReducedValue, MessagesValue) and zod objects.
// Schema defaults are initial values; the input and every node update are validated.
import { z } from "zod";
import type { DifferentialCase } from "../differentialCase";

export const stateSchema: DifferentialCase = {
  name: "StateSchema and zod states",
  async run({ lg }, rec) {
    const State = new lg.StateSchema({
      topic: z.string(),
      count: z.number().default(0),
      items: new lg.ReducedValue(z.array(z.string()).default(() => []), {
        inputSchema: z.union([z.string(), z.array(z.string())]),
        reducer: (current: string[], next: string | string[]) => current.concat(next),
      }),
      messages: lg.MessagesValue,
    });
    const graph = new lg.StateGraph(State)
      .addNode("first", (s: typeof State.State) => ({ count: s.count + 1, items: "one", messages: [{ role: "user", content: s.topic }] }))
      .addNode("second", (s: typeof State.State) => ({ count: s.count + 1, items: ["two", "three"] }))
      .addEdge(lg.START, "first")
      .addEdge("first", "second")
      .compile();
    await rec.stream("values", () => graph.stream({ topic: "cats" }, { streamMode: "values" }), projectMessages);
    await rec.value("input failing its schema", () => graph.invoke({ topic: 42 as unknown as string }));
    const bad = new lg.StateGraph(State)
      .addNode("bad", () => ({ count: "many" as unknown as number }))
      .addEdge(lg.START, "bad")
      .compile();
    await rec.stream("node update failing its schema", () => bad.stream({ topic: "t" }, { streamMode: "updates" }));
    const overwrite = new lg.StateGraph(State)
      .addNode("reset", () => ({ items: new lg.Overwrite(["reset"]) }))
      .addEdge(lg.START, "reset")
      .compile();
    await rec.value("Overwrite on a ReducedValue", async () => (await overwrite.invoke({ topic: "t", items: ["a"] })).items);

    const Zod = z.object({ name: z.string(), score: z.number().min(0).default(5) });
    const zodGraph = new lg.StateGraph(Zod)
      .addNode("rate", (s: z.infer<typeof Zod>) => ({ score: s.score + s.name.length }))
      .addEdge(lg.START, "rate")
      .compile();
    await rec.stream("zod state: default and values", () => zodGraph.stream({ name: "abc" }, { streamMode: "values" }));
    const zodBad = new lg.StateGraph(Zod)
      .addNode("rate", () => ({ score: -1 }))
      .addEdge(lg.START, "rate")
      .compile();
    await rec.value("zod state: update failing its schema", () => zodBad.invoke({ name: "abc" }));
  },
};

/** Messages are compared by role and content (LangChain classes on one side, plain JSON on the other). */
function projectMessages(chunks: unknown[]): unknown[] {
  return chunks.map((chunk) => {
    const c = chunk as { messages?: Array<{ content?: unknown }> };
    return { ...c, messages: c.messages?.map((m) => m.content) };
  });
}
