// A compiled graph invoked by a node's code with a config of its own that names no thread (as LangChain's
// agents pass their default `configurable`): LangGraph.js runs it nested under the calling task (namespace
// `<node>:<task>|<child node>:<task>`, chunks streamed under the caller's namespace), the passed keys added.
import type { DifferentialCase } from "../differentialCase";

export const nestedInvoke: DifferentialCase = {
  name: "nested invoke with a configurable of its own",
  async run({ lg }, rec) {
    const State = lg.Annotation.Root({ value: lg.Annotation<string>({ reducer: (_a: string, b: string) => b, default: () => "" }) });
    const seen: string[] = [];
    const child = new lg.StateGraph(State)
      .addNode("child_node", (_state, config) => {
        const ns = String(config.configurable?.checkpoint_ns).replace(/:[0-9a-f-]{36}/g, ":<task>");
        seen.push(`ns=${ns} agent=${String(config.configurable?.ls_agent_type)} thread=${String(config.configurable?.thread_id)}`);
        return { value: "child-done" };
      })
      .addEdge(lg.START, "child_node")
      .compile({ name: "Child" });
    const build = (checkpointer?: InstanceType<typeof lg.MemorySaver>) =>
      new lg.StateGraph(State)
        .addNode("parent_node", async (state) => {
          const out = await child.invoke({ value: state.value }, { configurable: { ls_agent_type: "weather" } });
          return { value: `parent saw ${out.value}` };
        })
        .addEdge(lg.START, "parent_node")
        .compile({ name: "Parent", checkpointer });
    await rec.value("invoke result and what the child's node saw", async () => [await build().invoke({ value: "in" }), seen.splice(0)]);
    await rec.stream("child chunks nested under the caller", () => build().stream({ value: "in" }, { streamMode: ["updates", "values"], subgraphs: true }));
    await rec.value("with the parent's checkpointer and thread", async () => [
      await build(new lg.MemorySaver()).invoke({ value: "in" }, { configurable: { thread_id: "nested-1" } }),
      seen.splice(0),
    ]);
  },
};
