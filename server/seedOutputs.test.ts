// The seed's graph through the whole server (engine -> run log -> tRPC over a real WebSocket -> client):
// what arrives must be exactly what LangGraph.js streams for it, mode by mode.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { StreamMode } from "../lib/graph/types";
import { DEFAULT_STREAM_MODES } from "./procedureInputs";
import { collect, liveServer, tuples } from "./test/harness";
import { normalize, readReference, withoutCheckpointEvents } from "./test/referenceOutputs";

const input = { topic: "ice cream" };

describe("joke graph over runs.stream matches LangGraph.js's outputs", () => {
  const live = liveServer();

  async function run(streamMode?: StreamMode[]) {
    const { events, error } = await collect(live.client, { graphId: "joke", input, ...(streamMode ? { streamMode } : {}) });
    assert.equal(error, undefined);
    const runId = (events[0]!.data as ["metadata", { run_id: string }])[1].run_id;
    assert.deepEqual(events.map((e) => e.id), events.map((_, i) => `${runId}:${i}`), "ids are <runId>:0,1,2,...");
    assert.equal(events[0]!.data[0], "metadata");
    assert.deepEqual(events.at(-1)!.data, ["status", { status: "done" }]);
    return { events, tuples: tuples(events), metadata: events[0]!.data[1] as { stream_mode: StreamMode[]; graph_id: string } };
  }

  for (const mode of ["values", "updates", "debug", "custom", "tasks"] as const) {
    it(`streamMode ["${mode}"] yields the reference chunks`, async () => {
      const result = await run([mode]);
      assert.ok(result.tuples.every((t) => t[0] === mode));
      const chunks = result.tuples.map((t) => t[1]);
      const reference = readReference(`joke_${mode}`);
      if (mode !== "debug") assert.deepEqual(normalize(chunks), normalize(reference));
      else assert.deepEqual(normalize(withoutCheckpointEvents(chunks, false)), normalize(withoutCheckpointEvents(reference, false)));
    });
  }

  it('streamMode ["updates", "custom"] yields the seed\'s interleaving', async () => {
    const result = await run(["updates", "custom"]);
    assert.deepEqual(result.tuples, readReference("joke_updates+custom"));
  });

  it("all modes as a list yield the reference tuples in order", async () => {
    const result = await run(["values", "updates", "debug", "custom", "checkpoints", "tasks"]);
    assert.deepEqual(normalize(withoutCheckpointEvents(result.tuples, true)), normalize(withoutCheckpointEvents(readReference("joke_all_modes_list"), true)));
  });

  it("messages alone yields no tuples for a graph without a model, and ends", async () => {
    const result = await run(["messages"]);
    assert.deepEqual(result.tuples, []);
  });

  it("no streamMode means values, updates, custom, messages, debug", async () => {
    const result = await run();
    assert.deepEqual(result.metadata.stream_mode, DEFAULT_STREAM_MODES);
    const wanted = new Set<string>(DEFAULT_STREAM_MODES);
    const expected = (readReference("joke_all_modes_list") as Array<[string, unknown]>).filter((t) => wanted.has(t[0]));
    assert.deepEqual(normalize(withoutCheckpointEvents(result.tuples, true)), normalize(withoutCheckpointEvents(expected, true)));
  });

  it("metadata names the run and graph; runs.get reports it done", async () => {
    const result = await run(["updates"]);
    const meta = result.events[0]!.data[1] as { run_id: string; graph_id: string; model?: string; created_at: string };
    assert.equal(meta.graph_id, "joke");
    assert.equal(meta.model, undefined, "the seed graph uses no model");
    assert.ok(!Number.isNaN(Date.parse(meta.created_at)));
    const info = await live.client.trpc.runs.get.query({ runId: meta.run_id });
    assert.equal(info.status, "done");
    assert.equal(info.lastEventId, result.events.at(-1)!.id);
    assert.deepEqual(info.input, input);
  });
});
