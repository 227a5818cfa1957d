// LangGraph.js's low-level Pregel: nodes made by Channel.subscribeTo(...).pipe(...).pipe(Channel.writeTo(...)),
// run on LastValue and Topic channels, invoked and batched with input/output channel names.
import type { DifferentialCase } from "../differentialCase";

export const lowLevelPregel: DifferentialCase = {
  name: "low-level Pregel",
  async run(side, rec) {
    // LangGraph.js exports these from "@langchain/langgraph/pregel" and "/channels"; Rill from its main entry.
    const lib = (side.name === "langgraph" ? { ...(await import("@langchain/langgraph/pregel")), ...(await import("@langchain/langgraph/channels")) } : side.lg) as typeof import("@langchain/langgraph/pregel") & typeof import("@langchain/langgraph/channels");
    const { Channel, Pregel, LastValue, Topic, BinaryOperatorAggregate } = lib;
    const addOne = (x: number) => x + 1;
    const single = new Pregel({
      nodes: { one: Channel.subscribeTo("input").pipe(addOne).pipe(Channel.writeTo(["output"])) },
      channels: { input: new LastValue<number>(), output: new LastValue<number>() },
      inputChannels: "input",
      outputChannels: "output",
    });
    await rec.value("single process", () => single.invoke(2));
    await rec.value("single process, outputKeys list", () => single.invoke(2, { outputKeys: ["output"] }));
    await rec.value("single process, batch", () => single.batch([1, 2, 3]));

    const kwargs = new Pregel({
      nodes: { one: Channel.subscribeTo("input").pipe(addOne).pipe(Channel.writeTo(["output"], { fixed: 5, outputPlusOne: (x: number) => x + 1 })) },
      channels: { input: new LastValue<number>(), output: new LastValue<number>(), fixed: new LastValue<number>(), outputPlusOne: new LastValue<number>() },
      inputChannels: "input",
      outputChannels: ["output", "fixed", "outputPlusOne"],
    });
    await rec.value("writeTo kwargs", () => kwargs.invoke(2));

    const chained = new Pregel({
      nodes: {
        one: Channel.subscribeTo("input").pipe(addOne).pipe(Channel.writeTo(["inbox"])),
        two: Channel.subscribeTo("inbox").pipe(addOne).pipe(Channel.writeTo(["output"])),
      },
      channels: { inbox: new LastValue<number>(), output: new LastValue<number>(), input: new LastValue<number>() },
      inputChannels: ["input"],
      outputChannels: ["output"],
    });
    await rec.value("two processes, object in and out", () => chained.invoke({ input: 2 }));
    await rec.value("two processes, recursionLimit 1", () => chained.invoke({ input: 2 }, { recursionLimit: 1 }));
    await rec.value("two processes, recursionLimit 2", () => chained.invoke({ input: 2 }, { recursionLimit: 2 }));
    await rec.stream("two processes, updates", () => chained.stream({ input: 2 }, { streamMode: "updates" }));
    await rec.stream("two processes, values", () => chained.stream({ input: 2 }));
    await rec.stream("two processes, both modes", () => chained.stream({ input: 2 }, { streamMode: ["values", "updates"] }));

    const split = new Pregel({
      nodes: {
        one: Channel.subscribeTo("input").pipe(addOne).pipe(Channel.writeTo([], { output: (x: number) => x, between: (x: number) => x })),
        two: Channel.subscribeTo("between").pipe(addOne).pipe(Channel.writeTo(["output"])),
      },
      channels: { input: new LastValue<number>(), output: new LastValue<number>(), between: new LastValue<number>() },
      inputChannels: "input",
      outputChannels: "output",
      streamChannels: ["output", "between"],
    });
    await rec.stream("stream channels, values", () => split.stream(2));

    const totals = new Pregel({
      nodes: {
        one: Channel.subscribeTo(["input"])
          .join(["total"])
          .pipe((x: { input: number; total?: number }) => (x.total ?? 0) + x.input)
          .pipe(Channel.writeTo(["output", "total"])),
      },
      channels: { total: new BinaryOperatorAggregate<number>((a, b) => a + b), input: new LastValue<number>(), output: new LastValue<number>() },
      inputChannels: "input",
      outputChannels: "output",
    });
    await rec.value("join reads a channel it does not subscribe to", () => totals.invoke(2));

    const joined = new Pregel({
      nodes: {
        one: Channel.subscribeTo("input").pipe(addOne).pipe(Channel.writeTo(["inbox"])),
        three: Channel.subscribeTo("input").pipe(addOne).pipe(Channel.writeTo(["inbox"])),
        four: Channel.subscribeTo("inbox").pipe((xs: number[]) => xs.map((y) => y + 10)).pipe(Channel.writeTo(["output"])),
      },
      channels: { inbox: new Topic<number>(), output: new LastValue<number[]>(), input: new LastValue<number>() },
      inputChannels: "input",
      outputChannels: "output",
    });
    await rec.value("two writers joined into one topic", () => joined.invoke(2));

    const saved = new Pregel({
      nodes: {
        one: Channel.subscribeTo("input").pipe(addOne).pipe(Channel.writeTo(["inbox"])),
        two: Channel.subscribeTo("inbox").pipe((xs: number[]) => xs.length).pipe(Channel.writeTo(["output"])),
      },
      channels: { inbox: new Topic<number>(), output: new LastValue<number>(), input: new LastValue<number>() },
      inputChannels: "input",
      outputChannels: "output",
      checkpointer: new side.lg.MemorySaver(),
    });
    const thread = { configurable: { thread_id: "pregel" } };
    await rec.value("with a checkpointer", () => saved.invoke(2, thread));
    await rec.value("getState values (a Topic not written in the last step is empty)", async () => (await saved.getState(thread)).values);

    const twice = new Pregel({
      nodes: {
        one: Channel.subscribeTo("input").pipe(addOne).pipe(Channel.writeTo(["output"])),
        two: Channel.subscribeTo("input").pipe(addOne).pipe(Channel.writeTo(["output"])),
      },
      channels: { output: new LastValue<number>(), input: new LastValue<number>() },
      inputChannels: "input",
      outputChannels: "output",
    });
    await rec.value("one LastValue written twice in a step", () => twice.invoke(2));

    const doubled = new Pregel({
      nodes: { one: Channel.subscribeTo("input").pipe(Channel.writeTo(["output", "output"])) },
      channels: { input: new LastValue<number>(), output: new LastValue<number>() },
      inputChannels: "input",
      outputChannels: "output",
    });
    await rec.value("one task writing a LastValue twice", () => doubled.invoke(2));

    const { RunnableEach } = await import("@langchain/core/runnables");
    const each = new Pregel({
      nodes: {
        one: Channel.subscribeTo("input").pipe(new RunnableEach({ bound: Channel.writeTo(["inbox"]) as never })),
        two: Channel.subscribeTo("inbox").pipe((xs: number[]) => xs.reduce((a, b) => a + b, 0)).pipe(Channel.writeTo(["output"])),
      },
      channels: { input: new LastValue<number[]>(), inbox: new Topic<number>(), output: new LastValue<number>() },
      inputChannels: "input",
      outputChannels: "output",
    });
    await rec.value("RunnableEach writing a Topic once per item", () => each.invoke([1, 2, 3]));

    const stale = new Pregel({
      nodes: {
        one: Channel.subscribeTo("input").pipe(addOne).pipe(Channel.writeTo(["inbox", "between"])),
        two: Channel.subscribeTo("between").pipe(addOne).pipe(Channel.writeTo(["later"])),
        three: Channel.subscribeTo(["later"]).join(["inbox"]).pipe(Channel.writeTo(["output"])),
      },
      channels: { input: new LastValue<number>(), inbox: new Topic<number>(), between: new LastValue<number>(), later: new LastValue<number>(), output: new LastValue<unknown>() },
      inputChannels: "input",
      outputChannels: ["output", "inbox"],
    });
    await rec.value("a Topic read two steps after its write is empty", () => stale.invoke(1));

    const paused = new Pregel({
      nodes: {
        one: Channel.subscribeTo("input").pipe(addOne).pipe(Channel.writeTo(["inbox"])),
        two: Channel.subscribeTo("inbox").pipe(addOne).pipe(Channel.writeTo(["output"])),
      },
      channels: { inbox: new LastValue<number>(), output: new LastValue<number>(), input: new LastValue<number>() },
      inputChannels: "input",
      outputChannels: "output",
      checkpointer: new side.lg.MemorySaver(),
      interruptAfter: ["one"],
    });
    const t1 = { configurable: { thread_id: "1" } };
    await rec.value("interruptAfter: stops after one", () => paused.invoke(2, t1));
    await rec.value("interruptAfter: resumed", () => paused.invoke(null, t1));
    await rec.value("interruptAfter: new input stops again", () => paused.invoke(20, t1));
    await rec.value("interruptAfter: state at the stop", async () => {
      const snapshot = await paused.getState(t1);
      return { values: snapshot.values, next: snapshot.next };
    });
    await rec.value("updateState as one, then resume", async () => {
      await paused.updateState(t1, 25, "one");
      return paused.invoke(null, t1);
    });
    await rec.value("nothing left after the resume", async () => (await paused.getState(t1)).next);
    // The input is applied in the run's input checkpoint (no __start__ task), which names the nodes it triggers.
    const history: Array<{ config: object; metadata?: { source?: string; step?: number }; next: string[]; values: unknown; tasks: Array<{ name: string; result?: unknown }> }> = [];
    await rec.value("history: sources, steps, next, values, task results", async () => {
      for await (const snapshot of paused.getStateHistory(t1)) history.push(snapshot as never);
      return history.map((h) => ({ source: h.metadata?.source, step: h.metadata?.step, next: h.next, values: h.values, tasks: h.tasks.map((t) => [t.name, t.result]) }));
    });
    await rec.stream("replayed from an input checkpoint: runs one, stops after it", async () => {
      const input = history.find((h) => h.metadata?.source === "input")!;
      return paused.stream(null, { ...input.config, streamMode: "updates" } as never);
    });

    const silent = new Pregel({
      nodes: {
        one: Channel.subscribeTo("input").pipe(addOne).pipe(Channel.writeTo(["between"])),
        two: Channel.subscribeTo("between").pipe(addOne),
      },
      channels: { input: new LastValue<number>(), between: new LastValue<number>(), output: new LastValue<number>() },
      inputChannels: "input",
      outputChannels: "output",
    });
    await rec.value("no write to the output channel", () => silent.invoke(2));

    let failures = 0;
    const flaky = new Pregel({
      nodes: {
        one: Channel.subscribeTo("input")
          .pipe(addOne)
          .pipe((x: number) => {
            if (failures++ < 2) throw new Error(`attempt ${failures} failed`);
            return x;
          })
          .pipe(Channel.writeTo(["output"])),
      },
      channels: { input: new LastValue<number>(), output: new LastValue<number>() },
      inputChannels: "input",
      outputChannels: "output",
      retryPolicy: { maxAttempts: 3, initialInterval: 1, jitter: false, logWarning: false },
    });
    await rec.value("retryPolicy: retried until it succeeds", async () => [await flaky.invoke(2), failures]);
    failures = -10;
    await rec.value("retryPolicy: fails after maxAttempts", () => flaky.invoke(2));
  },
};
