// A run's view of its checkpointer: one thread and namespace. Rill's own MemorySaver (exactly that
// class) is called synchronously, so checkpointing costs no promise per step and works under
// streamSync. Any other saver (LangGraph's, a subclass overriding getTuple/put/putWrites, ...) is
// called through LangGraph's async contract: loads are awaited, writes go out in the background in
// order, and the run awaits them before it ends. For those savers each checkpoint gets channel
// versions (a channel's version moves when its value changed), and `put` gets the changed ones as
// `newVersions`, so savers that store only changed channels (LangGraph's Postgres saver) keep them all.
// A saver declaring `ordersWrites = true` (Rill's SQLite and PostgreSQL savers: they apply writes in call
// order and group-commit them) is called at once for each write instead of after the previous one
// resolved, so one transaction can hold many steps. When their put and putWrites are their own
// (`queuedWrites()`), the engine queues each write without a promise (`queuePut`/`queueWrites`) and, when
// it flushes, waits once for the last batch it joined and checks whether any of its batches failed; after
// each step the run waits while the saver holds more unwritten rows than it keeps in flight (backpressure).
import type { Batch } from "../checkpoint/durable/groupCommit";
import type {
  BaseCheckpointSaver,
  ChannelVersions,
  Checkpoint,
  CheckpointConfig,
  CheckpointMetadata,
  CheckpointTuple,
  PendingWrite,
} from "../checkpoint/base";
import { MemorySaver } from "../checkpoint/memory/memorySaver";

/**
 * True for Rill's own MemorySaver, neither a subclass nor an instance with a method replaced: only then
 * may the engine bypass the async methods.
 */
export function isOwnMemorySaver(saver: BaseCheckpointSaver): saver is MemorySaver {
  const own = MemorySaver.prototype;
  return (
    Object.getPrototypeOf(saver) === own &&
    saver.getTuple === own.getTuple &&
    saver.put === own.put &&
    saver.putWrites === own.putWrites &&
    saver.getNextVersion === own.getNextVersion
  );
}

function noop(): void {}

/** What Rill's durable savers (checkpoint/durable/durableSaver.ts) offer the engine: writes queued without a promise each. */
interface QueueingSaver {
  queuePut(config: CheckpointConfig, checkpoint: Checkpoint, metadata: CheckpointMetadata, newVersions: ChannelVersions): Batch<unknown>;
  queueWrites(config: CheckpointConfig, writes: PendingWrite[], taskId: string): Batch<unknown>;
  /** A promise while the saver holds more unwritten rows than it allows (the run waits for it). */
  backpressure?(): Promise<void> | undefined;
}

function queueingSaver(saver: BaseCheckpointSaver): QueueingSaver | null {
  const queued = (saver as { queuedWrites?: () => QueueingSaver | null }).queuedWrites;
  return typeof queued === "function" ? queued.call(saver) : null;
}

export class ThreadStore {
  private chain: Promise<void> | null = null;
  private failure: { error: unknown } | null = null;
  private readonly own: MemorySaver | null;
  private readonly ordered: boolean;
  private readonly queueing: QueueingSaver | null;
  /** Queueing savers: the batches this run's writes joined since the last flush (each once, in order). */
  private batches: Batch<unknown>[] = [];
  /** How many of `batches` (from the first) are known to have committed. */
  private checkedBatches = 0;
  /** Async savers: the versions and values of the last checkpoint loaded or written. */
  private versions: ChannelVersions = {};
  private values: Record<string, unknown> = {};
  /** Other savers: what every config's `configurable` holds (configFor). */
  private baseConfigurable: Record<string, unknown> | null = null;
  /** The run's configurable holds nothing but the thread and namespace: configs are built without copying it. */
  private readonly onlyThread: boolean;

  constructor(
    readonly saver: BaseCheckpointSaver,
    readonly threadId: string,
    readonly checkpointNs: string,
    sync: boolean,
    /** The run's `configurable`: other savers get its keys too, as LangGraph.js passes them on. */
    readonly runConfigurable: Record<string, unknown> = {},
  ) {
    this.own = isOwnMemorySaver(saver) ? saver : null;
    this.ordered = (saver as { ordersWrites?: unknown }).ordersWrites === true;
    this.queueing = this.own === null ? queueingSaver(saver) : null;
    this.onlyThread = Object.keys(runConfigurable).every((key) => key === "thread_id" || key === "checkpoint_ns" || key === "checkpoint_id");
    if (sync && this.own === null) {
      throw new Error("streamSync with a checkpointer needs Rill's MemorySaver (other savers are asynchronous); use stream() instead.");
    }
  }

  configFor(checkpointId?: string): CheckpointConfig {
    let configurable: Record<string, unknown>;
    if (this.own !== null || this.onlyThread) configurable = { thread_id: this.threadId, checkpoint_ns: this.checkpointNs };
    else configurable = { ...(this.baseConfigurable ??= this.configurableOf()) };
    if (checkpointId !== undefined) configurable.checkpoint_id = checkpointId;
    return { configurable };
  }

  /** The run's configurable with this thread and namespace, without a checkpoint id (built once, without `delete`: copies of it stay cheap). */
  private configurableOf(): Record<string, unknown> {
    const base: Record<string, unknown> = {};
    for (const [key, value] of Object.entries({ ...this.runConfigurable, thread_id: this.threadId, checkpoint_ns: this.checkpointNs })) {
      if (key !== "checkpoint_id") base[key] = value;
    }
    return base;
  }

  load(checkpointId?: string): CheckpointTuple | undefined | Promise<CheckpointTuple | undefined> {
    const config = this.configFor(checkpointId);
    if (this.own !== null) return this.own.getTupleSync(config);
    return this.saver.getTuple(config).then((tuple) => this.loaded(tuple));
  }

  /** The newest checkpoint made before checkpoint `beforeId` (a subgraph's state as of a parent checkpoint replayed). */
  loadBefore(beforeId: string): CheckpointTuple | undefined | Promise<CheckpointTuple | undefined> {
    const config = this.configFor();
    if (this.own !== null) return this.own.getTupleBeforeSync(config, beforeId);
    return (async () => {
      for await (const tuple of this.saver.list(config, { before: { configurable: { checkpoint_id: beforeId } }, limit: 1 })) return this.loaded(tuple);
      return undefined;
    })();
  }

  private loaded(tuple: CheckpointTuple | undefined): CheckpointTuple | undefined {
    if (tuple !== undefined) {
      this.versions = { ...(tuple.checkpoint.channel_versions ?? {}) };
      this.values = tuple.checkpoint.channel_values ?? {};
    }
    return tuple;
  }

  /** Stores `checkpoint` as a child of `parent`; returns the config naming it. */
  put(parent: CheckpointConfig | undefined, checkpoint: Checkpoint, metadata: CheckpointMetadata): CheckpointConfig {
    const config = parent ?? this.configFor();
    if (this.own !== null) this.own.putSync(config, checkpoint, metadata);
    else {
      const newVersions = this.version(checkpoint);
      if (this.queueing !== null) this.queue(() => this.queueing!.queuePut(config, checkpoint, metadata, newVersions));
      else {
        const saver = this.saver;
        this.enqueue(() => saver.put(config, checkpoint, metadata, newVersions), true);
      }
    }
    return this.configFor(checkpoint.id);
  }

  putWrites(config: CheckpointConfig, writes: PendingWrite[], taskId: string): void {
    if (this.own !== null) this.own.putWritesSync(config, writes, taskId);
    else if (this.queueing !== null) this.queue(() => this.queueing!.queueWrites(config, writes, taskId));
    else {
      const saver = this.saver;
      this.enqueue(() => saver.putWrites(config, writes, taskId), false);
    }
  }

  /** A promise while the saver has more of the run's writes waiting than it keeps in flight, else undefined. */
  backpressure(): Promise<void> | undefined {
    return this.queueing?.backpressure?.();
  }

  /** Resolves when every write reached the saver; rejects with the first failed write. */
  flush(): Promise<void> | undefined {
    if (this.failure) throw this.failure.error;
    if (this.batches.length > 0) return this.settleBatches();
    if (this.chain === null) return undefined;
    return this.chain.then(() => {
      if (this.failure) throw this.failure.error;
    });
  }

  private queue(write: () => Batch<unknown>): void {
    // As LangGraph.js's chained puts: once a transaction failed, nothing after it is written (a later
    // checkpoint stored without its parent would leave a hole in the thread's history).
    if (this.failure !== null || this.sawFailedBatch()) return;
    let batch: Batch<unknown>;
    try {
      batch = write();
    } catch (error) {
      this.failure ??= { error };
      return;
    }
    if (this.batches[this.batches.length - 1] !== batch) this.batches.push(batch);
  }

  /** True when a batch queued so far ran and failed (then it is the failure); reads each batch once. */
  private sawFailedBatch(): boolean {
    const batches = this.batches;
    while (this.checkedBatches < batches.length && batches[this.checkedBatches].done) {
      const failure = batches[this.checkedBatches].failure;
      if (failure !== null) {
        this.failure ??= failure;
        return true;
      }
      this.checkedBatches++;
    }
    return false;
  }

  private settleBatches(): Promise<void> {
    const batches = this.batches;
    this.batches = [];
    this.checkedBatches = 0;
    return batches[batches.length - 1].settled(true).then(() => {
      for (const batch of batches) if (batch.failure !== null) this.failure ??= batch.failure;
      if (this.failure) throw this.failure.error;
    });
  }

  /** Gives the checkpoint its channel versions; returns those that moved (new or changed values). */
  private version(checkpoint: Checkpoint): ChannelVersions {
    const values = checkpoint.channel_values;
    const versions: ChannelVersions = {};
    const moved: ChannelVersions = {};
    const before = this.values;
    for (const key in values) {
      const previous = this.versions[key];
      const value = values[key];
      if (previous !== undefined && before[key] === value && (value !== undefined || key in before)) versions[key] = previous;
      else versions[key] = moved[key] = this.saver.getNextVersion(previous as number | undefined);
    }
    checkpoint.channel_versions = versions;
    this.versions = versions;
    this.values = values;
    return moved;
  }

  private enqueue(write: () => Promise<unknown>, isPut: boolean): void {
    if (this.ordered) {
      const written = write().then(
        () => undefined,
        (error: unknown) => void (this.failure ??= { error }),
      );
      this.chain = this.chain === null ? written : this.chain.then(() => written);
      return;
    }
    // As LangGraph.js: checkpoints go out one after the other, and a write waits only for the checkpoint
    // before it (not for other writes), so a saver slow on one call does not hold back the next checkpoint.
    const run = async () => {
      try {
        await write();
      } catch (error) {
        this.failure ??= { error };
      }
    };
    const started = this.lastPut === null ? run() : this.lastPut.then(run);
    if (isPut) this.lastPut = started;
    this.chain = this.chain === null ? started : Promise.all([this.chain, started]).then(noop);
  }

  /** Async savers: the last checkpoint written (writes and the next checkpoint wait for it). */
  private lastPut: Promise<void> | null = null;
}
