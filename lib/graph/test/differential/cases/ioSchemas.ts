// Input, output and private state: `new StateGraph({ stateSchema, input, output })`, `{ input, output }`,
// and `addNode(name, fn, { input })` with keys the state lacks (private channels between nodes).
import type { DifferentialCase } from "../differentialCase";

export const ioSchemas: DifferentialCase = {
  name: "input, output and private state",
  async run({ lg }, rec) {
    const State = lg.Annotation.Root({
      hello: lg.Annotation<string>(),
      bye: lg.Annotation<string>(),
      messages: lg.Annotation<string[]>({ reducer: (a, b) => [...a, ...b], default: () => [] }),
    });
    const Output = lg.Annotation.Root({ messages: lg.Annotation<string[]>(), extraOutput: lg.Annotation<string>() });
    const Input = lg.Annotation.Root({ hello: lg.Annotation<string>() });
    const seen: unknown[] = [];
    const build = (graph: InstanceType<typeof lg.StateGraph<any>>) =>
      graph
        .addNode("a", (s: unknown) => {
          seen.push(["a", s]);
          return { messages: ["from a"] };
        })
        .addNode("b", (s: unknown) => {
          seen.push(["b", s]);
          return { hello: "again", extraOutput: "extra", now: 123 };
        })
        .addEdge(lg.START, "a")
        .addEdge("a", "b")
        .compile();

    const withOutput = build(new lg.StateGraph({ stateSchema: State, output: Output }));
    await rec.value("output schema filters the result", () => withOutput.invoke({ hello: "there", bye: "world", messages: ["hi"] } as never));
    await rec.value("an output-only key in the input is not read", () => withOutput.invoke({ hello: "there", bye: "world", extraOutput: "in" } as never));
    await rec.stream("output schema filters values", () => withOutput.stream({ hello: "there", bye: "world" } as never, { streamMode: ["values", "updates"] }));
    await rec.value("what nodes saw", () => seen.splice(0));

    const withInput = build(new lg.StateGraph({ stateSchema: State, input: Input, output: Output }));
    await rec.value("input schema: only its keys are read", () => withInput.invoke({ hello: "there", bye: "ignored" } as never));
    await rec.value("what nodes saw with an input schema", () => seen.splice(0));

    const Private = lg.Annotation.Root({ ...State.spec, secret: lg.Annotation<string>() });
    const privateGraph = new lg.StateGraph(State)
      .addNode("writer", () => ({ secret: "s3cret" }) as never)
      .addNode("reader", (s: typeof Private.State) => {
        seen.push(["reader", s]);
        return { hello: `read ${s.secret}` };
      }, { input: Private })
      .addEdge(lg.START, "writer")
      .addEdge("writer", "reader")
      .compile();
    await rec.value("private channel between nodes", () => privateGraph.invoke({ hello: "there" }));
    await rec.stream("private channel, values", () => privateGraph.stream({ hello: "there" }, { streamMode: "values" }));
    await rec.value("what the reader saw", () => seen.splice(0));
  },
};
