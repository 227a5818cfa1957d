// runs.stream / runs.streamBatches with `subgraphs: true`: the subgraph graph's inner nodes (brainstorm,
// pick) stream as `[mode, chunk, ["writers_room:<taskId>"]]` between the root's `[mode, chunk]` events,
// ids and replay as always; without the option a run is exactly what it was.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { collect, collectBatches, errorCode, liveServer, type Received, runIdOf } from "./test/harness";

const input = { topic: "ice cream" };

/**
 * Each engine event as `mode node ns`, e.g. `updates pick writers_room:<id>`; debug events by type and name.
 * Debug "checkpoint" events (every graph runs with the server's checkpointer) are left out: the tasks are the point.
 */
function outline(events: Received[]): string[] {
  return events
    .map((e) => e.data as unknown[])
    .filter((d) => d[0] !== "metadata" && d[0] !== "status")
    .filter((d) => !(d[0] === "debug" && (d[1] as { type: string }).type === "checkpoint"))
    .map(([mode, chunk, ns]) => {
      const where = ns === undefined ? "" : ` ${(ns as string[]).join("|")}`;
      if (mode === "updates") return `updates ${Object.keys(chunk as object).join(",")}${where}`;
      if (mode === "debug") {
        const { type, payload } = chunk as { type: string; payload: { name: string } };
        return `${type} ${payload.name}${where}`;
      }
      return `${String(mode)}${where}`;
    });
}

function writersRoomTaskId(events: Received[]): string {
  const task = events
    .map((e) => e.data as unknown[])
    .find((d) => d[0] === "debug" && d.length === 2 && (d[1] as { type: string; payload: { name: string } }).payload.name === "writers_room");
  assert.ok(task, "the root's debug stream has the writers_room task");
  return (task[1] as { payload: { id: string } }).payload.id;
}

describe("subgraph events", () => {
  const live = liveServer();

  it("with subgraphs: true, brainstorm and pick stream with the namespace writers_room:<taskId>, in order, ids consecutive", async () => {
    const { events, error } = await collect(live.client, { graphId: "subgraph", input, streamMode: ["updates", "custom", "debug"], subgraphs: true });
    assert.equal(error, undefined);
    const runId = runIdOf(events);
    events.forEach((event, i) => assert.equal(event.id, `${runId}:${i}`));
    assert.equal((events[0]!.data[1] as { subgraphs?: boolean }).subgraphs, true, "the metadata says the run streams subgraphs");

    const ns = `writers_room:${writersRoomTaskId(events)}`;
    assert.deepEqual(outline(events), [
      "task refine_topic",
      "updates refine_topic",
      "task_result refine_topic",
      "task writers_room",
      `task brainstorm ${ns}`,
      `updates brainstorm ${ns}`,
      `task_result brainstorm ${ns}`,
      `task pick ${ns}`,
      `custom ${ns}`,
      `updates pick ${ns}`,
      `task_result pick ${ns}`,
      "updates writers_room",
      "task_result writers_room",
      "task generate_joke",
      "updates generate_joke",
      "task_result generate_joke",
    ]);
    const pick = events.find((e) => e.data[0] === "updates" && "pick" in (e.data[1] as object))!;
    assert.deepEqual(pick.data, ["updates", { pick: { angle: "ice cream and cats at the vet" } }, [ns]]);

    const info = await live.client.trpc.runs.get.query({ runId });
    assert.equal(info.subgraphs, true);
  });

  it("replay after an id, a late joiner and runs.streamBatches give the same namespaced events", async () => {
    const { events } = await collect(live.client, { graphId: "subgraph", input, streamMode: ["updates", "custom"], subgraphs: true });
    const runId = runIdOf(events);
    const joined = await collect(live.client, { runId });
    assert.deepEqual(joined.events, events);
    const rest = await collect(live.client, { runId, lastEventId: events[3]!.id });
    assert.deepEqual(rest.events, events.slice(4));
    const batched = await collectBatches(live.client, { runId, batchIntervalMs: 0 });
    assert.equal(batched.error, undefined);
    assert.deepEqual(batched.events, events);
    assert.ok(events.some((e) => e.data.length === 3), "some events carry a namespace");
  });

  it("without the option a run is as before: no namespace anywhere, the subgraph's writer reaches the root", async () => {
    const { events, error } = await collect(live.client, { graphId: "subgraph", input, streamMode: ["updates", "custom"] });
    assert.equal(error, undefined);
    const metadata = events[0]!.data[1] as Record<string, unknown>;
    assert.deepEqual(Object.keys(metadata).sort(), ["created_at", "graph_id", "run_id", "stream_mode", "thread_id"]);
    assert.deepEqual(
      events.slice(1).map((e) => JSON.stringify(e.data)),
      [
        '["updates",{"refine_topic":{"topic":"ice cream and cats"}}]',
        '["custom",{"from":"writers_room","picked":"ice cream and cats at the vet"}]',
        '["updates",{"writers_room":{"topic":"ice cream and cats","angle":"ice cream and cats at the vet"}}]',
        '["updates",{"generate_joke":{"joke":"This is a joke about ice cream and cats at the vet"}}]',
        '["status",{"status":"done"}]',
      ],
    );
    const info = await live.client.trpc.runs.get.query({ runId: runIdOf(events) });
    assert.equal("subgraphs" in info, false);
  });

  it("a subgraphs value that is not a boolean is refused, naming the field", async () => {
    const { error } = await collect(live.client, { graphId: "subgraph", input, subgraphs: "yes" as unknown as boolean });
    assert.equal(errorCode(error), "BAD_REQUEST");
    assert.match(error!.message, /subgraphs/);
  });
});
