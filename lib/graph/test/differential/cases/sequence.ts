// addSequence: nodes chained in order, given as [name, fn] pairs or as an object.
import type { StreamMode } from "@langchain/langgraph";
import type { DifferentialCase } from "../differentialCase";

export const sequence: DifferentialCase = {
  name: "addSequence",
  async run({ lg }, rec) {
    const State = lg.Annotation.Root({ text: lg.Annotation<string>() });
    const pairs = new lg.StateGraph(State)
      .addSequence([
        ["upper", (s: typeof State.State) => ({ text: s.text.toUpperCase() })],
        ["exclaim", (s: typeof State.State) => ({ text: s.text + "!" })],
        ["wrap", (s: typeof State.State) => ({ text: `<${s.text}>` })],
      ])
      .addEdge(lg.START, "upper")
      .addEdge("wrap", lg.END)
      .compile();
    for (const mode of ["updates", "values", "debug"] satisfies StreamMode[]) {
      await rec.stream(`pairs, ${mode}`, () => pairs.stream({ text: "hi" }, { streamMode: mode }));
    }

    const record = new lg.StateGraph(State)
      .addSequence({
        one: (s: typeof State.State) => ({ text: s.text + "1" }),
        two: (s: typeof State.State) => ({ text: s.text + "2" }),
      })
      .addEdge(lg.START, "one")
      .compile();
    await rec.stream("object, updates", () => record.stream({ text: "" }, { streamMode: "updates" }));
    await rec.value("object, invoke", () => record.invoke({ text: ">" }));
  },
};
