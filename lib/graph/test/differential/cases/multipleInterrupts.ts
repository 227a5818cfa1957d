// Human-in-the-loop beyond one question: a node asking twice, two parallel nodes asking at once
// (resumed by interrupt id), and an interrupt inside a subgraph.
import type { DifferentialCase } from "../differentialCase";

export const multipleInterrupts: DifferentialCase = {
  name: "multiple interrupts",
  async run({ lg }, rec) {
    const State = lg.Annotation.Root({
      answers: lg.Annotation<string[]>({ reducer: (a, b) => a.concat(b), default: () => [] }),
    });
    const cfg = (thread_id: string) => ({ configurable: { thread_id } });

    // One node, two questions: the first resume answers the first, the node re-runs and asks the second.
    const twoQuestions = new lg.StateGraph(State)
      .addNode("ask", () => {
        const name = lg.interrupt<string, string>("name?");
        const color = lg.interrupt<string, string>(`color for ${name}?`);
        return { answers: [`${name}:${color}`] };
      })
      .addEdge(lg.START, "ask")
      .compile({ checkpointer: new lg.MemorySaver() });
    await rec.stream("two questions, first", () => twoQuestions.stream({}, { ...cfg("q"), streamMode: "updates" }));
    await rec.stream("two questions, second", () =>
      twoQuestions.stream(new lg.Command({ resume: "ada" }), { ...cfg("q"), streamMode: "updates" }),
    );
    await rec.stream("two questions, done", () =>
      twoQuestions.stream(new lg.Command({ resume: "blue" }), { ...cfg("q"), streamMode: ["updates", "values"] }),
    );

    // Two parallel nodes interrupt in the same step; resume both by id.
    const parallel = new lg.StateGraph(State)
      .addNode("left", () => ({ answers: [`left:${lg.interrupt<string, string>("left?")}`] }))
      .addNode("right", () => ({ answers: [`right:${lg.interrupt<string, string>("right?")}`] }))
      .addEdge(lg.START, "left")
      .addEdge(lg.START, "right")
      .compile({ checkpointer: new lg.MemorySaver() });
    const first = await rec.stream("parallel, first", () => parallel.stream({}, { ...cfg("p"), streamMode: "updates" }));
    await rec.value("parallel, state", async () => {
      const snap = await parallel.getState(cfg("p"));
      return { next: snap.next, tasks: snap.tasks.map((t) => ({ name: t.name, interrupts: t.interrupts })) };
    });
    // Each interrupting task gives its own { __interrupt__ } chunk; answer every one of them by id.
    const pending = (first.kind === "stream" ? first.chunks : []).flatMap(
      (c) => (c as { __interrupt__?: Array<{ id: string; value: string }> }).__interrupt__ ?? [],
    );
    const resume = Object.fromEntries(pending.map((i) => [i.id, `answer to ${i.value}`]));
    await rec.stream("parallel, resumed by id", () =>
      parallel.stream(new lg.Command({ resume }), { ...cfg("p"), streamMode: ["updates", "values"] }),
    );
    // Answering only one of them: the other node asks again.
    await parallel.stream({}, { ...cfg("p2"), streamMode: "updates" }).then(async (s) => {
      for await (const _ of s) void _;
    });
    await rec.stream("parallel, only one answered", async () => {
      const snap = await parallel.getState(cfg("p2"));
      const leftInterrupt = snap.tasks.find((t) => t.name === "left")!.interrupts[0]!;
      return parallel.stream(new lg.Command({ resume: { [leftInterrupt.id!]: "only left" } }), {
        ...cfg("p2"),
        streamMode: ["updates", "values"],
      });
    });

    // An interrupt inside a subgraph: the parent stops, and resumes into the child.
    const child = new lg.StateGraph(State)
      .addNode("inner", () => ({ answers: [`inner:${lg.interrupt<string, string>("inner?")}`] }))
      .addEdge(lg.START, "inner")
      .compile();
    const parent = new lg.StateGraph(State)
      .addNode("child", child)
      .addNode("after", (s) => ({ answers: [`after saw ${s.answers.length}`] }))
      .addEdge(lg.START, "child")
      .addEdge("child", "after")
      .compile({ checkpointer: new lg.MemorySaver() });
    await rec.stream("subgraph, first, subgraphs", () =>
      parent.stream({}, { ...cfg("s"), streamMode: "updates", subgraphs: true }),
    );
    await rec.value("subgraph, state", async () => {
      const snap = await parent.getState(cfg("s"));
      return { next: snap.next, values: snap.values, interrupts: snap.tasks.map((t) => t.interrupts) };
    });
    await rec.stream("subgraph, resumed, subgraphs", () =>
      parent.stream(new lg.Command({ resume: "yes" }), { ...cfg("s"), streamMode: "updates", subgraphs: true }),
    );
  },
};
