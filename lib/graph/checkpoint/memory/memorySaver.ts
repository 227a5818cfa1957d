// In-memory checkpointer: threads live in this process only (tests, demos, a single server). It keeps
// LangGraph's MemorySaver contract (checkpoints sorted by id, `list` across threads and namespaces,
// LangGraph's pending-write rules, old pending Sends migrated) but holds values by reference instead of
// serializing them. It also answers synchronously: Rill's engine, given exactly this class, checkpoints
// without a promise per step and streamSync can use it (a subclass is called through the async methods).
// The async methods copy a checkpoint's top level in and out (LangGraph's engine updates the versions of
// the checkpoints it reads); state values are never copied: treat them as immutable, as reducers do.
import {
  BaseCheckpointSaver,
  TASKS,
  WRITES_IDX_MAP,
  compareWriteKeys,
  copyCheckpoint,
  getCheckpointId,
  maxChannelVersion,
  type ChannelVersions,
  type Checkpoint,
  type CheckpointConfig,
  type CheckpointListOptions,
  type CheckpointMetadata,
  type CheckpointPendingWrite,
  type CheckpointTuple,
  type PendingWrite,
  type SerializerProtocol,
} from "../base";

interface Entry {
  checkpoint: Checkpoint;
  metadata: CheckpointMetadata;
  parentId: string | undefined;
}

interface StoredWrite {
  taskId: string;
  idx: number;
  channel: string;
  value: unknown;
  taskPath: string;
}

/** One namespace of a thread: checkpoints sorted by id, and the writes stored against each. */
class Namespace {
  readonly ids: string[] = [];
  readonly entries = new Map<string, Entry>();
  /** checkpoint id → `${taskId},${index}` → write. */
  readonly writes = new Map<string, Map<string, StoredWrite>>();

  add(entry: Entry): void {
    const id = entry.checkpoint.id;
    if (!this.entries.has(id)) {
      // Ids are time-ordered: almost always the newest, so the search runs from the end.
      let at = this.ids.length;
      while (at > 0 && this.ids[at - 1] > id) at--;
      this.ids.splice(at, 0, id);
    }
    this.entries.set(id, entry);
  }

  /** Writes of a checkpoint in LangGraph's order: (task path, task id, index). */
  orderedWrites(checkpointId: string): StoredWrite[] {
    const stored = this.writes.get(checkpointId);
    if (stored === undefined) return [];
    if (stored.size < 2) return [...stored.values()];
    return [...stored.values()].sort((a, b) => compareWriteKeys([a.taskPath, a.taskId, a.idx], [b.taskPath, b.taskId, b.idx]));
  }
}

export class MemorySaver extends BaseCheckpointSaver {
  /** thread_id → checkpoint_ns → checkpoints. */
  private readonly threads = new Map<string, Map<string, Namespace>>();

  constructor(serde?: SerializerProtocol) {
    super(serde);
  }

  private namespace(threadId: unknown, ns: string, create: boolean): Namespace | undefined {
    if (typeof threadId !== "string") return undefined;
    let thread = this.threads.get(threadId);
    if (thread === undefined) {
      if (!create) return undefined;
      this.threads.set(threadId, (thread = new Map()));
    }
    let namespace = thread.get(ns);
    if (namespace === undefined && create) thread.set(ns, (namespace = new Namespace()));
    return namespace;
  }

  private tuple(threadId: string, ns: string, namespace: Namespace, entry: Entry): CheckpointTuple {
    const id = entry.checkpoint.id;
    const pendingWrites: CheckpointPendingWrite[] = namespace.orderedWrites(id).map((w) => [w.taskId, w.channel, w.value]);
    let checkpoint = entry.checkpoint;
    if (checkpoint.v < 4 && entry.parentId !== undefined) checkpoint = this.migratePendingSends(checkpoint, namespace, entry.parentId);
    const tuple: CheckpointTuple = {
      config: { configurable: { thread_id: threadId, checkpoint_ns: ns, checkpoint_id: id } },
      checkpoint,
      metadata: entry.metadata,
      pendingWrites,
    };
    if (entry.parentId !== undefined) tuple.parentConfig = { configurable: { thread_id: threadId, checkpoint_ns: ns, checkpoint_id: entry.parentId } };
    return tuple;
  }

  /** Checkpoints before format 4 kept pending Sends as writes to their parent; they become the TASKS channel. */
  private migratePendingSends(checkpoint: Checkpoint, namespace: Namespace, parentId: string): Checkpoint {
    const sends = namespace.orderedWrites(parentId).filter((w) => w.channel === TASKS).map((w) => w.value);
    const versions = checkpoint.channel_versions ?? {};
    const existing = Object.values(versions);
    return {
      ...checkpoint,
      channel_values: { ...checkpoint.channel_values, [TASKS]: sends },
      channel_versions: { ...versions, [TASKS]: existing.length > 0 ? maxChannelVersion(...existing) : this.getNextVersion(undefined) },
    };
  }

  // ------------------------------------------------------------------ synchronous (Rill's engine)

  getTupleSync(config: CheckpointConfig): CheckpointTuple | undefined {
    const threadId = config.configurable?.thread_id;
    const ns = (config.configurable?.checkpoint_ns as string | undefined) ?? "";
    const namespace = this.namespace(threadId, ns, false);
    if (namespace === undefined || namespace.ids.length === 0) return undefined;
    const id = getCheckpointId(config) || namespace.ids[namespace.ids.length - 1];
    const entry = namespace.entries.get(id);
    return entry === undefined ? undefined : this.tuple(threadId as string, ns, namespace, entry);
  }

  putSync(config: CheckpointConfig, checkpoint: Checkpoint, metadata: CheckpointMetadata): CheckpointConfig {
    if (config.configurable === undefined) throw new Error('MemorySaver.put: the config has no "configurable" (it needs configurable.thread_id)');
    const threadId = config.configurable.thread_id;
    if (threadId === undefined || threadId === null || threadId === "") {
      throw new Error('MemorySaver.put: the config is missing configurable.thread_id (pass { configurable: { thread_id: "..." } })');
    }
    const ns = (config.configurable.checkpoint_ns as string | undefined) ?? "";
    const thread = String(threadId);
    this.namespace(thread, ns, true)!.add({ checkpoint, metadata, parentId: (config.configurable.checkpoint_id as string | undefined) || undefined });
    return { configurable: { thread_id: thread, checkpoint_ns: ns, checkpoint_id: checkpoint.id } };
  }

  putWritesSync(config: CheckpointConfig, writes: PendingWrite[], taskId: string, taskPath = ""): void {
    const threadId = config.configurable?.thread_id;
    const checkpointId = config.configurable?.checkpoint_id as string | undefined;
    if (threadId === undefined || threadId === null || threadId === "") throw new Error("MemorySaver.putWrites: the config is missing configurable.thread_id");
    if (!checkpointId) throw new Error(`MemorySaver.putWrites: the config is missing configurable.checkpoint_id (thread ${String(threadId)})`);
    const ns = (config.configurable?.checkpoint_ns as string | undefined) ?? "";
    const namespace = this.namespace(String(threadId), ns, true)!;
    let stored = namespace.writes.get(checkpointId);
    if (stored === undefined) namespace.writes.set(checkpointId, (stored = new Map()));
    for (let i = 0; i < writes.length; i++) {
      const [channel, value] = writes[i];
      const idx = WRITES_IDX_MAP[channel] ?? i;
      const key = `${taskId},${idx}`;
      // A regular write already stored for (task, index) is kept; special ones are replaced.
      if (idx >= 0 && stored.has(key)) continue;
      stored.set(key, { taskId, idx, channel, value, taskPath });
    }
  }

  // ------------------------------------------------------------------ BaseCheckpointSaver

  async getTuple(config: CheckpointConfig): Promise<CheckpointTuple | undefined> {
    const tuple = this.getTupleSync(config);
    if (tuple !== undefined) tuple.checkpoint = copyCheckpoint(tuple.checkpoint);
    return tuple;
  }

  async *list(config: CheckpointConfig, options: CheckpointListOptions = {}): AsyncGenerator<CheckpointTuple> {
    const { before, filter } = options;
    let limit = options.limit;
    const threadId = config.configurable?.thread_id as string | undefined;
    const wantedNs = config.configurable?.checkpoint_ns as string | undefined;
    const wantedId = config.configurable?.checkpoint_id as string | undefined;
    const beforeId = before?.configurable?.checkpoint_id as string | undefined;
    const threadIds = threadId ? [threadId] : [...this.threads.keys()];
    for (const thread of threadIds) {
      const namespaces = this.threads.get(thread);
      if (namespaces === undefined) continue;
      for (const [ns, namespace] of [...namespaces]) {
        if (wantedNs !== undefined && ns !== wantedNs) continue;
        const ids = [...namespace.ids];
        for (let i = ids.length - 1; i >= 0; i--) {
          const id = ids[i];
          if (wantedId && id !== wantedId) continue;
          if (beforeId && id >= beforeId) continue;
          const entry = namespace.entries.get(id);
          if (entry === undefined) continue;
          if (filter && !Object.entries(filter).every(([key, value]) => entry.metadata[key] === value)) continue;
          if (limit !== undefined) {
            if (limit <= 0) return;
            limit--;
          }
          const tuple = this.tuple(thread, ns, namespace, entry);
          tuple.checkpoint = copyCheckpoint(tuple.checkpoint);
          yield tuple;
        }
      }
    }
  }

  async put(config: CheckpointConfig, checkpoint: Checkpoint, metadata: CheckpointMetadata, _newVersions?: ChannelVersions): Promise<CheckpointConfig> {
    return this.putSync(config, copyCheckpoint(checkpoint), metadata);
  }

  async putWrites(config: CheckpointConfig, writes: PendingWrite[], taskId: string, taskPath?: string): Promise<void> {
    this.putWritesSync(config, writes, taskId, taskPath);
  }

  async deleteThread(threadId: string): Promise<void> {
    this.threads.delete(threadId);
  }
}
