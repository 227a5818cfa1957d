// Savers users extend: the engine keeps its synchronous fast path only for exactly Rill's MemorySaver;
// a subclass (of Rill's or of LangGraph's MemorySaver) overriding getTuple, put, putWrites or
// getNextVersion is called through those methods, and what they throw is what the run rejects with.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MemorySaver as LangGraphMemorySaver } from "@langchain/langgraph-checkpoint";
import { Annotation, BaseCheckpointSaver, Command, END, MemorySaver, START, StateGraph, copyCheckpoint, emptyCheckpoint, interrupt } from "../index";
import type { Checkpoint, CheckpointConfig, CheckpointMetadata, CheckpointTuple, PendingWrite } from "./base";

const State = Annotation.Root({ foo: Annotation<string>({ reducer: (_, b) => b }) });
const oneNode = () => new StateGraph(State).addNode("agent", () => ({ foo: "" })).addEdge(START, "agent").addEdge("agent", END);
const twoNodes = () =>
  new StateGraph(State)
    .addNode("agent", () => ({ foo: "" }))
    .addNode("parallel", () => ({ foo: "" }))
    .addEdge(START, "agent")
    .addEdge(START, "parallel")
    .addEdge("agent", END)
    .addEdge("parallel", END);
const thread = (thread_id: string, extra: Record<string, unknown> = {}) => ({ configurable: { thread_id, ...extra } });

for (const [name, Base] of [
  ["Rill's MemorySaver", MemorySaver],
  ["LangGraph's MemorySaver", LangGraphMemorySaver],
] as const) {
  describe(`a subclass of ${name}`, () => {
    it("is asked for the checkpoint: its getTuple error rejects the run", async () => {
      class FaultyGet extends (Base as typeof MemorySaver) {
        override async getTuple(): Promise<CheckpointTuple | undefined> {
          throw new Error("Faulty get_tuple");
        }
      }
      await assert.rejects(oneNode().compile({ checkpointer: new FaultyGet() }).invoke({}, thread("1")), /Faulty get_tuple/);
    });

    it("stores checkpoints through its put", async () => {
      class FaultyPut extends (Base as typeof MemorySaver) {
        override async put(): Promise<CheckpointConfig> {
          throw new Error("Faulty put");
        }
      }
      await assert.rejects(oneNode().compile({ checkpointer: new FaultyPut() }).invoke({}, thread("1")), /Faulty put/);
    });

    it("numbers channel versions with its getNextVersion", async () => {
      class FaultyVersion extends (Base as typeof MemorySaver) {
        override getNextVersion(): number {
          throw new Error("Faulty get_next_version");
        }
      }
      await assert.rejects(oneNode().compile({ checkpointer: new FaultyVersion() }).invoke({}, thread("1")), /Faulty get_next_version/);
    });

    it("stores the writes of a step's tasks through its putWrites", async () => {
      class FaultyPutWrites extends (Base as typeof MemorySaver) {
        override async putWrites(): Promise<void> {
          throw new Error("Faulty put_writes");
        }
      }
      await assert.rejects(twoNodes().compile({ checkpointer: new FaultyPutWrites() }).invoke({}, thread("1")), /Faulty put_writes/);
    });

    it("is called with the run's configurable keys, and a failed run leaves the thread usable", async () => {
      const seen: string[] = [];
      class Recording extends (Base as typeof MemorySaver) {
        override async getTuple(config: CheckpointConfig) {
          seen.push(`getTuple ${config.configurable?.user_key}`);
          if (config.configurable?.shouldThrow) throw new Error("Faulty get_tuple");
          return super.getTuple(config);
        }
        override async put(config: CheckpointConfig, checkpoint: Checkpoint, metadata: CheckpointMetadata, versions: Record<string, number>) {
          seen.push(`put ${metadata.source} ${config.configurable?.user_key}`);
          return super.put(config, checkpoint, metadata, versions);
        }
        override async putWrites(config: CheckpointConfig, writes: PendingWrite[], taskId: string) {
          seen.push(`putWrites ${config.configurable?.user_key}`);
          return super.putWrites(config, writes, taskId);
        }
      }
      const graph = oneNode().compile({ checkpointer: new Recording() });
      await assert.rejects(graph.invoke({}, thread("1", { shouldThrow: true })), /Faulty get_tuple/);
      assert.deepEqual(await graph.invoke({}, thread("1", { user_key: "k" })), { foo: "" });
      assert.deepEqual(seen, ["getTuple undefined", "getTuple k", "put input k", "putWrites k", "put loop k", "putWrites k", "put loop k"]);
    });

    it("carries an interrupt and its resume", async () => {
      let puts = 0;
      class Counting extends (Base as typeof MemorySaver) {
        override async put(config: CheckpointConfig, checkpoint: Checkpoint, metadata: CheckpointMetadata, versions: Record<string, number>) {
          puts++;
          return super.put(config, checkpoint, metadata, versions);
        }
      }
      const graph = new StateGraph(State)
        .addNode("ask", () => ({ foo: interrupt<string, string>("foo?") }))
        .addEdge(START, "ask")
        .compile({ checkpointer: new Counting() });
      await graph.invoke({}, thread("i"));
      assert.deepEqual(await graph.invoke(new Command({ resume: "bar" }), thread("i")), { foo: "bar" });
      assert.equal(puts, 3, "input, loop (at the interrupt), loop (after the resume)");
    });

    it("has a failed run's error among the checkpoint's pending writes when the run rejects", async () => {
      class Sub extends (Base as typeof MemorySaver) {}
      const saver = new Sub();
      const graph = new StateGraph(State)
        .addNode("first", () => ({ foo: "first" }))
        .addNode("fails", () => {
          throw new Error("Total is too large");
        })
        .addEdge(START, "first")
        .addEdge("first", "fails")
        .compile({ checkpointer: saver });
      await assert.rejects(graph.invoke({}, thread("e")), /Total is too large/);
      const tuple = await saver.getTuple(thread("e"));
      assert.deepEqual(
        tuple?.pendingWrites?.map(([, channel, value]) => [channel, value]),
        [["__error__", { name: "Error", message: "Total is too large" }]],
      );
      assert.deepEqual((await graph.getState(thread("e"))).next, ["fails"]);
    });

    it("cannot serve streamSync (its methods are asynchronous), with an error saying so", () => {
      class Sub extends (Base as typeof MemorySaver) {}
      const graph = oneNode().compile({ checkpointer: new Sub() });
      assert.throws(() => [...graph.streamSync({}, thread("s"))], /streamSync with a checkpointer needs Rill's MemorySaver/);
    });
  });
}

describe("BaseCheckpointSaver", () => {
  it("is a class users extend: get, getNextVersion and serde come with it", async () => {
    class OneCheckpoint extends BaseCheckpointSaver {
      tuple: CheckpointTuple | undefined;
      async getTuple() {
        return this.tuple;
      }
      async *list() {
        if (this.tuple) yield this.tuple;
      }
      async put(config: CheckpointConfig, checkpoint: Checkpoint, metadata: CheckpointMetadata) {
        const saved = { configurable: { thread_id: config.configurable?.thread_id, checkpoint_ns: "", checkpoint_id: checkpoint.id } };
        this.tuple = { config: saved, checkpoint, metadata, pendingWrites: [] };
        return saved;
      }
      async putWrites() {}
      async deleteThread() {
        this.tuple = undefined;
      }
    }
    const saver = new OneCheckpoint();
    assert.equal(saver.getNextVersion(undefined), 1);
    assert.equal(saver.getNextVersion(4), 5);
    const [type, bytes] = await saver.serde.dumpsTyped({ a: [1] });
    assert.deepEqual(await saver.serde.loadsTyped(type, bytes), { a: [1] });
    const graph = oneNode().compile({ checkpointer: saver });
    assert.deepEqual(await graph.invoke({ foo: "x" }, thread("b")), { foo: "" });
    assert.deepEqual((await saver.get(thread("b")))?.channel_values.foo, "");
    assert.deepEqual((await graph.getState(thread("b"))).values, { foo: "" });
  });

  it("comes with emptyCheckpoint and copyCheckpoint, as LangGraph's main entry exports them", () => {
    const first = emptyCheckpoint();
    const second = emptyCheckpoint();
    assert.deepEqual({ ...first, id: "", ts: "" }, { v: 4, id: "", ts: "", channel_values: {}, channel_versions: {}, versions_seen: {} });
    assert.ok(first.id < second.id, "ids sort by creation");
    const original = { ...first, channel_values: { a: "x" }, channel_versions: { a: 1 }, versions_seen: { n: { a: 1 } } };
    const copy = copyCheckpoint(original);
    copy.versions_seen.n.a = 2;
    copy.channel_versions.a = 2;
    copy.channel_values.a = "y";
    assert.deepEqual(original, { ...first, channel_values: { a: "x" }, channel_versions: { a: 1 }, versions_seen: { n: { a: 1 } } });
  });

  it("an instance of Rill's MemorySaver with a replaced method is called through it", async () => {
    const saver = new MemorySaver();
    saver.getTuple = async () => {
      throw new Error("Faulty get_tuple");
    };
    await assert.rejects(oneNode().compile({ checkpointer: saver }).invoke({}, thread("1")), /Faulty get_tuple/);
  });
});
