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
  writeIndex,
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
  writes: WriteSet | null;
}

interface StoredWrite {
  taskId: string;
  idx: number;
  channel: string;
  value: unknown;
  taskPath: string;
}

/** The writes stored against one checkpoint, with LangGraph's rule for a (task, index) already stored. */
class WriteSet {
  readonly list: StoredWrite[] = [];
  /** task id → positions in `list`; built once the list is long enough for a scan to matter. */
  private index: Map<string, number[]> | null = null;

  put(write: StoredWrite): void {
    const at = this.find(write.taskId, write.idx);
    if (at < 0) {
      this.list.push(write);
      if (this.index !== null) this.indexAt(this.list.length - 1);
    } else if (write.idx < 0) this.list[at] = write; // errors, interrupts, resumes are replaced; regular writes kept
  }

  /** In LangGraph's order: (task path, task id, index). */
  ordered(): StoredWrite[] {
    const all = [...this.list];
    return all.length < 2 ? all : all.sort((a, b) => compareWriteKeys([a.taskPath, a.taskId, a.idx], [b.taskPath, b.taskId, b.idx]));
  }

  private find(taskId: string, idx: number): number {
    const list = this.list;
    if (this.index === null) {
      if (list.length <= 16) {
        for (let i = 0; i < list.length; i++) if (list[i].idx === idx && list[i].taskId === taskId) return i;
        return -1;
      }
      this.index = new Map();
      for (let i = 0; i < list.length; i++) this.indexAt(i);
    }
    const positions = this.index.get(taskId);
    if (positions !== undefined) for (const i of positions) if (list[i].idx === idx) return i;
    return -1;
  }

  private indexAt(i: number): void {
    const taskId = this.list[i].taskId;
    const positions = this.index!.get(taskId);
    if (positions === undefined) this.index!.set(taskId, [i]);
    else positions.push(i);
  }
}

/** One namespace of a thread: checkpoints sorted by id, each with the writes stored against it. */
class Namespace {
  readonly entries: Entry[] = [];
  /** Writes stored against an id no checkpoint has (yet): LangGraph's savers accept them. */
  private orphans: Map<string, WriteSet> | null = null;

  add(entry: Entry): void {
    const entries = this.entries;
    const id = entry.checkpoint.id;
    if (this.orphans !== null) {
      entry.writes = this.orphans.get(id) ?? null;
      this.orphans.delete(id);
    }
    // Ids are time-ordered: a new checkpoint is almost always the newest.
    if (entries.length === 0 || entries[entries.length - 1].checkpoint.id < id) {
      entries.push(entry);
      return;
    }
    const at = this.search(id);
    if (at < entries.length && entries[at].checkpoint.id === id) {
      entry.writes = entries[at].writes ?? entry.writes;
      entries[at] = entry;
    } else entries.splice(at, 0, entry);
  }

  find(id: string): Entry | undefined {
    const entries = this.entries;
    const last = entries[entries.length - 1];
    if (last === undefined || last.checkpoint.id === id) return last;
    const at = this.search(id);
    return at < entries.length && entries[at].checkpoint.id === id ? entries[at] : undefined;
  }

  latest(): Entry | undefined {
    return this.entries[this.entries.length - 1];
  }

  /** The newest checkpoint with an id below `id`. */
  latestBefore(id: string): Entry | undefined {
    return this.entries[this.search(id) - 1];
  }

  /** Drops the checkpoints with ids after `id` (and their writes). */
  dropAfter(id: string): void {
    let at = this.search(id);
    if (at < this.entries.length && this.entries[at].checkpoint.id === id) at += 1;
    this.entries.length = at;
    for (const orphanId of this.orphans?.keys() ?? []) if (orphanId > id) this.orphans!.delete(orphanId);
  }

  writesFor(id: string, create: boolean): WriteSet | null {
    const entry = this.find(id);
    if (entry !== undefined) {
      if (entry.writes === null && create) entry.writes = new WriteSet();
      return entry.writes;
    }
    let orphan = this.orphans?.get(id) ?? null;
    if (orphan === null && create) (this.orphans ??= new Map()).set(id, (orphan = new WriteSet()));
    return orphan;
  }

  /** Writes of a checkpoint in LangGraph's order: (task path, task id, index). */
  orderedWrites(id: string): StoredWrite[] {
    return this.writesFor(id, false)?.ordered() ?? [];
  }

  /** The first position whose id is not below `id`. */
  private search(id: string): number {
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.entries[mid].checkpoint.id < id) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

export class MemorySaver extends BaseCheckpointSaver {
  /** thread_id → checkpoint_ns → checkpoints. */
  private readonly threads = new Map<string, Map<string, Namespace>>();

  constructor(serde?: SerializerProtocol) {
    super(serde);
  }

  private namespace(threadId: string | undefined, ns: string, create: boolean): Namespace | undefined {
    if (threadId === undefined) return undefined;
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
    const pendingWrites: CheckpointPendingWrite[] = entry.writes === null ? [] : entry.writes.ordered().map((w) => [w.taskId, w.channel, w.value]);
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
    const threadId = threadKey(config.configurable?.thread_id);
    const ns = (config.configurable?.checkpoint_ns as string | undefined) ?? "";
    const namespace = this.namespace(threadId, ns, false);
    if (namespace === undefined) return undefined;
    const id = getCheckpointId(config);
    const entry = id ? namespace.find(id) : namespace.latest();
    return entry === undefined ? undefined : this.tuple(threadId!, ns, namespace, entry);
  }

  /** The newest checkpoint of the config's thread and namespace made before checkpoint `beforeId` (list with `before`, limit 1). */
  getTupleBeforeSync(config: CheckpointConfig, beforeId: string): CheckpointTuple | undefined {
    const threadId = threadKey(config.configurable?.thread_id);
    const ns = (config.configurable?.checkpoint_ns as string | undefined) ?? "";
    const namespace = this.namespace(threadId, ns, false);
    const entry = namespace?.latestBefore(beforeId);
    return entry === undefined ? undefined : this.tuple(threadId!, ns, namespace!, entry);
  }

  putSync(config: CheckpointConfig, checkpoint: Checkpoint, metadata: CheckpointMetadata): CheckpointConfig {
    if (config.configurable === undefined) throw new Error('MemorySaver.put: the config has no "configurable" (it needs configurable.thread_id)');
    const thread = threadKey(config.configurable.thread_id);
    if (thread === undefined) {
      throw new Error(`MemorySaver.put: configurable.thread_id must be a non-empty string, got ${describe(config.configurable.thread_id)} (pass { configurable: { thread_id: "..." } })`);
    }
    const ns = (config.configurable.checkpoint_ns as string | undefined) ?? "";
    this.namespace(thread, ns, true)!.add({ checkpoint, metadata, parentId: (config.configurable.checkpoint_id as string | undefined) || undefined, writes: null });
    return { configurable: { thread_id: thread, checkpoint_ns: ns, checkpoint_id: checkpoint.id } };
  }

  putWritesSync(config: CheckpointConfig, writes: PendingWrite[], taskId: string, taskPath = ""): void {
    const threadId = threadKey(config.configurable?.thread_id);
    const checkpointId = config.configurable?.checkpoint_id as string | undefined;
    if (threadId === undefined) throw new Error(`MemorySaver.putWrites: configurable.thread_id must be a non-empty string, got ${describe(config.configurable?.thread_id)}`);
    if (!checkpointId) throw new Error(`MemorySaver.putWrites: the config is missing configurable.checkpoint_id (thread ${threadId})`);
    const ns = (config.configurable?.checkpoint_ns as string | undefined) ?? "";
    const stored = this.namespace(threadId, ns, true)!.writesFor(checkpointId, true)!;
    for (let i = 0; i < writes.length; i++) {
      const [channel, value] = writes[i];
      stored.put({ taskId, idx: writeIndex(channel, i), channel, value, taskPath });
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
    const threadId = threadKey(config.configurable?.thread_id);
    const wantedNs = config.configurable?.checkpoint_ns as string | undefined;
    const wantedId = config.configurable?.checkpoint_id as string | undefined;
    const beforeId = before?.configurable?.checkpoint_id as string | undefined;
    const threadIds = threadId ? [threadId] : [...this.threads.keys()];
    for (const thread of threadIds) {
      const namespaces = this.threads.get(thread);
      if (namespaces === undefined) continue;
      for (const [ns, namespace] of [...namespaces]) {
        if (wantedNs !== undefined && ns !== wantedNs) continue;
        const entries = [...namespace.entries];
        for (let i = entries.length - 1; i >= 0; i--) {
          const entry = entries[i];
          const id = entry.checkpoint.id;
          if (wantedId && id !== wantedId) continue;
          if (beforeId && id >= beforeId) continue;
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
    this.threads.delete(String(threadId));
  }

  /**
   * Drops the thread's checkpoints (every namespace) with ids after `checkpointId`, and their writes: what
   * the runs since that checkpoint made (Rill's server rolls a cancelled run back with it). Not in LangGraph.
   */
  async deleteCheckpointsAfter(threadId: string, checkpointId: string): Promise<void> {
    for (const namespace of this.threads.get(String(threadId))?.values() ?? []) namespace.dropAfter(checkpointId);
  }
}

/** Thread ids are strings (numbers are taken as their string, as put stores them); anything else names no thread. */
function threadKey(value: unknown): string | undefined {
  if (typeof value === "string") return value === "" ? undefined : value;
  if (typeof value === "number") return String(value);
  return undefined;
}

function describe(value: unknown): string {
  return value === undefined ? "nothing" : value === null ? "null" : value === "" ? "an empty string" : typeof value;
}
