// What the SQLite and PostgreSQL savers share: the BaseCheckpointSaver methods (put, putWrites, getTuple,
// list, deleteThread, close) over one group commit, with the refusals of a closed saver and the
// read-your-writes drain. A subclass supplies only its database's part: how a batch is committed, how
// rows are read and deleted, and what closing releases.
import {
  BaseCheckpointSaver,
  getCheckpointId,
  type ChannelVersion,
  type ChannelVersions,
  type Checkpoint,
  type CheckpointConfig,
  type CheckpointListOptions,
  type CheckpointMetadata,
  type CheckpointTuple,
  type PendingWrite,
  type SerializerProtocol,
} from "../base";
import { GroupCommit, type Batch } from "./groupCommit";
import { QueuedChains, type QueuedOp } from "./queuedChains";
import { LayoutCache, metadataMatches, nextStringVersion, prepareWrites, preparePut, threadIdOf, type SaverOp } from "./records";
import { ValueCodec } from "./serialized";

/** Rows `list` walks, newest first; `filtered` says the query already applied the whole metadata filter. */
export interface ListedRows<Row> {
  rows: Row[];
  filtered: boolean;
}

export abstract class DurableSaver<Row> extends BaseCheckpointSaver {
  /** Durable savers are written to in call order without waiting for each write (see pregel/threadStore.ts). */
  readonly ordersWrites = true;
  protected readonly codec: ValueCodec;
  protected readonly batch: GroupCommit<QueuedOp>;
  protected readonly layouts = new LayoutCache();
  protected closed = false;
  /** The engine's chains written as queued (queuedChains.ts), for a saver that asks for them (queueChains). */
  private queuedChains: QueuedChains | null = null;

  /** `saverName` names the saver in its errors ("SqliteSaver: ..."). */
  constructor(
    protected readonly saverName: string,
    serde: SerializerProtocol | undefined,
  ) {
    super(serde);
    this.codec = new ValueCodec(this.serde);
    this.batch = new GroupCommit<QueuedOp>((ops, full) => this.commitBatch(ops, full));
  }

  /**
   * Writes one group-committed batch atomically (the ops may still hold unsettled values); `full`: it
   * reached the group commit's maxBatch. Chains written as queued (ChainOp) come only to a saver that
   * called queueChains.
   */
  protected abstract commitBatch(ops: QueuedOp[], full: boolean): void | Promise<void>;

  /**
   * From now on the engine's checkpoints are written into their chains' bytes as they are queued (with the
   * default serializer: plain JSON), for a saver that sends bytes. `resolving`: true while a batch handed to
   * commitBatch holds puts whose layouts are not resolved yet; `failures`: the count of failed commits.
   */
  protected queueChains(resolving: () => boolean, failures: () => number): void {
    if (!this.codec.synchronous) return;
    this.queuedChains = new QueuedChains(this.batch, this.layouts, resolving, failures, (config, checkpoint, metadata, newVersions) =>
      preparePut(this.saverName, this.codec, config, checkpoint, metadata, newVersions, true),
    );
  }
  /** The checkpoint row `id` names, or the latest of the thread's namespace when `id` is undefined. */
  protected abstract readRow(threadId: string, ns: string, id: string | undefined): Row | undefined | Promise<Row | undefined>;
  /** The rows `list` may yield, newest first, limited by the query only where that is exact. */
  protected abstract listRows(config: CheckpointConfig, options: CheckpointListOptions): ListedRows<Row> | Promise<ListedRows<Row>>;
  protected abstract rowMetadata(row: Row): CheckpointMetadata;
  protected abstract tuple(row: Row): Promise<CheckpointTuple>;
  protected abstract deleteRows(threadId: string): void | Promise<void>;
  /** Deletes the thread's checkpoints (every namespace) after `checkpointId`, their writes, and cuts a chain holding some (cutChain). */
  protected abstract dropRowsAfter(threadId: string, checkpointId: string): void | Promise<void>;
  /** Frees the connection or file once the last batch committed. */
  protected abstract release(): void | Promise<void>;

  protected open(method: string): void {
    if (this.closed) throw new Error(`${this.saverName}.${method}: the saver is closed`);
  }

  /**
   * Numbers, as LangGraph's savers number them by default. A thread stored by an earlier Rill (versions
   * "<counter>.<suffix>") goes on with strings of that form. A row's layout names the row holding each
   * unchanged channel's value, so equal numbers on two forks of a thread never mix values up.
   */
  getNextVersion(current: number | undefined): number {
    if (typeof current === "string") return nextStringVersion(current as ChannelVersion) as unknown as number;
    return (current ?? 0) + 1;
  }

  /**
   * For Rill's engine (pregel/threadStore.ts): this saver, when its put and putWrites are this class's
   * own (not overridden), so the engine may queue writes with `queuePut`/`queueWrites` instead.
   */
  queuedWrites(): this | null {
    const own = DurableSaver.prototype;
    return this.put === own.put && this.putWrites === own.putWrites ? this : null;
  }

  /**
   * For Rill's engine, after each step: a promise while more of this saver's writes wait to be committed
   * than it keeps in flight (the run waits for it), else undefined. None by default.
   */
  backpressure(): Promise<void> | undefined {
    return undefined;
  }

  /**
   * `put` without a promise: queues the checkpoint and returns the batch that will commit it. The
   * checkpoint's channel_versions are kept as given (Rill's engine makes them anew for each checkpoint,
   * a version for every channel, and never changes them): see preparePut's `owned`.
   */
  queuePut(config: CheckpointConfig, checkpoint: Checkpoint, metadata: CheckpointMetadata, newVersions: ChannelVersions): Batch<QueuedOp> {
    this.open("put");
    if (this.queuedChains !== null && ((config.configurable?.checkpoint_ns as string | undefined) ?? "") === "") {
      const queued = this.queuedChains.put(threadIdOf(this.saverName, "put", config), config, checkpoint, metadata, newVersions);
      if (queued !== undefined) return queued;
    }
    return this.queueGeneral(preparePut(this.saverName, this.codec, config, checkpoint, metadata, newVersions, true));
  }

  /** `putWrites` without a promise: queues the writes and returns the batch that will commit them. */
  queueWrites(config: CheckpointConfig, writes: PendingWrite[], taskId: string): Batch<QueuedOp> {
    this.open("putWrites");
    if (this.queuedChains !== null) {
      const c = config.configurable;
      const queued = this.queuedChains.writes(threadIdOf(this.saverName, "putWrites", config), c?.checkpoint_id as string | undefined, (c?.checkpoint_ns as string | undefined) ?? "", writes, taskId);
      if (queued !== undefined) return queued;
    }
    return this.queueGeneral(prepareWrites(this.saverName, this.codec, config, writes, taskId));
  }

  /** Queues an operation of the general path (after the open chain, which it ends). */
  private queueGeneral(op: SaverOp): Batch<QueuedOp> {
    this.queuedChains?.general(op.kind === "put");
    return this.batch.queue(op);
  }

  /** queueGeneral, resolving once the batch committed (rejecting with its error when it failed). */
  private addGeneral(op: SaverOp): Promise<void> {
    this.queuedChains?.general(op.kind === "put");
    return this.batch.add(op);
  }

  async put(config: CheckpointConfig, checkpoint: Checkpoint, metadata: CheckpointMetadata, newVersions: ChannelVersions = {}): Promise<CheckpointConfig> {
    this.open("put");
    const op = preparePut(this.saverName, this.codec, config, checkpoint, metadata, newVersions);
    await this.addGeneral(op);
    return { configurable: { thread_id: op.threadId, checkpoint_ns: op.ns, checkpoint_id: op.id } };
  }

  async putWrites(config: CheckpointConfig, writes: PendingWrite[], taskId: string, taskPath?: string): Promise<void> {
    this.open("putWrites");
    await this.addGeneral(prepareWrites(this.saverName, this.codec, config, writes, taskId, taskPath));
  }

  async getTuple(config: CheckpointConfig): Promise<CheckpointTuple | undefined> {
    this.open("getTuple");
    const threadId = config.configurable?.thread_id;
    if ((typeof threadId !== "string" && typeof threadId !== "number") || threadId === "") return undefined;
    if (this.batch.busy) await this.batch.drain();
    const ns = (config.configurable?.checkpoint_ns as string | undefined) ?? "";
    const row = await this.readRow(String(threadId), ns, getCheckpointId(config));
    return row === undefined ? undefined : this.tuple(row);
  }

  async *list(config: CheckpointConfig, options: CheckpointListOptions = {}): AsyncGenerator<CheckpointTuple> {
    this.open("list");
    if (this.batch.busy) await this.batch.drain();
    const { rows, filtered } = await this.listRows(config, options);
    let remaining = options.limit;
    for (const row of rows) {
      if (!filtered && !metadataMatches(this.rowMetadata(row), options.filter)) continue;
      if (remaining !== undefined) {
        if (remaining <= 0) return;
        remaining--;
      }
      yield await this.tuple(row);
    }
  }

  async deleteThread(threadId: string): Promise<void> {
    this.open("deleteThread");
    if (this.batch.busy) await this.batch.drain();
    const id = String(threadId);
    this.layouts.forgetThread(id);
    await this.deleteRows(id);
  }

  /**
   * Drops the thread's checkpoints (every namespace) made after checkpoint `checkpointId`, and the writes
   * made on them (a rollback), after what is queued committed, as deleteThread drops a whole thread.
   */
  async dropCheckpointsAfter(threadId: string, checkpointId: string): Promise<void> {
    this.open("dropCheckpointsAfter");
    if (this.batch.busy) await this.batch.drain();
    this.layouts.forgetThread(threadId);
    await this.dropRowsAfter(threadId, checkpointId);
  }

  /** Commits what is queued, then releases the database (a closed saver refuses every call). */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.batch.drain();
    this.closed = true;
    await this.release();
  }
}

/** The WHERE clauses (with one `?` each) `list` filters by: thread, namespace, checkpoint id, and `before`. */
export function listClauses(config: CheckpointConfig, options: CheckpointListOptions): { clauses: string[]; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  const add = (clause: string, value: unknown) => (clauses.push(clause), params.push(value));
  const c = config.configurable ?? {};
  if ((typeof c.thread_id === "string" && c.thread_id !== "") || typeof c.thread_id === "number") add("thread_id = ?", String(c.thread_id));
  if (typeof c.checkpoint_ns === "string") add("checkpoint_ns = ?", c.checkpoint_ns);
  if (typeof c.checkpoint_id === "string" && c.checkpoint_id !== "") add("checkpoint_id = ?", c.checkpoint_id);
  const before = options.before?.configurable?.checkpoint_id;
  if (typeof before === "string" && before !== "") add("checkpoint_id < ?", before);
  return { clauses, params };
}

/** Loads each parent checkpoint a tuple needs at most once (assembleTuple's `source`). */
export function memoizedSource(load: (id: string) => Promise<Checkpoint | undefined>): (id: string) => Promise<Checkpoint | undefined> {
  const sources = new Map<string, Promise<Checkpoint | undefined>>();
  return (id) => {
    let found = sources.get(id);
    if (found === undefined) {
      found = load(id);
      sources.set(id, found);
    }
    return found;
  };
}
