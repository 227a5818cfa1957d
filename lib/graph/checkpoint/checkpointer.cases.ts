// The behaviour every checkpointer must have, run against each implementation (memory/, ...): each
// implementation's test file calls runCheckpointerCases with a factory.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Annotation, Command, END, START, StateGraph, interrupt } from "../index";
import type { BaseCheckpointSaver, Checkpoint, CheckpointConfig, CheckpointMetadata, CheckpointTuple } from "./base";

let counter = 0;
function checkpoint(values: Record<string, unknown>): Checkpoint {
  counter++;
  return { v: 1, id: `00000000-0000-0000-0000-${String(counter).padStart(12, "0")}`, ts: new Date().toISOString(), channel_values: values, next_tasks: [], barriers: {} };
}
const meta = (step: number, source: CheckpointMetadata["source"] = "loop"): CheckpointMetadata => ({ source, step, parents: {} });
const thread = (thread_id: string, checkpoint_id?: string, checkpoint_ns = "") => ({ configurable: { thread_id, checkpoint_ns, ...(checkpoint_id ? { checkpoint_id } : {}) } });

async function all(iterable: AsyncIterable<CheckpointTuple>): Promise<CheckpointTuple[]> {
  const out: CheckpointTuple[] = [];
  for await (const t of iterable) out.push(t);
  return out;
}

export function runCheckpointerCases(name: string, make: () => BaseCheckpointSaver): void {
  describe(`checkpointer: ${name}`, () => {
    it("has nothing for an unknown thread", async () => {
      const saver = make();
      assert.equal(await saver.getTuple(thread("none")), undefined);
      assert.deepEqual(await all(saver.list(thread("none"))), []);
    });

    it("returns the latest checkpoint, or the one named by checkpoint_id, with its parent", async () => {
      const saver = make();
      const first = checkpoint({ n: 1 });
      const firstConfig = await saver.put(thread("t"), first, meta(0));
      assert.equal(firstConfig.configurable.checkpoint_id, first.id);
      const second = checkpoint({ n: 2 });
      await saver.put(firstConfig, second, meta(1));
      const latest = await saver.getTuple(thread("t"));
      assert.deepEqual(latest?.checkpoint.channel_values, { n: 2 });
      assert.equal(latest?.parentConfig?.configurable.checkpoint_id, first.id);
      assert.deepEqual(latest?.metadata, meta(1));
      const named = await saver.getTuple(thread("t", first.id));
      assert.deepEqual(named?.checkpoint.channel_values, { n: 1 });
      assert.equal(named?.parentConfig, undefined);
    });

    it("lists newest first, with limit, before and a metadata filter", async () => {
      const saver = make();
      let config: CheckpointConfig = thread("t");
      const ids: string[] = [];
      for (let step = 0; step < 4; step++) {
        const c = checkpoint({ step });
        ids.push(c.id);
        config = await saver.put(config, c, meta(step, step === 0 ? "input" : "loop"));
      }
      assert.deepEqual((await all(saver.list(thread("t")))).map((t) => t.checkpoint.id), [...ids].reverse());
      assert.deepEqual((await all(saver.list(thread("t"), { limit: 2 }))).map((t) => t.checkpoint.id), [ids[3], ids[2]]);
      assert.deepEqual((await all(saver.list(thread("t"), { before: thread("t", ids[2]) }))).map((t) => t.checkpoint.id), [ids[1], ids[0]]);
      assert.deepEqual((await all(saver.list(thread("t"), { filter: { source: "input" } }))).map((t) => t.checkpoint.id), [ids[0]]);
    });

    it("keeps pending writes with their checkpoint, a task's write to a channel replacing the previous one", async () => {
      const saver = make();
      const c = checkpoint({});
      const config = await saver.put(thread("t"), c, meta(0));
      await saver.putWrites(config, [["a", 1], ["b", 2]], "task-1");
      await saver.putWrites(config, [["a", 3]], "task-1");
      await saver.putWrites(config, [["a", 4]], "task-2");
      const tuple = await saver.getTuple(thread("t"));
      assert.deepEqual(tuple?.pendingWrites, [["task-1", "a", 3], ["task-1", "b", 2], ["task-2", "a", 4]]);
      await saver.put(config, checkpoint({}), meta(1));
      assert.deepEqual((await saver.getTuple(thread("t")))?.pendingWrites, []);
    });

    it("keeps threads and namespaces apart, and deletes a thread", async () => {
      const saver = make();
      await saver.put(thread("a"), checkpoint({ who: "a" }), meta(0));
      await saver.put(thread("b"), checkpoint({ who: "b" }), meta(0));
      await saver.put(thread("a", undefined, "child:1"), checkpoint({ who: "a/child" }), meta(0));
      assert.deepEqual((await saver.getTuple(thread("a")))?.checkpoint.channel_values, { who: "a" });
      assert.deepEqual((await saver.getTuple(thread("a", undefined, "child:1")))?.checkpoint.channel_values, { who: "a/child" });
      await saver.deleteThread("a");
      assert.equal(await saver.getTuple(thread("a")), undefined);
      assert.deepEqual((await saver.getTuple(thread("b")))?.checkpoint.channel_values, { who: "b" });
    });

    it("lets a graph interrupt, resume and show its history", async () => {
      const State = Annotation.Root({ topic: Annotation<string>(), approved: Annotation<string>() });
      const graph = new StateGraph(State)
        .addNode("refine", (s) => ({ topic: `${s.topic}!` }))
        .addNode("review", () => ({ approved: interrupt<string, string>("ok?") }))
        .addEdge(START, "refine")
        .addEdge("refine", "review")
        .addEdge("review", END)
        .compile({ checkpointer: make() });
      const config = { configurable: { thread_id: "g" } };
      const first = await graph.invoke({ topic: "t" }, config);
      assert.equal((first as Record<string, unknown>).__interrupt__ !== undefined, true);
      assert.deepEqual(await graph.invoke(new Command({ resume: "yes" }), config), { topic: "t!", approved: "yes" });
      const history = [];
      for await (const snapshot of graph.getStateHistory(config)) history.push(snapshot.metadata?.step);
      assert.deepEqual(history, [2, 1, 0, -1]);
    });
  });
}
