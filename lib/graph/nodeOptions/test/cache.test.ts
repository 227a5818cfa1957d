// Node caching: cachePolicy + compile({ cache }).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { InMemoryCache as LangGraphInMemoryCache } from "@langchain/langgraph-checkpoint";
import { Annotation, Command, END, InMemoryCache, START, StateGraph } from "../../index";

const State = Annotation.Root({ query: Annotation<string>(), answer: Annotation<string>() });

function build(cache: unknown, calls: { n: number }, cachePolicy: object | boolean = true) {
  return new StateGraph(State)
    .addNode("rewrite", (state) => {
      calls.n++;
      return new Command({ update: { query: `q: ${state.query}` }, goto: "respond" });
    }, { cachePolicy, ends: ["respond"] })
    .addNode("respond", (state) => ({ answer: `a(${state.query})` }))
    .addEdge(START, "rewrite")
    .addEdge("respond", END)
    .compile({ cache: cache as InMemoryCache });
}

describe("node cache", () => {
  for (const [name, make] of [["Rill's InMemoryCache", () => new InMemoryCache()], ["LangGraph's InMemoryCache", () => new LangGraphInMemoryCache()]] as const) {
    it(`reuses a node's writes and routes for an input seen before (${name}), streamed as cached`, async () => {
      const calls = { n: 0 };
      const graph = build(make(), calls);
      assert.deepEqual(await graph.invoke({ query: "x" }), { query: "q: x", answer: "a(q: x)" });
      const chunks: unknown[] = [];
      for await (const chunk of await graph.stream({ query: "x" })) chunks.push(chunk);
      assert.equal(calls.n, 1);
      assert.deepEqual(chunks, [{ rewrite: { query: "q: x" }, __metadata__: { cached: true } }, { respond: { answer: "a(q: x)" } }]);
      await graph.invoke({ query: "other" });
      assert.equal(calls.n, 2);
      await graph.clearCache();
      await graph.invoke({ query: "x" });
      assert.equal(calls.n, 3);
    });
  }

  it("keyFunc chooses what counts as the same input; nothing is cached without a cache", async () => {
    const calls = { n: 0 };
    const graph = build(new InMemoryCache(), calls, { keyFunc: () => "one key" });
    await graph.invoke({ query: "x" });
    assert.equal((await graph.invoke({ query: "y" })).query, "q: x");
    assert.equal(calls.n, 1);
    const uncached = build(undefined, calls);
    await uncached.invoke({ query: "x" });
    await uncached.invoke({ query: "x" });
    assert.equal(calls.n, 3);
  });

  it("streamSync refuses a cached node with a clear error", () => {
    const graph = build(new InMemoryCache(), { n: 0 });
    assert.throws(() => [...graph.streamSync({ query: "x" })], /Node "rewrite" has a cachePolicy .* streamSync cannot use it/);
  });

  it("expires entries after ttl seconds", async () => {
    const cache = new InMemoryCache();
    await cache.set([{ key: [["ns"], "k"], value: 1, ttl: 0.001 }, { key: [["ns"], "forever"], value: 2 }]);
    const later = Date.now() + 5;
    while (Date.now() < later) {
      // let 1 ms pass
    }
    assert.deepEqual(await cache.get([[["ns"], "k"], [["ns"], "forever"]]), [{ key: [["ns"], "forever"], value: 2 }]);
    await cache.clear([["ns"]]);
    assert.deepEqual(await cache.get([[["ns"], "forever"]]), []);
  });
});
