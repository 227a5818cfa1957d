// A finished task's routes (the nodes its conditional edge chose) are kept with its writes in one pending
// write, so a durable saver stores one row per task and step; a resume restores both. Checkpoints written
// before that (the writes and the routes as two pending writes) still resume the same way.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Annotation, Command, END, MemorySaver, START, StateGraph, interrupt } from "../index";
import type { PendingWrite } from "../checkpoint/base";

const State = Annotation.Root({
  log: Annotation<string[]>({ reducer: (a, b) => a.concat(b), default: () => [] }),
});

function build(saver: MemorySaver, runs: Record<string, number>) {
  const node = (name: string) => () => ((runs[name] = (runs[name] ?? 0) + 1), { log: [name] });
  return new StateGraph(State)
    .addNode("router", node("router"))
    .addNode("asker", () => ((runs.asker = (runs.asker ?? 0) + 1), { log: [`asker:${interrupt<string, string>("go on?")}`] }))
    .addNode("left", node("left"))
    .addNode("right", node("right"))
    .addEdge(START, "router")
    .addEdge(START, "asker")
    .addConditionalEdges("router", () => "right", ["left", "right"])
    .addEdge("left", END)
    .addEdge("right", END)
    .addEdge("asker", END)
    .compile({ checkpointer: saver });
}

const thread = (id: string) => ({ configurable: { thread_id: id } });

describe("a finished task's routes", () => {
  it("are one pending write with its writes, and a resume follows them without running the task again", async () => {
    const saver = new MemorySaver();
    const runs: Record<string, number> = {};
    const graph = build(saver, runs);
    await graph.invoke({ log: [] }, thread("t"));
    const tuple = await saver.getTuple(thread("t"));
    const routerId = (await graph.getState(thread("t"))).tasks.find((t) => t.name === "router")!.id;
    const routerWrites = tuple!.pendingWrites!.filter(([taskId]) => taskId === routerId);
    assert.deepEqual(routerWrites, [[routerId, "__writes_routes__", [[["log", ["router"]]], ["right"]]]]);

    const done = await graph.invoke(new Command({ resume: "yes" }), thread("t"));
    assert.deepEqual(done.log.sort(), ["asker:yes", "right", "router"]);
    assert.deepEqual(runs, { router: 1, asker: 2, right: 1 });
  });

  it("kept as two pending writes by an earlier Rill resume the same way", async () => {
    const saver = new MemorySaver();
    const runs: Record<string, number> = {};
    const graph = build(saver, runs);
    await graph.invoke({ log: [] }, thread("new"));
    const tuple = (await saver.getTuple(thread("new")))!;
    // The same checkpoint on another thread, its pending writes as an earlier Rill stored them.
    const config = { configurable: { thread_id: "old", checkpoint_ns: "" } };
    const saved = await saver.put(config, tuple.checkpoint, tuple.metadata!, tuple.checkpoint.channel_versions);
    const byTask = new Map<string, PendingWrite[]>();
    for (const [taskId, channel, value] of tuple.pendingWrites!) {
      const writes: PendingWrite[] = channel === "__writes_routes__" ? [["__writes__", (value as unknown[])[0]], ["__routes__", (value as unknown[])[1]]] : [[channel, value]];
      byTask.set(taskId, [...(byTask.get(taskId) ?? []), ...writes]);
    }
    for (const [taskId, writes] of byTask) await saver.putWrites(saved, writes, taskId);
    assert.ok((await saver.getTuple(thread("old")))!.pendingWrites!.some(([, channel]) => channel === "__routes__"));

    const before = (await graph.getState(thread("old"))).values.log;
    assert.deepEqual(before, ["router"], "getState applies the finished task's writes");
    for (const key of Object.keys(runs)) delete runs[key];
    const done = await graph.invoke(new Command({ resume: "yes" }), thread("old"));
    assert.deepEqual(done.log.sort(), ["asker:yes", "right", "router"]);
    assert.deepEqual(runs, { asker: 1, right: 1 });
  });
});
