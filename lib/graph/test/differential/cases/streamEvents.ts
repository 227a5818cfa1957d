// streamEvents v2: the LangChain events of a run (graph and task chain runs, conditional edges as
// RunnableLambda runs, a LangChain chat model a node calls without passing its config, withConfig's runName,
// tags and metadata, streamOptions filters). Compared: event order, names, tags, the engine's metadata,
// parent_ids when present (LangChain 1.4 leaves them out), and the data (messages as type and content). Run ids are not.
import type { DifferentialCase } from "../differentialCase";
import type { Projection } from "../record";

type Event = { event: string; name: string; tags: string[]; metadata: Record<string, unknown>; parent_ids?: string[]; data: Record<string, unknown> };

const ENGINE_METADATA = ["ls_integration", "langgraph_step", "langgraph_node", "langgraph_triggers", "langgraph_path", "user"];

function plain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === "object") {
    const message = value as { _getType?: () => string; content?: unknown };
    if (typeof message._getType === "function") return { type: message._getType(), content: message.content };
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  }
  return value;
}

const projectEvents: Projection = (chunks) =>
  (chunks as Event[]).map((e) => ({
    event: e.event,
    name: e.name,
    tags: e.tags,
    metadata: Object.fromEntries(ENGINE_METADATA.filter((k) => k in e.metadata).map((k) => [k, e.metadata[k]])),
    depth: e.parent_ids?.length,
    data: plain(e.data),
  }));

export const streamEvents: DifferentialCase = {
  name: "streamEvents v2",
  async run({ lg }, rec) {
    const { FakeListChatModel } = await import("@langchain/core/utils/testing");
    const State = lg.Annotation.Root({
      text: lg.Annotation<string>(),
      log: lg.Annotation<string[]>({ reducer: (a, b) => a.concat(b), default: () => [] }),
    });
    const sequence = new lg.StateGraph(State)
      .addNode("first", (s) => ({ text: s.text + "1", log: ["first"] }))
      .addNode("second", async (s) => ({ text: s.text + "2", log: ["second"] }))
      .addEdge(lg.START, "first")
      .addEdge("first", "second")
      .addEdge("second", lg.END)
      .compile();
    await rec.stream("sequence", () => sequence.streamEvents({ text: "a" }, { version: "v2" }), projectEvents);
    await rec.stream(
      "sequence with withConfig runName, tags and metadata",
      () => sequence.withConfig({ runName: "Renamed", tags: ["mine"] }).streamEvents({ text: "a" }, { version: "v2", metadata: { user: "u1" } }),
      projectEvents,
    );
    await rec.stream("sequence, includeNames", () => sequence.streamEvents({ text: "a" }, { version: "v2" }, { includeNames: ["second"] }), projectEvents);

    // The plain Graph: its nodes' runs show the bare values (LangGraph.js adds a RunnableLambda run inside each).
    const plainGraph = new lg.Graph()
      .addNode("add_one", (x: number) => x + 1)
      .addNode("double", async (x: number) => x * 2)
      .addEdge(lg.START, "add_one")
      .addEdge("add_one", "double")
      .addEdge("double", lg.END)
      .compile();
    await rec.stream("plain Graph, its nodes", () => plainGraph.streamEvents(2, { version: "v2" }, { includeNames: ["add_one", "double"] }), projectEvents);

    const routed = new lg.StateGraph(State)
      .addNode("classify", (s) => ({ log: [s.text] }))
      .addNode("happy", () => ({ log: ["happy"] }))
      .addEdge(lg.START, "classify")
      .addConditionalEdges("classify", (s) => (s.text.endsWith("!") ? "happy" : lg.END))
      .addEdge("happy", lg.END)
      .compile();
    await rec.stream("conditional edge to a node", () => routed.streamEvents({ text: "yes!" }, { version: "v2" }), projectEvents);
    await rec.stream("conditional edge to END", () => routed.streamEvents({ text: "no" }, { version: "v2" }), projectEvents);

    const withModel = new lg.StateGraph(State)
      .addNode("ask", async (s) => {
        const model = new FakeListChatModel({ responses: ["hi there"] }).withConfig({ runName: "model" });
        const answer = await model.invoke(s.text);
        return { text: String(answer.content) };
      })
      .addEdge(lg.START, "ask")
      .addEdge("ask", lg.END)
      .compile();
    await rec.stream("a node calling a chat model (without its config)", () => withModel.streamEvents({ text: "hello" }, { version: "v2" }), projectEvents);

    const child = new lg.StateGraph(State)
      .addNode("inner", (s) => ({ log: ["inner:" + s.text] }))
      .addEdge(lg.START, "inner")
      .compile();
    const parent = new lg.StateGraph(State)
      .addNode("child", child)
      .addNode("after", () => ({ log: ["after"] }))
      .addEdge(lg.START, "child")
      .addEdge("child", "after")
      .compile();
    await rec.stream("a subgraph node", () => parent.streamEvents({ text: "s" }, { version: "v2" }), projectEvents);

    const callsChild = new lg.StateGraph(State)
      .addNode("caller", async (s) => {
        const out = await child.invoke({ text: s.text });
        return { log: ["caller got " + out.log.join(",")] };
      })
      .addEdge(lg.START, "caller")
      .compile();
    await rec.stream("a node invoking a compiled graph in its code", () => callsChild.streamEvents({ text: "c" }, { version: "v2" }), projectEvents);

    const failing = new lg.StateGraph(State)
      .addNode("boom", () => {
        throw new Error("boom failed");
      })
      .addEdge(lg.START, "boom")
      .compile();
    await rec.stream("a failing node", () => failing.streamEvents({ text: "a" }, { version: "v2" }), projectEvents);
  },
};
