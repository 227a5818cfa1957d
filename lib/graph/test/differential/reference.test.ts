// The recorded reference (/work/shared/reference/*.jsonl) and the seed's printed outputs
// (/work/shared/seed/, the Python streaming guide) as fixed expectations: LangGraph.js run live here
// must still produce them (so the reference is current), and Rill must produce them too.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fanout } from "./cases/fanout";
import { interrupts } from "./cases/interrupts";
import { jokeModes } from "./cases/jokeModes";
import { messages } from "./cases/messages";
import { nodeError } from "./cases/nodeError";
import { subgraph } from "./cases/subgraph";
import * as rillLib from "../../index";
import type { DifferentialCase } from "./differentialCase";
import { loadLangGraph, loadRill, type GraphLib, type Side } from "./graphLibrary";
import { readReference, referenceAvailable } from "./referenceFiles";
import type { Recording } from "./record";
import { comparable, runCase } from "./runCase";

/** Reference file -> the differential case and recording that reproduce it. */
const referenceFiles: Array<[file: string, testCase: DifferentialCase, recording: string]> = [
  ["joke_default", jokeModes, "default"],
  ["joke_values", jokeModes, "values"],
  ["joke_updates", jokeModes, "updates"],
  ["joke_custom", jokeModes, "custom"],
  ["joke_debug", jokeModes, "debug"],
  ["joke_tasks", jokeModes, "tasks"],
  ["joke_updates+custom", jokeModes, "updates+custom"],
  ["joke_all_modes_list", jokeModes, "all modes list"],
  ["messages", messages, "messages"],
  ["fanout_updates", fanout, "updates"],
  ["fanout_values", fanout, "values"],
  ["fanout_debug", fanout, "debug"],
  ["subgraph_updates_subgraphs", subgraph, "updates, subgraphs"],
  ["subgraph_updates+custom_subgraphs", subgraph, "updates+custom, subgraphs"],
  ["error_updates", nodeError, "updates"],
  ["error_debug", nodeError, "debug"],
  ["interrupt_updates", interrupts, "updates"],
  ["interrupt_resume_updates", interrupts, "resume, updates"],
  ["interrupt_updates+values", interrupts, "updates+values"],
];

const sides: Side[] = [await loadLangGraph(), await loadRill()];

async function recordings(side: Side): Promise<Map<DifferentialCase, Recording>> {
  const out = new Map<DifferentialCase, Recording>();
  for (const [, testCase] of referenceFiles) {
    if (!out.has(testCase)) out.set(testCase, await runCase(testCase, side));
  }
  return out;
}

describe("reference files", { skip: referenceAvailable() ? undefined : "no /work/shared/reference here" }, () => {
  for (const side of sides) {
    describe(side.name, () => {
      const recorded = recordings(side);
      for (const [file, testCase, recording] of referenceFiles) {
        it(`${file}.jsonl`, async () => {
          const live = (await recorded).get(testCase)!.get(recording);
          assert.ok(live, `${testCase.name} recorded no "${recording}"`);
          const reference = readReference(file);
          // The live outcome's projection (messages) applies to the file too.
          if (live.kind === "stream" && live.project && reference.kind === "stream") reference.project = live.project;
          assert.deepStrictEqual(comparable(live), comparable(reference));
        });
      }
    });
  }
});

// The seed's graph written as its Python is (no edge to END), and what the seed prints for it.
function seedGraph(lg: GraphLib) {
  const State = lg.Annotation.Root({ topic: lg.Annotation<string>(), joke: lg.Annotation<string>() });
  const refine_topic = (state: typeof State.State) => ({ topic: state.topic + " and cats" });
  const generate_joke = (state: typeof State.State, config: { writer?: (chunk: unknown) => void }) => {
    config.writer?.({ custom_key: "Writing custom data while generating a joke" });
    return { joke: `This is a joke about ${state.topic}` };
  };
  return new lg.StateGraph(State)
    .addNode("refine_topic", refine_topic)
    .addNode("generate_joke", generate_joke)
    .addEdge(lg.START, "refine_topic")
    .addEdge("refine_topic", "generate_joke")
    .compile();
}

// Transcribed from the seed's output cells ({'topic': 'ice cream'} -> JSON).
const seedPrints = {
  values: [
    { topic: "ice cream" },
    { topic: "ice cream and cats" },
    { topic: "ice cream and cats", joke: "This is a joke about ice cream and cats" },
  ],
  updates: [
    { refine_topic: { topic: "ice cream and cats" } },
    { generate_joke: { joke: "This is a joke about ice cream and cats" } },
  ],
  custom: [{ custom_key: "Writing custom data while generating a joke" }],
  "updates+custom": [
    ["updates", { refine_topic: { topic: "ice cream and cats" } }],
    ["custom", { custom_key: "Writing custom data while generating a joke" }],
    ["updates", { generate_joke: { joke: "This is a joke about ice cream and cats" } }],
  ],
};

async function drainChunks(stream: Promise<AsyncIterable<unknown>> | AsyncIterable<unknown>): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const chunk of await stream) out.push(chunk);
  return out;
}

describe("the seed's outputs", () => {
  for (const side of sides) {
    describe(side.name, () => {
      const graph = seedGraph(side.lg);
      const input = { topic: "ice cream" };
      it('stream_mode="values"', async () => {
        assert.deepStrictEqual(await drainChunks(graph.stream(input, { streamMode: "values" })), seedPrints.values);
      });
      it('stream_mode="updates"', async () => {
        assert.deepStrictEqual(await drainChunks(graph.stream(input, { streamMode: "updates" })), seedPrints.updates);
      });
      it('stream_mode="custom"', async () => {
        assert.deepStrictEqual(await drainChunks(graph.stream(input, { streamMode: "custom" })), seedPrints.custom);
      });
      it('stream_mode=["updates", "custom"]', async () => {
        const chunks = await drainChunks(graph.stream(input, { streamMode: ["updates", "custom"] }));
        assert.deepStrictEqual(chunks, seedPrints["updates+custom"]);
      });
      it('stream_mode="debug": task and task_result events per step, in the seed\'s shape', async () => {
        const chunks = (await drainChunks(graph.stream(input, { streamMode: "debug" }))) as Array<Record<string, any>>;
        // The seed's Python prints results as [(key, value)] and triggers as "start:refine_topic";
        // LangGraph.js (and Rill) print objects and "branch:to:<node>". Everything else is the seed's shape.
        assert.deepStrictEqual(
          chunks.map((c) => [c.type, c.step, c.payload.name, Object.keys(c.payload).sort()]),
          [
            ["task", 1, "refine_topic", ["id", "input", "interrupts", "metadata", "name", "triggers"]],
            ["task_result", 1, "refine_topic", ["error", "id", "interrupts", "name", "result"]],
            ["task", 2, "generate_joke", ["id", "input", "interrupts", "metadata", "name", "triggers"]],
            ["task_result", 2, "generate_joke", ["error", "id", "interrupts", "name", "result"]],
          ],
        );
        assert.equal(chunks[0]!.payload.id, chunks[1]!.payload.id);
        assert.notEqual(chunks[0]!.payload.id, chunks[2]!.payload.id);
        assert.deepStrictEqual(chunks[1]!.payload.result, { topic: "ice cream and cats" });
        assert.deepStrictEqual(chunks[3]!.payload.result, { joke: "This is a joke about ice cream and cats" });
        for (const c of chunks) assert.ok(!Number.isNaN(Date.parse(c.timestamp)), `timestamp ${c.timestamp}`);
      });
    });
  }
});

// Rill goes beyond LangGraph.js where the seed's Python does: `.add_node(refine_topic)` takes the
// node's name from the function, and the seed's sync tab (`for chunk in graph.stream(...)`) is streamSync.
// Written against Rill's own types: LangGraph.js 1.7.3 has neither (addNode(fn) throws "No nodes provided in `addNode`").
describe("the seed's Python idioms on Rill", () => {
  it("addNode(fn) names the node after the function, and streamSync yields the seed's values and updates", async () => {
    const State = rillLib.Annotation.Root({ topic: rillLib.Annotation<string>(), joke: rillLib.Annotation<string>() });
    function refine_topic(state: typeof State.State) {
      return { topic: state.topic + " and cats" };
    }
    function generate_joke(state: typeof State.State) {
      return { joke: `This is a joke about ${state.topic}` };
    }
    const graph = new rillLib.StateGraph(State)
      .addNode(refine_topic)
      .addNode(generate_joke)
      .addEdge(rillLib.START, "refine_topic")
      .addEdge("refine_topic", "generate_joke")
      .compile();
    assert.deepStrictEqual([...graph.streamSync({ topic: "ice cream" }, { streamMode: "values" })], seedPrints.values);
    assert.deepStrictEqual([...graph.streamSync({ topic: "ice cream" }, { streamMode: "updates" })], seedPrints.updates);
    assert.deepStrictEqual(await drainChunks(graph.stream({ topic: "ice cream" }, { streamMode: "updates" })), seedPrints.updates);
  });

  it("streamSync fails on an asynchronous node, naming it", () => {
    const State = rillLib.Annotation.Root({ topic: rillLib.Annotation<string>() });
    const graph = new rillLib.StateGraph(State)
      .addNode("slow_node", async () => ({ topic: "x" }))
      .addEdge(rillLib.START, "slow_node")
      .compile();
    assert.throws(() => [...graph.streamSync({ topic: "" }, { streamMode: "values" })], /slow_node/);
  });
});
