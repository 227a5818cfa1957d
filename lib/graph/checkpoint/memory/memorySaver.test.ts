import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runCheckpointerCases } from "../checkpointer.cases";
import { MemorySaver } from "./memorySaver";

runCheckpointerCases("MemorySaver", () => new MemorySaver());

describe("MemorySaver (Rill's own)", () => {
  const checkpoint = (id: string) => ({ v: 4, id, ts: "2026-01-01T00:00:00.000Z", channel_values: {}, channel_versions: {}, versions_seen: {} });
  const meta = { source: "loop" as const, step: 0, parents: {} };

  it("names the field when the thread id is unusable", async () => {
    const saver = new MemorySaver();
    await assert.rejects(saver.put({ configurable: { thread_id: { id: 1 } } }, checkpoint("a"), meta, {}), /configurable\.thread_id must be a non-empty string, got object/);
    await assert.rejects(saver.putWrites({ configurable: { checkpoint_id: "a" } }, [["x", 1]], "t"), /configurable\.thread_id must be a non-empty string, got nothing/);
    await assert.rejects(saver.putWrites({ configurable: { thread_id: "t" } }, [["x", 1]], "t"), /missing configurable\.checkpoint_id/);
  });

  it("takes a numeric thread id as its string, as put stores it", async () => {
    const saver = new MemorySaver();
    await saver.put({ configurable: { thread_id: 7 } }, checkpoint("a"), meta, {});
    assert.equal((await saver.getTuple({ configurable: { thread_id: 7 } }))?.checkpoint.id, "a");
    assert.equal((await saver.getTuple({ configurable: { thread_id: "7" } }))?.checkpoint.id, "a");
  });

  it("orders checkpoints by id whatever order they were put in, and finds any by id", async () => {
    const saver = new MemorySaver();
    for (const id of ["b", "d", "a", "c"]) await saver.put({ configurable: { thread_id: "t" } }, checkpoint(id), meta, {});
    const ids = [];
    for await (const tuple of saver.list({ configurable: { thread_id: "t" } })) ids.push(tuple.checkpoint.id);
    assert.deepEqual(ids, ["d", "c", "b", "a"]);
    assert.equal((await saver.getTuple({ configurable: { thread_id: "t" } }))?.checkpoint.id, "d");
    for (const id of ["a", "b", "c", "d"]) assert.equal((await saver.getTuple({ configurable: { thread_id: "t", checkpoint_id: id } }))?.checkpoint.id, id);
    assert.equal(await saver.getTuple({ configurable: { thread_id: "t", checkpoint_id: "bb" } }), undefined);
  });

  it("keeps a task's writes apart from the others' when a step has many tasks", async () => {
    const saver = new MemorySaver();
    const config = await saver.put({ configurable: { thread_id: "t" } }, checkpoint("a"), meta, {});
    for (let i = 0; i < 100; i++) await saver.putWrites(config, [["x", i], ["y", i]], `task-${String(i).padStart(3, "0")}`);
    await saver.putWrites(config, [["x", "again"]], "task-050");
    await saver.putWrites(config, [["__error__", "first"]], "task-050");
    await saver.putWrites(config, [["__error__", "second"]], "task-050");
    const writes = (await saver.getTuple(config))?.pendingWrites ?? [];
    assert.equal(writes.length, 201);
    assert.deepEqual(writes.filter(([task]) => task === "task-050"), [["task-050", "__error__", "second"], ["task-050", "x", 50], ["task-050", "y", 50]]);
  });
});

describe("checkpoint fields", () => {
  it("rejects a state key named like one of the engine's reserved channels, naming it", async () => {
    const { Annotation, START, StateGraph } = await import("../../index");
    const State = Annotation.Root({ __rill_next__: Annotation<string>() });
    const graph = new StateGraph(State).addNode("a", () => ({})).addEdge(START, "a").compile({ checkpointer: new MemorySaver() });
    await assert.rejects(graph.invoke({ __rill_next__: "x" }, { configurable: { thread_id: "r" } }), /State key "__rill_next__" is reserved/);
  });
});
