// Subgraphs with custom data and chat-model tokens, streamed with and without `subgraphs: true`,
// two levels deep, and a subgraph that throws.
import type { StreamMode } from "@langchain/langgraph";
import type { DifferentialCase } from "../differentialCase";
import { messageProjection } from "../messageProjection";

export const subgraphStreams: DifferentialCase = {
  name: "subgraphs with custom and messages",
  async run(side, rec) {
    const { lg } = side;
    const model = side.chatModel(["hey"]);
    const State = lg.Annotation.Root({
      topic: lg.Annotation<string>(),
      notes: lg.Annotation<string[]>({ reducer: (a, b) => a.concat(b), default: () => [] }),
    });
    const grandchild = new lg.StateGraph(State)
      .addNode("deep", (s, config) => {
        config.writer?.({ from: "deep", topic: s.topic });
        return { notes: ["deep"] };
      })
      .addEdge(lg.START, "deep")
      .compile();
    const child = new lg.StateGraph(State)
      .addNode("talk", async (s, config) => {
        config.writer?.({ from: "talk" });
        const reply = await model.invoke([{ role: "user", content: s.topic }], config);
        return { notes: [`talk: ${String(reply.content)}`] };
      })
      .addNode("nested", grandchild)
      .addEdge(lg.START, "talk")
      .addEdge("talk", "nested")
      .compile();
    const graph = new lg.StateGraph(State)
      .addNode("before", () => ({ notes: ["before"] }))
      .addNode("child", child)
      .addNode("after", (s) => ({ topic: `${s.topic} (${s.notes.length} notes)` }))
      .addEdge(lg.START, "before")
      .addEdge("before", "child")
      .addEdge("child", "after")
      .compile();

    const input = { topic: "owls" };
    await rec.stream("custom, subgraphs", () => graph.stream(input, { streamMode: "custom", subgraphs: true }));
    await rec.stream("custom, no subgraphs", () => graph.stream(input, { streamMode: "custom" }));
    await rec.stream(
      "messages, subgraphs",
      () => graph.stream(input, { streamMode: "messages", subgraphs: true }),
      messageProjection("subgraphs"),
    );
    await rec.stream("messages, no subgraphs", () => graph.stream(input, { streamMode: "messages" }), messageProjection("single"));
    const modes: StreamMode[] = ["updates", "custom", "messages", "values"];
    await rec.stream(
      "updates+custom+messages+values, subgraphs",
      () => graph.stream(input, { streamMode: modes, subgraphs: true }),
      messageProjection("subgraphs-modes"),
    );
    await rec.stream("updates, no subgraphs", () => graph.stream(input, { streamMode: "updates" }));
    await rec.stream("debug, subgraphs", () => graph.stream(input, { streamMode: "debug", subgraphs: true }));

    // An error inside a subgraph: the parent's stream shows the child's progress, then throws the original error.
    const failingChild = new lg.StateGraph(State)
      .addNode("ok", () => ({ notes: ["ok"] }))
      .addNode("fails", (): { notes: string[] } => {
        throw new Error("child broke");
      })
      .addEdge(lg.START, "ok")
      .addEdge("ok", "fails")
      .compile();
    const parent = new lg.StateGraph(State)
      .addNode("child", failingChild)
      .addEdge(lg.START, "child")
      .compile();
    await rec.stream("child throws, updates, subgraphs", () =>
      parent.stream(input, { streamMode: "updates", subgraphs: true }),
    );
    await rec.stream("child throws, debug", () => parent.stream(input, { streamMode: "debug" }));

    // A graph streamed inside a node without a thread of its own runs in the caller's thread (under the
    // calling task's namespace): its checkpointer needs no thread_id, and the caller's history is its own.
    const saver = new lg.MemorySaver();
    const inner = new lg.StateGraph(State).addNode("one", () => ({ notes: ["one"] })).addEdge(lg.START, "one").compile({ checkpointer: saver });
    const Outer = lg.Annotation.Root({ topic: lg.Annotation<string>(), updates: lg.Annotation<unknown[]>() });
    const outer = new lg.StateGraph(Outer)
      .addNode("caller", async (s) => {
        const updates: unknown[] = [];
        for await (const chunk of await inner.stream({ topic: s.topic }, { streamMode: "updates" })) updates.push(chunk);
        return { updates };
      })
      .addEdge(lg.START, "caller")
      .compile({ checkpointer: saver });
    const thread = { configurable: { thread_id: "inherited-1" } };
    await rec.value("stream inside a node inherits the caller's thread", () => outer.invoke({ topic: "t" }, thread));
    // Without a streamMode it streams "values", and its chunks also reach the caller's stream under the
    // calling task's namespace (custom always; every mode with subgraphs: true).
    const chatty = new lg.StateGraph(State)
      .addNode("say", (s, config) => {
        config.writer?.({ said: s.topic });
        return { notes: ["said"] };
      })
      .addEdge(lg.START, "say")
      .compile();
    const relay = new lg.StateGraph(Outer)
      .addNode("relay", async (s) => {
        const updates: unknown[] = [];
        for await (const chunk of await chatty.stream({ topic: s.topic })) updates.push(chunk);
        return { updates };
      })
      .addEdge(lg.START, "relay")
      .compile({ checkpointer: new lg.MemorySaver() });
    await rec.stream("a node's own stream of a graph, seen by the caller (custom, updates, subgraphs)", () =>
      relay.stream({ topic: "t" }, { streamMode: ["custom", "updates"], subgraphs: true, configurable: { thread_id: "relay-1" } }),
    );
    await rec.stream("and without subgraphs (custom only)", () => relay.stream({ topic: "t" }, { streamMode: ["custom", "updates"], configurable: { thread_id: "relay-2" } }));
    await rec.value("the caller's history stays its own", async () => {
      const nexts: unknown[] = [];
      for await (const snapshot of outer.getStateHistory(thread)) nexts.push([snapshot.metadata?.source, snapshot.next]);
      return nexts;
    });
  },
};
