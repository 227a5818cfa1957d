// Code written for LangGraph.js (shared/reference/cases) streams what LangGraph.js 1.7.3 streamed,
// ids and timestamps aside.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Command } from "../index";
import { errorGraph, fanoutGraph, interruptGraph, jokeGraph, normalize, recordStream, referenceLines, subgraphGraph } from "./fixtures";

async function assertMatches(file: string, make: () => AsyncIterable<unknown> | Promise<AsyncIterable<unknown>>) {
  const expected = referenceLines(file);
  const got = await recordStream(make);
  assert.deepEqual(normalize(got.lines), normalize(expected.lines), `stream of ${file}`);
  if (expected.error) {
    assert.ok(got.error, `${file}: the iteration should throw`);
    assert.equal(got.error.name, expected.error.name);
    assert.equal(got.error.message, expected.error.message);
  } else {
    assert.equal(got.error, null, `${file}: unexpected ${got.error}`);
  }
}

const input = { topic: "ice cream" };

describe("the seed's joke graph", () => {
  const graph = jokeGraph();
  for (const mode of ["values", "updates", "debug", "custom", "tasks"] as const) {
    it(`streams "${mode}" like LangGraph.js`, () => assertMatches(`joke_${mode}.jsonl`, () => graph.stream(input, { streamMode: mode })));
  }
  it("streams updates by default", () => assertMatches("joke_default.jsonl", () => graph.stream(input)));
  it('streams ["updates", "custom"] as [mode, chunk] tuples', () =>
    assertMatches("joke_updates+custom.jsonl", () => graph.stream(input, { streamMode: ["updates", "custom"] })));
  it("orders the chunks of every mode within a step like LangGraph.js", () =>
    assertMatches("joke_all_modes_list.jsonl", () =>
      graph.stream(input, { streamMode: ["values", "updates", "debug", "custom", "checkpoints", "tasks"] }),
    ));
  it("works when the stream is iterated without awaiting it first", async () => {
    const chunks: unknown[] = [];
    for await (const chunk of graph.stream(input, { streamMode: "values" })) chunks.push(chunk);
    assert.deepEqual(chunks.at(-1), { topic: "ice cream and cats", joke: "This is a joke about ice cream and cats" });
  });
  it("streamSync yields the same chunks synchronously", () => {
    const expected = referenceLines("joke_all_modes_list.jsonl").lines;
    const got = [...graph.streamSync(input, { streamMode: ["values", "updates", "debug", "custom", "checkpoints", "tasks"] })].map((c) => JSON.stringify(c));
    assert.deepEqual(normalize(got), normalize(expected));
  });
  it("invoke returns the final state", async () => {
    assert.deepEqual(await graph.invoke(input), { topic: "ice cream and cats", joke: "This is a joke about ice cream and cats" });
  });
});

describe("parallel nodes, a reducer and a waiting edge", () => {
  const graph = fanoutGraph();
  for (const mode of ["updates", "values", "debug"] as const) {
    it(`streams "${mode}" like LangGraph.js (updates in completion order)`, () =>
      assertMatches(`fanout_${mode}.jsonl`, () => graph.stream(input, { streamMode: mode })));
  }
});

describe("a compiled graph used as a node", () => {
  const graph = subgraphGraph();
  it("streams namespaced updates with subgraphs: true", () =>
    assertMatches("subgraph_updates_subgraphs.jsonl", () => graph.stream(input, { streamMode: "updates", subgraphs: true })));
  it("streams namespaced [ns, mode, chunk] for a list of modes", () =>
    assertMatches("subgraph_updates+custom_subgraphs.jsonl", () => graph.stream(input, { streamMode: ["updates", "custom"], subgraphs: true })));
  it("hides the subgraph's updates without subgraphs: true", async () => {
    const { lines } = await recordStream(() => graph.stream(input, { streamMode: "updates" }));
    assert.deepEqual(lines.map((l) => Object.keys(JSON.parse(l))[0]), ["refine_topic", "child", "generate_joke"]);
  });
});

describe("a node that throws", () => {
  const graph = errorGraph();
  it("streams everything before it, then the iteration throws the original error", () =>
    assertMatches("error_updates.jsonl", () => graph.stream(input, { streamMode: "updates" })));
  it("shows the failed task_result in debug", () => assertMatches("error_debug.jsonl", () => graph.stream(input, { streamMode: "debug" })));
  it("rejects invoke with the original error", async () => {
    await assert.rejects(graph.invoke(input), (e: Error) => e.message === "boom in generate_joke" && e.constructor === Error);
  });
});

describe("interrupt() with a checkpointer", () => {
  it("ends the run with __interrupt__ in updates, and Command({ resume }) continues it", async () => {
    const graph = interruptGraph();
    const config = { configurable: { thread_id: "t1" } };
    await assertMatches("interrupt_updates.jsonl", () => graph.stream(input, { ...config, streamMode: "updates" }));
    const snapshot = await graph.getState(config);
    assert.deepEqual(snapshot.next, ["review"]);
    assert.equal(snapshot.tasks[0].interrupts.length, 1);
    assert.deepEqual(snapshot.tasks[0].interrupts[0].value, { question: 'Approve topic "ice cream and cats"?' });
    await assertMatches("interrupt_resume_updates.jsonl", () => graph.stream(new Command({ resume: "yes" }), { ...config, streamMode: "updates" }));
  });
  it("shows the interrupt in values too", () =>
    assertMatches("interrupt_updates+values.jsonl", () =>
      interruptGraph().stream(input, { configurable: { thread_id: "t5" }, streamMode: ["updates", "values"] }),
    ));
  it("invoke returns the state with __interrupt__", async () => {
    const result = (await interruptGraph().invoke(input, { configurable: { thread_id: "t6" } })) as Record<string, unknown>;
    assert.equal(result.topic, "ice cream and cats");
    assert.deepEqual((result.__interrupt__ as Array<{ value: unknown }>)[0].value, { question: 'Approve topic "ice cream and cats"?' });
  });
  it("without a checkpointer throws GraphValueError like LangGraph.js", async () => {
    const { error } = await recordStream(() => interruptGraph(null).stream(input, { streamMode: "updates" }));
    assert.equal(error?.name, "GraphValueError");
    assert.match(error!.message, /^No checkpointer set\n\nTroubleshooting URL: .*MISSING_CHECKPOINTER/);
  });
});
