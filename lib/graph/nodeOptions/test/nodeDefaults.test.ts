// StateGraph.setNodeDefaults and the options compiled nodes show.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Annotation, START, StateGraph, InMemoryCache } from "../../index";

const State = Annotation.Root({ foo: Annotation<string>() });
const fast = { maxAttempts: 3, initialInterval: 1, jitter: false, logWarning: false };

describe("setNodeDefaults", () => {
  it("gives nodes without their own the default retry policy, before or after addNode", async () => {
    let attempts = 0;
    const graph = new StateGraph(State)
      .addNode("flaky", () => {
        attempts++;
        if (attempts < 3) throw new Error("not yet");
        return { foo: "ok" };
      })
      .addEdge(START, "flaky")
      .setNodeDefaults({ retryPolicy: fast })
      .compile();
    assert.equal((await graph.invoke({ foo: "" })).foo, "ok");
    assert.equal(attempts, 3);
    assert.deepEqual(graph.nodes.flaky.retryPolicy, fast);
  });

  it("per-node options win; cachePolicy false opts out; later calls override per field", () => {
    const own = { maxAttempts: 7, logWarning: false };
    const builder = new StateGraph(State)
      .setNodeDefaults({ retryPolicy: { maxAttempts: 2 }, cachePolicy: true })
      .setNodeDefaults({ retryPolicy: fast, timeout: 1000 })
      .addNode("a", () => ({}))
      .addNode("b", () => ({}), { retryPolicy: own, cachePolicy: { ttl: 5 } })
      .addNode("c", () => ({}), { cachePolicy: false })
      .addEdge(START, "a")
      .addEdge("a", "b")
      .addEdge("b", "c");
    assert.equal(builder.nodes.c.cachePolicy, false);
    const graph = builder.compile({ cache: new InMemoryCache() });
    assert.deepEqual(graph.nodes.a.retryPolicy, fast);
    assert.deepEqual(graph.nodes.a.cachePolicy, {});
    assert.deepEqual(graph.nodes.a.timeout, { runTimeout: 1000, idleTimeout: undefined, refreshOn: "auto" });
    assert.deepEqual(graph.nodes.b.retryPolicy, own);
    assert.deepEqual(graph.nodes.b.cachePolicy, { ttl: 5 });
    assert.equal(graph.nodes.c.cachePolicy, undefined);
    // The builder keeps each node's own options.
    assert.equal(builder.nodes.a.retryPolicy, undefined);
  });

  it("the shared handler node gets retry and timeout defaults, never a cache policy; subgraphs keep their own", () => {
    const inner = new StateGraph(State).addNode("innerNode", () => ({})).addEdge(START, "innerNode").compile();
    const outer = new StateGraph(State)
      .setNodeDefaults({ retryPolicy: fast, cachePolicy: { ttl: 60 }, timeout: 1000, errorHandler: () => ({}) })
      .addNode("sub", inner)
      .addEdge(START, "sub")
      .compile();
    const handler = outer.nodes.__default_error_handler__;
    assert.ok(handler);
    assert.deepEqual(handler.retryPolicy, fast);
    assert.ok(handler.timeout);
    assert.equal(handler.cachePolicy, undefined);
    assert.equal(outer.nodes.sub.errorHandlerNode, "__default_error_handler__");
    assert.equal(inner.nodes.innerNode.retryPolicy, undefined);
    assert.equal(inner.nodes.__default_error_handler__, undefined);
  });

  it("rejects a bad cache policy, naming the node", () => {
    assert.throws(() => new StateGraph(State).addNode("a", () => ({}), { cachePolicy: { ttl: -1 } }), /Node "a": cachePolicy.ttl must be a positive number/);
    assert.throws(() => new StateGraph(State).addNode("a", () => ({})).addEdge(START, "a").compile({ cache: {} as never }), /cache must have get/);
  });
});
