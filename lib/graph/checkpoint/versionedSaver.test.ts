// Savers that store a channel's value only when `put` names it in `newVersions` (LangGraph's Postgres
// saver keeps one blob per channel version and rebuilds `channel_values` from `channel_versions`).
// Rill's engine gives such a saver channel versions from its getNextVersion and the changed channels as
// newVersions, so nothing is lost: the engine cases run against a small saver of that kind, with
// serialized values like every persistent saver.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Annotation, END, MemorySaver, START, StateGraph } from "../index";
import {
  BaseCheckpointSaver,
  type ChannelVersions,
  type Checkpoint,
  type CheckpointConfig,
  type CheckpointListOptions,
  type CheckpointMetadata,
  type CheckpointTuple,
  type PendingWrite,
} from "./base";
import { BARRIERS_CHANNEL } from "./checkpointFields";
import { runEngineCheckpointCases } from "./checkpointer.cases";

interface Row {
  threadId: string;
  ns: string;
  checkpoint: string;
  metadata: string;
  parentId: string | undefined;
}

/** Stores checkpoints without their values, and one serialized blob per (channel, version) named in newVersions. */
class VersionedBlobSaver extends BaseCheckpointSaver {
  readonly rows: Row[] = [];
  readonly blobs = new Map<string, string>();
  readonly writes = new Map<string, Array<[string, string, string]>>();
  private counter = 0;

  private blobKey(threadId: string, ns: string, channel: string, version: string | number) {
    return JSON.stringify([threadId, ns, channel, version]);
  }

  private load(row: Row): CheckpointTuple {
    const stored = JSON.parse(row.checkpoint) as Checkpoint;
    const channel_values: Record<string, unknown> = {};
    for (const [channel, version] of Object.entries(stored.channel_versions)) {
      const blob = this.blobs.get(this.blobKey(row.threadId, row.ns, channel, version));
      if (blob !== undefined) channel_values[channel] = JSON.parse(blob);
    }
    const id = stored.id;
    const tuple: CheckpointTuple = {
      config: { configurable: { thread_id: row.threadId, checkpoint_ns: row.ns, checkpoint_id: id } },
      checkpoint: { ...stored, channel_values },
      metadata: JSON.parse(row.metadata),
      pendingWrites: (this.writes.get(`${row.threadId}|${row.ns}|${id}`) ?? []).map(([task, channel, value]) => [task, channel, JSON.parse(value)]),
    };
    if (row.parentId) tuple.parentConfig = { configurable: { thread_id: row.threadId, checkpoint_ns: row.ns, checkpoint_id: row.parentId } };
    return tuple;
  }

  private rowsOf(threadId: string | undefined, ns: string | undefined): Row[] {
    return this.rows.filter((r) => (threadId === undefined || r.threadId === threadId) && (ns === undefined || r.ns === ns)).sort((a, b) => (a.checkpoint < b.checkpoint ? 1 : -1));
  }

  async getTuple(config: CheckpointConfig) {
    const id = config.configurable?.checkpoint_id as string | undefined;
    const rows = this.rowsOf(config.configurable?.thread_id, config.configurable?.checkpoint_ns ?? "");
    const sorted = rows.map((row) => ({ row, id: (JSON.parse(row.checkpoint) as Checkpoint).id })).sort((a, b) => (a.id < b.id ? 1 : -1));
    const hit = id ? sorted.find((r) => r.id === id) : sorted[0];
    return hit ? this.load(hit.row) : undefined;
  }

  async *list(config: CheckpointConfig, options: CheckpointListOptions = {}) {
    const tuples = this.rowsOf(config.configurable?.thread_id, config.configurable?.checkpoint_ns).map((row) => this.load(row));
    tuples.sort((a, b) => (a.checkpoint.id < b.checkpoint.id ? 1 : -1));
    let limit = options.limit ?? Infinity;
    const before = options.before?.configurable?.checkpoint_id as string | undefined;
    for (const tuple of tuples) {
      if (before && tuple.checkpoint.id >= before) continue;
      if (options.filter && !Object.entries(options.filter).every(([k, v]) => tuple.metadata?.[k] === v)) continue;
      if (limit-- <= 0) return;
      yield tuple;
    }
  }

  async put(config: CheckpointConfig, checkpoint: Checkpoint, metadata: CheckpointMetadata, newVersions: ChannelVersions) {
    const threadId = config.configurable?.thread_id as string;
    const ns = (config.configurable?.checkpoint_ns as string | undefined) ?? "";
    for (const [channel, version] of Object.entries(newVersions)) {
      this.blobs.set(this.blobKey(threadId, ns, channel, version), JSON.stringify(checkpoint.channel_values[channel] ?? null));
    }
    const { channel_values: _values, ...rest } = checkpoint;
    void _values;
    this.rows.push({ threadId, ns, checkpoint: JSON.stringify(rest), metadata: JSON.stringify(metadata), parentId: config.configurable?.checkpoint_id });
    return { configurable: { thread_id: threadId, checkpoint_ns: ns, checkpoint_id: checkpoint.id } };
  }

  async putWrites(config: CheckpointConfig, writes: PendingWrite[], taskId: string) {
    const key = `${config.configurable?.thread_id}|${config.configurable?.checkpoint_ns ?? ""}|${config.configurable?.checkpoint_id}`;
    const list = this.writes.get(key) ?? [];
    for (const [channel, value] of writes) list.push([taskId, channel, JSON.stringify(value ?? null)]);
    this.writes.set(key, list);
  }

  async deleteThread(threadId: string) {
    for (let i = this.rows.length - 1; i >= 0; i--) if (this.rows[i].threadId === threadId) this.rows.splice(i, 1);
  }

  /** Versions counting up across the saver, so a fork never reuses one (its blobs stay apart). */
  override getNextVersion(current: number | undefined): number {
    this.counter = Math.max(this.counter, current ?? 0) + 1;
    return this.counter;
  }
}

runEngineCheckpointCases("a saver storing only the channels named in newVersions", () => new VersionedBlobSaver());

describe("channel versions given to other savers", () => {
  it("move only for channels whose value changed, and newVersions names exactly those", async () => {
    const saver = new VersionedBlobSaver();
    const State = Annotation.Root({ a: Annotation<string>(), b: Annotation<string>() });
    const graph = new StateGraph(State)
      .addNode("one", () => ({ a: "A" }))
      .addNode("two", () => ({}))
      .addEdge(START, "one")
      .addEdge("one", "two")
      .addEdge("two", END)
      .compile({ checkpointer: saver });
    await graph.invoke({ a: "start", b: "kept" }, { configurable: { thread_id: "v" } });
    const versions: ChannelVersions[] = [];
    for await (const tuple of saver.list({ configurable: { thread_id: "v" } })) versions.unshift(tuple.checkpoint.channel_versions);
    const [input, afterStart, afterOne, afterTwo] = versions;
    assert.equal(input.b, undefined, "the input checkpoint comes before the input is written");
    assert.equal(afterOne.b, afterStart.b, "b did not change in step one");
    assert.notEqual(afterOne.a, afterStart.a, "a changed in step one");
    assert.equal(afterTwo.a, afterOne.a, "step two wrote nothing to a");
    assert.deepEqual((await graph.getState({ configurable: { thread_id: "v" } })).values, { a: "A", b: "kept" });
  });

  it("keep the engine's barrier channel at one version while no join waits, and move it when one does", async () => {
    const saver = new VersionedBlobSaver();
    const State = Annotation.Root({ log: Annotation<string[]>({ reducer: (a, b) => a.concat(b), default: () => [] }) });
    const graph = new StateGraph(State)
      .addNode("a", () => ({ log: ["a"] }))
      .addNode("b", () => ({ log: ["b"] }))
      .addNode("slow", () => ({ log: ["slow"] }))
      .addNode("c", () => ({ log: ["c"] }))
      .addNode("d", () => ({ log: ["d"] }))
      .addEdge(START, "a")
      .addEdge(START, "b")
      .addEdge("b", "slow")
      .addEdge(["a", "slow"], "c")
      .addEdge("c", "d")
      .addEdge("d", END)
      .compile({ checkpointer: saver });
    await graph.invoke({ log: [] }, { configurable: { thread_id: "j" } });
    const barriers: Array<string | number | undefined> = [];
    const values: unknown[] = [];
    for await (const tuple of saver.list({ configurable: { thread_id: "j" } })) {
      barriers.unshift(tuple.checkpoint.channel_versions[BARRIERS_CHANNEL]);
      values.unshift(tuple.checkpoint.channel_values[BARRIERS_CHANNEL]);
    }
    // Checkpoints: input, after __start__, after a+b (the join waits on "slow"), after slow, after c, after d.
    assert.equal(barriers.length, 6);
    assert.deepEqual(values[2], { "join:a+slow:c": ["a"] }, "the join waits for slow after step 1");
    assert.notEqual(barriers[2], barriers[1], "a waiting join moves the barrier channel's version");
    assert.notEqual(barriers[3], barriers[2], "the released join moves it again");
    assert.equal(barriers[1], barriers[0], "no join waiting: the same version");
    assert.equal(barriers[4], barriers[3], "no join waiting: the same version");
    assert.equal(barriers[5], barriers[4], "no join waiting: the same version");
    assert.deepEqual((await graph.getState({ configurable: { thread_id: "j" } })).values.log, ["a", "b", "slow", "c", "d"]);
  });

  it("are not computed for Rill's own MemorySaver (its fast path stores whole checkpoints)", async () => {
    const saver = new MemorySaver();
    const State = Annotation.Root({ a: Annotation<string>() });
    const graph = new StateGraph(State).addNode("one", () => ({ a: "A" })).addEdge(START, "one").compile({ checkpointer: saver });
    await graph.invoke({ a: "x" }, { configurable: { thread_id: "m" } });
    assert.deepEqual((await saver.getTuple({ configurable: { thread_id: "m" } }))?.checkpoint.channel_versions, {});
  });
});
