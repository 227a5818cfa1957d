// Command returned from a node: update + goto (a name, several names, Send, END), declared with `ends`.
import type { StreamMode } from "@langchain/langgraph";
import type { DifferentialCase } from "../differentialCase";

export const commands: DifferentialCase = {
  name: "Command goto and update",
  async run({ lg }, rec) {
    const State = lg.Annotation.Root({
      route: lg.Annotation<string>(),
      visited: lg.Annotation<string[]>({ reducer: (a, b) => a.concat(b), default: () => [] }),
      note: lg.Annotation<string>(),
    });
    const graph = new lg.StateGraph(State)
      .addNode(
        "router",
        (s) => {
          const update = { visited: ["router"], note: `routing ${s.route}` };
          switch (s.route) {
            case "one":
              return new lg.Command({ update, goto: "left" });
            case "both":
              return new lg.Command({ update, goto: ["left", "right"] });
            case "send":
              return new lg.Command({ update, goto: [new lg.Send("right", { route: "sent", visited: [] })] });
            default:
              return new lg.Command({ update, goto: lg.END });
          }
        },
        { ends: ["left", "right", lg.END] },
      )
      .addNode("left", () => ({ visited: ["left"] }))
      .addNode("right", (s) => ({ visited: [`right(${s.route})`] }))
      .addEdge(lg.START, "router")
      .addEdge("left", lg.END)
      .addEdge("right", lg.END)
      .compile();

    for (const route of ["one", "both", "send", "end"]) {
      for (const mode of ["updates", "values", "debug"] satisfies StreamMode[]) {
        await rec.stream(`goto ${route}, ${mode}`, () => graph.stream({ route }, { streamMode: mode }));
      }
    }

    // A Command's goto adds to the node's static edges.
    const withEdge = new lg.StateGraph(State)
      .addNode("router", () => new lg.Command({ update: { visited: ["router"] }, goto: "right" }), { ends: ["right"] })
      .addNode("left", () => ({ visited: ["left"] }))
      .addNode("right", () => ({ visited: ["right"] }))
      .addEdge(lg.START, "router")
      .addEdge("router", "left")
      .compile();
    await rec.stream("goto plus a static edge, updates", () => withEdge.stream({ route: "" }, { streamMode: "updates" }));
    await rec.value("goto plus a static edge, invoke", () => withEdge.invoke({ route: "" }));

    // A Command as the graph's input updates the state before the first step.
    await rec.stream("Command update as input without checkpointer", () =>
      graph.stream(new lg.Command({ update: { route: "one" } }), { streamMode: "updates" }),
    );
  },
};
