// In-memory checkpointer: threads live in this process only (tests, demos, a single server). It
// answers synchronously too, so runs checkpoint without a promise per step and streamSync can use it.
// Checkpoints hold the state by reference (the engine never mutates a state object once written).
import type {
  Checkpoint,
  CheckpointConfig,
  CheckpointListOptions,
  CheckpointMetadata,
  CheckpointTuple,
  PendingWrite,
  SyncCheckpointSaver,
} from "../base";

interface Entry {
  checkpoint: Checkpoint;
  metadata: CheckpointMetadata;
  parentId: string | undefined;
  writes: PendingWrite[];
}

export class MemorySaver implements SyncCheckpointSaver {
  /** thread_id → checkpoint_ns → entries in creation order. */
  private readonly threads = new Map<string, Map<string, Entry[]>>();

  private entries(config: CheckpointConfig, create: boolean): Entry[] | undefined {
    const threadId = config.configurable.thread_id;
    if (threadId === undefined) throw new Error('MemorySaver needs configurable.thread_id');
    const ns = config.configurable.checkpoint_ns ?? "";
    let thread = this.threads.get(threadId);
    if (!thread) {
      if (!create) return undefined;
      thread = new Map();
      this.threads.set(threadId, thread);
    }
    let list = thread.get(ns);
    if (!list && create) thread.set(ns, (list = []));
    return list;
  }

  private find(config: CheckpointConfig): Entry | undefined {
    const list = this.entries(config, false);
    if (!list || list.length === 0) return undefined;
    const id = config.configurable.checkpoint_id;
    if (id === undefined) return list[list.length - 1];
    for (let i = list.length - 1; i >= 0; i--) if (list[i].checkpoint.id === id) return list[i];
    return undefined;
  }

  private tuple(config: CheckpointConfig, entry: Entry): CheckpointTuple {
    const { thread_id, checkpoint_ns } = config.configurable;
    const ns = checkpoint_ns ?? "";
    const tuple: CheckpointTuple = {
      config: { configurable: { thread_id, checkpoint_ns: ns, checkpoint_id: entry.checkpoint.id } },
      checkpoint: entry.checkpoint,
      metadata: entry.metadata,
      pendingWrites: [...entry.writes],
    };
    if (entry.parentId !== undefined) tuple.parentConfig = { configurable: { thread_id, checkpoint_ns: ns, checkpoint_id: entry.parentId } };
    return tuple;
  }

  getTupleSync(config: CheckpointConfig): CheckpointTuple | undefined {
    const entry = this.find(config);
    return entry ? this.tuple(config, entry) : undefined;
  }

  putSync(config: CheckpointConfig, checkpoint: Checkpoint, metadata: CheckpointMetadata): CheckpointConfig {
    const list = this.entries(config, true)!;
    list.push({ checkpoint, metadata, parentId: config.configurable.checkpoint_id, writes: [] });
    return {
      configurable: {
        thread_id: config.configurable.thread_id,
        checkpoint_ns: config.configurable.checkpoint_ns ?? "",
        checkpoint_id: checkpoint.id,
      },
    };
  }

  putWritesSync(config: CheckpointConfig, writes: Array<[string, unknown]>, taskId: string): void {
    const entry = this.find(config);
    if (!entry || config.configurable.checkpoint_id === undefined) {
      throw new Error(`MemorySaver: no checkpoint ${config.configurable.checkpoint_id} in thread ${config.configurable.thread_id}`);
    }
    for (const [channel, value] of writes) {
      const existing = entry.writes.findIndex(([t, c]) => t === taskId && c === channel);
      if (existing >= 0) entry.writes[existing] = [taskId, channel, value];
      else entry.writes.push([taskId, channel, value]);
    }
  }

  async getTuple(config: CheckpointConfig): Promise<CheckpointTuple | undefined> {
    return this.getTupleSync(config);
  }

  async *list(config: CheckpointConfig, options: CheckpointListOptions = {}): AsyncGenerator<CheckpointTuple> {
    const list = this.entries(config, false);
    if (!list) return;
    let remaining = options.limit ?? Number.POSITIVE_INFINITY;
    let i = list.length - 1;
    const before = options.before?.configurable.checkpoint_id;
    if (before !== undefined) {
      while (i >= 0 && list[i].checkpoint.id !== before) i--;
      i--;
    }
    for (; i >= 0 && remaining > 0; i--) {
      const entry = list[i];
      if (options.filter && !Object.entries(options.filter).every(([k, v]) => entry.metadata[k] === v)) continue;
      remaining--;
      yield this.tuple(config, entry);
    }
  }

  async put(config: CheckpointConfig, checkpoint: Checkpoint, metadata: CheckpointMetadata): Promise<CheckpointConfig> {
    return this.putSync(config, checkpoint, metadata);
  }

  async putWrites(config: CheckpointConfig, writes: Array<[string, unknown]>, taskId: string): Promise<void> {
    this.putWritesSync(config, writes, taskId);
  }

  async deleteThread(threadId: string): Promise<void> {
    this.threads.delete(threadId);
  }
}
