// getGraph({ xray }) draws subgraph nodes as their own nodes; drawMermaid shows node metadata and boxes subgraphs.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Annotation, END, START, StateGraph } from "../index";

const Empty = Annotation.Root({});

function innerGraph() {
  return new StateGraph(Empty)
    .addNode("inner1", () => ({}))
    .addNode("inner2", () => ({}))
    .addNode("inner3", () => ({}))
    .addEdge(START, "inner1")
    .addConditionalEdges("inner1", () => "inner2", ["inner2", "inner3"])
    .compile();
}

describe("getGraph({ xray })", () => {
  it("replaces a subgraph node by its nodes; edges into it reach its first node", () => {
    const graph = new StateGraph(Empty)
      .addNode("starter", () => ({}))
      .addNode("inner", innerGraph())
      .addNode("final", () => ({}))
      .addEdge(START, "starter")
      .addConditionalEdges("starter", () => "final", ["inner", "final"])
      .compile({ interruptBefore: ["starter"] });
    assert.deepEqual(graph.getGraph().nodes.map((n) => n.id), ["__start__", "starter", "inner", "final"]);
    const drawn = graph.getGraph({ xray: true });
    assert.deepEqual(drawn.nodes.map((n) => n.id), ["__start__", "starter", "inner:inner1", "inner:inner2", "inner:inner3", "final"]);
    assert.deepEqual(drawn.nodes[1].metadata, { __interrupt: "before" });
    assert.deepEqual(drawn.edges.map((e) => `${e.source}${e.conditional ? "~>" : "->"}${e.target}`), [
      "inner:inner1~>inner:inner2",
      "inner:inner1~>inner:inner3",
      "__start__->starter",
      "starter~>inner:inner1",
      "starter~>final",
    ]);
    assert.equal(
      drawn.drawMermaid(),
      [
        "%%{init: {'flowchart': {'curve': 'linear'}}}%%",
        "graph TD;",
        "\t__start__([<p>__start__</p>]):::first",
        "\tstarter(starter<hr/><small><em>__interrupt = before</em></small>)",
        "\tinner_inner1(inner1)",
        "\tinner_inner2(inner2)",
        "\tinner_inner3(inner3)",
        "\tfinal(final)",
        "\t__start__ --> starter;",
        "\tstarter -.-> inner_inner1;",
        "\tstarter -.-> final;",
        "\tsubgraph inner",
        "\tinner_inner1 -.-> inner_inner2;",
        "\tinner_inner1 -.-> inner_inner3;",
        "\tend",
        "\tclassDef default fill:#f2f0ff,line-height:1.2;",
        "\tclassDef first fill-opacity:0;",
        "\tclassDef last fill:#bfb6fc;",
        "",
      ].join("\n"),
    );
  });

  it("edges out of a subgraph leave from its last node; a number limits the depth", () => {
    const leaf = new StateGraph(Empty).addNode("x", () => ({})).addNode("y", () => ({})).addEdge(START, "x").addEdge("x", "y").compile();
    const middle = new StateGraph(Empty).addNode("leaf", leaf).addNode("z", () => ({})).addEdge(START, "leaf").addEdge("leaf", "z").compile();
    const graph = new StateGraph(Empty).addNode("mid", middle).addNode("after", () => ({})).addEdge(START, "mid").addEdge("mid", "after").addEdge("after", END).compile();
    const edges = (xray: boolean | number) => graph.getGraph({ xray }).edges.map((e) => `${e.source}->${e.target}`);
    assert.deepEqual(edges(1), ["mid:leaf->mid:z", "__start__->mid:leaf", "after->__end__", "mid:z->after"]);
    assert.deepEqual(edges(true), ["mid:leaf:x->mid:leaf:y", "mid:leaf:y->mid:z", "__start__->mid:leaf:x", "after->__end__", "mid:z->after"]);
    const mermaid = graph.getGraph({ xray: true }).drawMermaid({ withStyles: false });
    assert.equal(mermaid, "graph TD;\n\t__start__ --> mid_leaf_x;\n\tafter --> __end__;\n\tmid_z --> after;\n\tsubgraph mid\n\tsubgraph leaf\n\tmid_leaf_x --> mid_leaf_y;\n\tend\n\tmid_leaf_y --> mid_z;\n\tend\n");
  });

  it("shows a node's metadata in its box, escaped for Mermaid", () => {
    const graph = new StateGraph(Empty).addNode("a", () => ({}), { metadata: { kind: "llm <fast>", tags: ["x", "y"], nested: { no: 1 } } }).addEdge(START, "a").addEdge("a", END).compile({ interruptAfter: ["a"] });
    assert.match(graph.getGraph().drawMermaid(), /\ta\(a<hr\/><small><em>kind = llm #60;fast#62;\ntags = x,y\n__interrupt = after<\/em><\/small>\)\n/);
  });
});
