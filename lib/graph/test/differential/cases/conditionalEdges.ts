// Conditional edges as users write them: a router with a pathMap object, with a pathMap array, without
// one, returning END, returning several names at once, and from START.
import type { StreamMode } from "@langchain/langgraph";
import type { DifferentialCase } from "../differentialCase";

export const conditionalEdges: DifferentialCase = {
  name: "conditional edges with pathMap",
  async run({ lg }, rec) {
    const State = lg.Annotation.Root({
      text: lg.Annotation<string>(),
      mood: lg.Annotation<string>(),
      log: lg.Annotation<string[]>({ reducer: (a, b) => a.concat(b), default: () => [] }),
    });
    const classify = (s: typeof State.State) => ({
      mood: s.text === "" ? "none" : s.text.endsWith("!") ? "positive" : s.text.endsWith("?") ? "both" : "negative",
    });
    const withObjectMap = new lg.StateGraph(State)
      .addNode("classify", classify)
      .addNode("happy", () => ({ log: ["happy"] }))
      .addNode("sad", () => ({ log: ["sad"] }))
      .addEdge(lg.START, "classify")
      .addConditionalEdges(
        "classify",
        (s) => (s.mood === "none" ? lg.END : s.mood === "both" ? ["positive", "negative"] : s.mood),
        { positive: "happy", negative: "sad", [lg.END]: lg.END },
      )
      .addEdge("happy", lg.END)
      .addEdge("sad", lg.END)
      .compile();

    for (const text of ["great!", "meh", "", "really?"]) {
      for (const mode of ["updates", "values", "debug"] satisfies StreamMode[]) {
        await rec.stream(`object pathMap, "${text}", ${mode}`, () => withObjectMap.stream({ text }, { streamMode: mode }));
      }
    }

    const withArrayMap = new lg.StateGraph(State)
      .addNode("happy", () => ({ log: ["happy"] }))
      .addNode("sad", () => ({ log: ["sad"] }))
      .addConditionalEdges(lg.START, (s) => (s.text.endsWith("!") ? "happy" : "sad"), ["happy", "sad"])
      .addEdge("happy", lg.END)
      .addEdge("sad", lg.END)
      .compile();
    await rec.stream("array pathMap from START, debug", () => withArrayMap.stream({ text: "yes!" }, { streamMode: "debug" }));
    await rec.value("array pathMap from START, invoke", () => withArrayMap.invoke({ text: "no" }));

    const withoutMap = new lg.StateGraph(State)
      .addNode("classify", classify)
      .addNode("happy", () => ({ log: ["happy"] }))
      .addNode("sad", () => ({ log: ["sad"] }))
      .addEdge(lg.START, "classify")
      .addConditionalEdges("classify", (s) => (s.mood === "positive" ? "happy" : "sad"))
      .addEdge("happy", "sad")
      .addEdge("sad", lg.END)
      .compile();
    await rec.stream("no pathMap, values", () => withoutMap.stream({ text: "hi!" }, { streamMode: "values" }));
    await rec.stream("no pathMap, tasks", () => withoutMap.stream({ text: "hi!" }, { streamMode: "tasks" }));

    // A router returning a key the pathMap does not have.
    const badRoute = new lg.StateGraph(State)
      .addNode("classify", classify)
      .addNode("happy", () => ({ log: ["happy"] }))
      .addEdge(lg.START, "classify")
      .addConditionalEdges("classify", () => "unknown", { positive: "happy" })
      .compile();
    await rec.stream("router returns a key missing from pathMap", () =>
      badRoute.stream({ text: "x" }, { streamMode: "updates" }),
    );
  },
};
