// Map-reduce with Send: a router fans out one task per subject, each with its own input; a reducer
// collects the results (in Send order, whatever the completion order), then a final node reduces.
import type { StreamMode } from "@langchain/langgraph";
import type { DifferentialCase } from "../differentialCase";

export const sendMapReduce: DifferentialCase = {
  name: "Send map-reduce",
  async run({ lg }, rec) {
    const State = lg.Annotation.Root({
      subjects: lg.Annotation<string[]>(),
      jokes: lg.Annotation<string[]>({ reducer: (a, b) => a.concat(b), default: () => [] }),
      best: lg.Annotation<string>(),
    });
    type JokeInput = { subject: string; order: number; count: number };
    // Later Sends finish first: each task waits until the one after it has finished (and its completion
    // was handled: released an event-loop turn later), so the order does not depend on timers or load.
    let releases = new Map<number, () => void>();
    let finished = new Map<number, Promise<void>>();
    const finishedOf = (order: number) => {
      if (!finished.has(order)) finished.set(order, new Promise<void>((resolve) => releases.set(order, resolve)));
      return finished.get(order)!;
    };
    const graph = new lg.StateGraph(State)
      .addNode("generate", async (input: typeof State.State) => {
        // Send gives this node its own input, not the graph state.
        const { subject, order, count } = input as unknown as JokeInput;
        if (order < count - 1) await finishedOf(order + 1);
        finishedOf(order);
        setImmediate(releases.get(order)!);
        // Updates follow completion, the reducer follows Send order.
        return { jokes: [`joke about ${subject}`] };
      })
      .addNode("pick", (s) => ({ best: s.jokes[s.jokes.length - 1] }))
      .addConditionalEdges(lg.START, (s) =>
        // Each run starts with fresh gates (the router runs before its Sends).
        ((releases = new Map()), (finished = new Map()), s.subjects.map((subject, order) => new lg.Send("generate", { subject, order, count: s.subjects.length }))),
      )
      .addEdge("generate", "pick")
      .addEdge("pick", lg.END)
      .compile();

    const input = { subjects: ["cats", "dogs", "owls"] };
    for (const mode of ["updates", "values", "debug", "tasks"] satisfies StreamMode[]) {
      await rec.stream(mode, () => graph.stream(input, { streamMode: mode }));
    }
    await rec.value("invoke", () => graph.invoke(input));
    await rec.value("invoke with no subjects", () => graph.invoke({ subjects: [] }));

    // Send from a node's conditional edge (not START), mixed with a plain destination name.
    const fromNode = new lg.StateGraph(State)
      .addNode("plan", () => ({ subjects: ["a", "b"] }))
      .addNode("generate", (input: typeof State.State) => ({
        jokes: [`joke about ${(input as unknown as JokeInput).subject}`],
      }))
      .addNode("audit", (s) => ({ best: `audit saw ${s.subjects.length}` }))
      .addEdge(lg.START, "plan")
      .addConditionalEdges("plan", (s) => [...s.subjects.map((subject) => new lg.Send("generate", { subject })), "audit"])
      .compile();
    await rec.stream("Send from a node plus a name, updates", () => fromNode.stream({ subjects: [] }, { streamMode: "updates" }));
    await rec.stream("Send from a node plus a name, debug", () => fromNode.stream({ subjects: [] }, { streamMode: "debug" }));
    await rec.stream("Send from a node plus a name, values", () => fromNode.stream({ subjects: [] }, { streamMode: "values" }));
  },
};
