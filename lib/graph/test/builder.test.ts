// The builder: node forms, edges, validation errors (LangGraph.js's messages) and getGraph().
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Annotation, END, Graph, START, StateGraph, UnreachableNodeError, drawMermaid } from "../index";

const State = Annotation.Root({ topic: Annotation<string>(), joke: Annotation<string>() });

describe("StateGraph builder", () => {
  it("names a node after its function, as the seed's add_node(refine_topic)", async () => {
    function refine_topic(state: typeof State.State) {
      return { topic: state.topic + " and cats" };
    }
    function generate_joke(state: typeof State.State) {
      return { joke: `This is a joke about ${state.topic}` };
    }
    const graph = new StateGraph(State).addNode(refine_topic).addNode(generate_joke).addEdge(START, "refine_topic").addEdge("refine_topic", "generate_joke").compile();
    const updates: unknown[] = [];
    for await (const c of await graph.stream({ topic: "ice cream" })) updates.push(c);
    assert.deepEqual(updates, [{ refine_topic: { topic: "ice cream and cats" } }, { generate_joke: { joke: "This is a joke about ice cream and cats" } }]);
  });

  it("adds nodes from a record or a list, and chains a sequence", async () => {
    const graph = new StateGraph(State)
      .addNode({ first: (s: typeof State.State) => ({ topic: `${s.topic}1` }) })
      .addSequence([
        ["second", (s) => ({ topic: `${s.topic}2` })],
        ["third", (s) => ({ joke: `${s.topic}3` })],
      ])
      .addEdge(START, "first")
      .addEdge("first", "second")
      .compile();
    assert.deepEqual(await graph.invoke({ topic: "t" }), { topic: "t12", joke: "t123" });
  });

  it("rejects duplicate, reserved and anonymous node names with LangGraph.js's messages", () => {
    const g = new StateGraph(State).addNode("a", () => ({}));
    assert.throws(() => g.addNode("a", () => ({})), /^Error: Node `a` already present\.$/);
    assert.throws(() => g.addNode("a|b", () => ({})), /"\|" is a reserved character/);
    assert.throws(() => g.addNode("x:y", () => ({})), /":" is a reserved character/);
    assert.throws(() => g.addNode(END as never, () => ({})), /Node `__end__` is reserved/);
    assert.throws(() => g.addNode((() => () => ({}))()), /needs a named function/);
    assert.throws(() => g.addSequence([["a", () => ({})]]), /Node names must be unique: node with the name "a" already exists/);
  });

  it("validates edges at compile time", () => {
    assert.throws(() => new StateGraph(State).addNode("a", () => ({})).compile(), (e: Error) => e instanceof UnreachableNodeError && e.message.startsWith("Node `a` is not reachable."));
    assert.throws(
      () => new StateGraph(State).addNode("a", () => ({})).addEdge(START, "a").addEdge("a", "nope" as never).compile(),
      /Found edge ending at unknown node `nope`/,
    );
    assert.throws(() => new StateGraph(State).addNode("a", () => ({})).addEdge("zzz" as never, "a").compile(), /Found edge starting at unknown node `zzz`/);
    assert.throws(() => new StateGraph(State).addEdge(END as never, "a" as never), /END cannot be a start node/);
    assert.throws(() => new StateGraph(State).addNode("a", () => ({})).addEdge(START, "a").compile({ interruptBefore: ["b"] }), /Interrupt node `b` is not present/);
    assert.throws(() => new StateGraph(State).addNode("a", () => ({})).addEdge(["a", "b"] as never, "a"), /Need to add a node named "b" first/);
  });

  it("counts Command destinations declared with ends as reachable", () => {
    assert.doesNotThrow(() =>
      new StateGraph(State)
        .addNode("a", () => ({}), { ends: ["b"] })
        .addNode("b", () => ({}))
        .addEdge(START, "a")
        .compile(),
    );
  });
});

describe("getGraph()", () => {
  it("draws nodes with __start__/__end__ and plain, waiting and conditional edges", () => {
    const graph = new StateGraph(State)
      .addNode("a", () => ({}))
      .addNode("b", () => ({}))
      .addNode("c", () => ({}), { ends: ["a"] })
      .addNode("d", () => ({}))
      .addEdge(START, "a")
      .addConditionalEdges("a", () => "b", { yes: "b", no: END })
      .addConditionalEdges("b", () => "c")
      .addEdge(["a", "c"], "d")
      .compile();
    const drawn = graph.getGraph();
    assert.deepEqual(drawn.nodes, [{ id: "__start__" }, { id: "a" }, { id: "b" }, { id: "c" }, { id: "d" }, { id: "__end__" }]);
    const edges = drawn.edges.map((e) => `${e.source}${e.conditional ? "~>" : "->"}${e.target}`);
    assert.deepEqual(edges, ["__start__->a", "a->d", "c->d", "a~>b", "a~>__end__", "b~>a", "b~>c", "b~>d", "b~>__end__", "c~>a", "d->__end__"]);
  });

  it("ends the seed's graph (no edge to END) at __end__", () => {
    const graph = new StateGraph(State)
      .addNode("refine_topic", () => ({}))
      .addNode("generate_joke", () => ({}))
      .addEdge(START, "refine_topic")
      .addEdge("refine_topic", "generate_joke")
      .compile();
    assert.deepEqual(graph.getGraph().edges, [
      { source: "__start__", target: "refine_topic", conditional: false },
      { source: "refine_topic", target: "generate_joke", conditional: false },
      { source: "generate_joke", target: "__end__", conditional: false },
    ]);
  });

  it("renders as Mermaid", () => {
    const graph = new StateGraph(State).addNode("a", () => ({})).addEdge(START, "a").addConditionalEdges("a", () => END, [END]).compile();
    const text = drawMermaid(graph.getGraph());
    assert.match(text, /graph TD;/);
    assert.match(text, /__start__ --> a;/);
    assert.match(text, /a -.-> __end__;/);
  });
});

describe("plain Graph", () => {
  it("passes the value along conditional edges and streams the value after each step in 'values'", async () => {
    const graph = new Graph()
      .addNode("inc", (x: number) => x + 1)
      .addNode("done", (x: number) => `done at ${x}`)
      .addConditionalEdges("inc", (x: number) => (x < 3 ? "inc" : "done"))
      .addEdge(START, "inc")
      .addEdge("done", END)
      .compile();
    assert.equal(await graph.invoke(0), "done at 3");
    const values: unknown[] = [];
    for await (const chunk of await graph.stream(0, { streamMode: "values" })) values.push(chunk);
    assert.deepEqual(values, [0, 1, 2, 3, "done at 3"]);
  });
});

describe("getGraph().drawMermaid()", () => {
  it("draws LangGraph.js's mermaid; only plain-edge targets without exits get an edge to __end__", () => {
    const graph = new StateGraph(Annotation.Root({}))
      .addNode("a", () => ({}))
      .addNode("b", () => ({}))
      .addNode("c", () => ({}))
      .addNode("d", () => ({}))
      .addEdge("__start__", "a")
      .addConditionalEdges("a", () => "b", ["b", "c"])
      .addEdge("b", "d")
      .compile();
    const drawing = graph.getGraph();
    assert.equal(
      drawing.drawMermaid({ withStyles: false }),
      "graph TD;\n\t__start__ --> a;\n\tb --> d;\n\ta -.-> b;\n\ta -.-> c;\n\td --> __end__;\n",
    );
    assert.ok(drawing.drawMermaid().startsWith("%%{init: {'flowchart': {'curve': 'linear'}}}%%\ngraph TD;\n\t__start__([<p>__start__</p>]):::first\n"));
    assert.deepEqual(Object.keys(drawing), ["nodes", "edges"], "drawMermaid is not an enumerable field");
  });
});
