// What a node finds in its config, and graphs called from inside a node (not added as nodes).
import type { LangGraphRunnableConfig } from "@langchain/langgraph";
import type { DifferentialCase } from "../differentialCase";

export const nodeConfig: DifferentialCase = {
  name: "node config and graphs called inside nodes",
  async run({ lg }, rec) {
    const State = lg.Annotation.Root({ topic: lg.Annotation<string>(), seen: lg.Annotation<string>() });

    // configurable values (and the thread) reach every node.
    const reader = new lg.StateGraph(State)
      .addNode("read", (_s, config: LangGraphRunnableConfig) => ({
        seen: `user=${String(config.configurable?.user_id)} thread=${String(config.configurable?.thread_id)}`,
      }))
      .addEdge(lg.START, "read")
      .compile();
    await rec.stream("configurable reaches the node", () =>
      reader.stream({ topic: "x" }, { configurable: { user_id: "u-42" }, streamMode: "updates" }),
    );
    await rec.value("configurable with a thread_id and no checkpointer", () =>
      reader.invoke({ topic: "x" }, { configurable: { user_id: "u-7", thread_id: "t" } }),
    );

    // A compiled graph with its own state, invoked from a node with the node's config.
    const InnerState = lg.Annotation.Root({ text: lg.Annotation<string>() });
    const inner = new lg.StateGraph(InnerState)
      .addNode("shout", (s, config: LangGraphRunnableConfig) => {
        config.writer?.({ inner: s.text });
        return { text: s.text.toUpperCase() };
      })
      .addNode("exclaim", (s) => ({ text: `${s.text}!` }))
      .addEdge(lg.START, "shout")
      .addEdge("shout", "exclaim")
      .compile();
    const outer = new lg.StateGraph(State)
      .addNode("call_inner", async (s, config: LangGraphRunnableConfig) => {
        const out = await inner.invoke({ text: s.topic }, config);
        return { seen: out.text };
      })
      .addEdge(lg.START, "call_inner")
      .compile();
    const input = { topic: "owls" };
    await rec.stream("inner graph, updates, subgraphs", () => outer.stream(input, { streamMode: "updates", subgraphs: true }));
    await rec.stream("inner graph, updates", () => outer.stream(input, { streamMode: "updates" }));
    await rec.stream("inner graph, custom", () => outer.stream(input, { streamMode: "custom" }));
    await rec.stream("inner graph, values+custom, subgraphs", () =>
      outer.stream(input, { streamMode: ["values", "custom"], subgraphs: true }),
    );

    // Thrown values that are not Errors.
    const throwsString = new lg.StateGraph(State)
      .addNode("bad", (): { seen: string } => {
        throw "plain string"; // eslint-disable-line no-throw-literal
      })
      .addEdge(lg.START, "bad")
      .compile();
    await rec.stream("a node throws a string, debug", () => throwsString.stream(input, { streamMode: "debug" }), undefined, {
      // LangGraph.js 1.7.3 fails in its own code on a thrown non-object ("Cannot create property
      // 'pregelTaskId' on string …") and reports that TypeError instead. Rill reports the value as the
      // task's error and then throws the original value, as it does for any error a node throws.
      reason: "LangGraph.js replaces a thrown string with its own TypeError",
      rillExpectation(langgraph) {
        if (langgraph.kind !== "stream" || langgraph.error?.constructor !== "TypeError") {
          throw new Error(`LangGraph.js no longer fails on a thrown string: ${JSON.stringify(langgraph)}`);
        }
        const [task, result] = langgraph.chunks as [unknown, { payload: Record<string, unknown> }];
        return {
          kind: "stream",
          chunks: [task, { ...result, payload: { ...result.payload, error: { message: "plain string", name: "Error" } } }],
          error: { constructor: "string", name: "", message: "plain string" },
        };
      },
    });

    // A method passed unbound (`new Node("1").call`): LangGraph.js calls node functions with a `this` whose
    // `name` is the node's name, so such code works there.
    const Named = lg.Annotation.Root({ value: lg.Annotation<string[]>({ reducer: (a, b) => a.concat(b), default: () => [] }) });
    class Node {
      constructor(readonly name: string) {}
      call() {
        return { value: [this.name] };
      }
    }
    const unbound = new lg.StateGraph(Named).addNode("first", new Node("ignored").call).addEdge(lg.START, "first").compile();
    await rec.value("a node's this names the node", () => unbound.invoke({ value: [] }));
  },
};
