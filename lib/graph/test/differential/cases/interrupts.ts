// reference/cases/06_interrupt.mjs: interrupt() in a node with MemorySaver, then resume with Command({ resume }).
import type { DifferentialCase } from "../differentialCase";

export const interrupts: DifferentialCase = {
  name: "06 interrupt and resume",
  async run({ lg }, rec) {
    const State = lg.Annotation.Root({
      topic: lg.Annotation<string>(),
      joke: lg.Annotation<string>(),
      approved: lg.Annotation<string>(),
    });
    const graph = new lg.StateGraph(State)
      .addNode("refine_topic", (s) => ({ topic: s.topic + " and cats" }))
      .addNode("review", (s) => {
        const answer = lg.interrupt<{ question: string }, string>({ question: `Approve topic "${s.topic}"?` });
        return { approved: answer };
      })
      .addNode("generate_joke", (s) => ({ joke: `This is a joke about ${s.topic} (approved=${s.approved})` }))
      .addEdge(lg.START, "refine_topic")
      .addEdge("refine_topic", "review")
      .addEdge("review", "generate_joke")
      .addEdge("generate_joke", lg.END)
      .compile({ checkpointer: new lg.MemorySaver() });

    const input = { topic: "ice cream" };
    const cfg = (thread_id: string) => ({ configurable: { thread_id } });
    await rec.stream("updates", () => graph.stream(input, { ...cfg("t1"), streamMode: "updates" }));
    await rec.value("getState after interrupt", async () => {
      const snap = await graph.getState(cfg("t1"));
      return { values: snap.values, next: snap.next, interrupts: snap.tasks.map((t) => t.interrupts) };
    });
    await rec.stream("resume, updates", () =>
      graph.stream(new lg.Command({ resume: "yes" }), { ...cfg("t1"), streamMode: "updates" }),
    );
    await rec.value("getState after resume", async () => {
      const snap = await graph.getState(cfg("t1"));
      return { values: snap.values, next: snap.next, tasks: snap.tasks };
    });

    await rec.stream("values", () => graph.stream(input, { ...cfg("t2"), streamMode: "values" }));
    await rec.stream("resume, values", () =>
      graph.stream(new lg.Command({ resume: "no" }), { ...cfg("t2"), streamMode: "values" }),
    );
    await rec.stream("debug", () => graph.stream(input, { ...cfg("t3"), streamMode: "debug" }));
    await rec.stream("resume, debug", () =>
      graph.stream(new lg.Command({ resume: "ok" }), { ...cfg("t3"), streamMode: "debug" }),
    );
    await rec.stream("tasks", () => graph.stream(input, { ...cfg("t4"), streamMode: "tasks" }));
    await rec.stream("updates+values", () => graph.stream(input, { ...cfg("t5"), streamMode: ["updates", "values"] }));
    await rec.value("invoke stops at the interrupt", () => graph.invoke(input, cfg("t6")));
    await rec.value("invoke resumes", () => graph.invoke(new lg.Command({ resume: "sure" }), cfg("t6")));

    const noCheckpointer = new lg.StateGraph(State)
      .addNode("review", () => ({ approved: lg.interrupt<string, string>("q") }))
      .addEdge(lg.START, "review")
      .addEdge("review", lg.END)
      .compile();
    await rec.stream("no checkpointer, updates", () => noCheckpointer.stream(input, { streamMode: "updates" }));
  },
};
