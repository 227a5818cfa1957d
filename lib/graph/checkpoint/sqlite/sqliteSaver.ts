// A durable checkpointer in one SQLite file (or ":memory:"), on better-sqlite3 12. WAL mode with
// synchronous=NORMAL: a commit survives the process being killed (SIGKILL, crash) at any point, and a
// transaction cut off mid-way is rolled back when the file is next opened; a power loss may lose the
// last commits but never corrupts the file. Writes are group-committed: everything `put`/`putWrites`
// receive in one tick goes in one transaction, and each call resolves once that transaction committed.
// Reads first commit what is queued, so a caller always reads its own writes. A store in a file commits
// on a thread of its own (commitThread.ts), beside the engine's steps, unless `commitThread: false`; there
// the engine's consecutive checkpoints of a batch go in one row (a chain: ../durable/chains.ts).
import type { EventLoopUtilization } from "node:perf_hooks";
import Database from "better-sqlite3";
import { TASKS, type Checkpoint, type CheckpointConfig, type CheckpointListOptions, type CheckpointMetadata, type CheckpointTuple, type SerializerProtocol } from "../base";
import { DurableSaver, listClauses, memoizedSource, type ListedRows } from "../durable/durableSaver";
import { assembleTuple, parseLayout, type CheckpointRow, type Layout, type ResolvedLayouts, type SaverOp, type WriteRecord, type WriteRow } from "../durable/records";
import { chainedLayout, failuresWhenBegun, type ChainOp, type QueuedOp } from "../durable/queuedChains";
import { settle } from "../durable/serialized";
import { chainEntries, chainQuery, compareText, cutChain, mergeWrites, withChained, type ChainKey, type ChainRow, type CheckpointTableRow } from "../durable/chains";
import { flattenBatch, type FlatBatch } from "./flatBatch";
import { CommitThread } from "./commitThread";
import { migrate } from "./schema";

export interface SqliteSaverOptions {
  /** LangGraph's serializer protocol; plain JSON by default. */
  serde?: SerializerProtocol;
  /**
   * Commit on a worker thread of its own, beside the engine's steps (a file path only; the default for
   * one). false: on the caller's thread, between the engine's steps: one thread fewer, for a process
   * that has no core to spare for it (on a saturated machine the thread only moves the same work; see
   * the README's durable checkpointer figures). A store in memory or a Database handle always commits
   * on the caller's thread.
   */
  commitThread?: boolean;
}

const PUT_CHECKPOINT = `INSERT INTO checkpoints (thread_id, checkpoint_ns, checkpoint_id, parent_id, type, checkpoint, metadata, layout) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT DO UPDATE SET parent_id = excluded.parent_id, type = excluded.type, checkpoint = excluded.checkpoint, metadata = excluded.metadata, layout = excluded.layout`;
const writesInsert = (replace: boolean, rows: number) =>
  `INSERT OR ${replace ? "REPLACE" : "IGNORE"} INTO writes (thread_id, checkpoint_ns, checkpoint_id, task_id, idx, channel, type, value, task_path) VALUES ` +
  Array.from({ length: rows }, () => "(?, ?, ?, ?, ?, ?, ?, ?, ?)").join(", ");
const KEEP_WRITE = writesInsert(false, 1);
const REPLACE_WRITE = writesInsert(true, 1);
// The commit thread's statements for rows in the root namespace, JSON-encoded, without a task path.
const PUT_ROOT_CHECKPOINT = PUT_CHECKPOINT.replace("VALUES (?, ?, ?, ?, ?, ?, ?, ?)", "VALUES (?, '', ?, ?, 'json', ?, ?, ?)");
const rootWriteInsert = (replace: boolean) => writesInsert(replace, 1).replace("(?, ?, ?, ?, ?, ?, ?, ?, ?)", "(?, '', ?, ?, ?, ?, 'json', ?, '')");
const PUT_CHAIN = `INSERT INTO checkpoint_chains (thread_id, checkpoint_ns, first_id, last_id, parent_id, body) VALUES (?, '', ?, ?, ?, ?)`;
/** The page size of a store created here (SQLite's default is 4096). */
export const PAGE_SIZE = 16384;
/** A commit thread's batches (full ones sent at once, in the transaction of the next). */
const PIPELINED_BATCH = 64;
/** Up to this many writes of one task go in one INSERT (statements prepared once per count). */
const MAX_ROWS_PER_INSERT = 8;

type Row = CheckpointTableRow;

export class SqliteSaver extends DurableSaver<Row> {
  readonly db: Database.Database;
  private readonly stmt;
  private readonly commitSync: (ops: SaverOp[]) => void;
  private readonly readLayout: (threadId: string, ns: string, id: string) => Layout | undefined;
  /** Commits go to a thread of its own (started at the first commit: a saver that only reads starts none). */
  private readonly onThread: boolean;
  private thread: CommitThread | null = null;
  /** INSERTs of n writes, by n (keeping the first of a key, or replacing it). */
  private readonly keepMany: Array<Database.Statement | undefined> = [];
  private readonly replaceMany: Array<Database.Statement | undefined> = [];
  /** The layouts of the puts sent to the commit thread and not yet known committed (their rows cannot be read back yet). */
  private readonly sentLayouts: ResolvedLayouts = new Map();
  /** The chains (written as queued) of the batches sent to the commit thread and not yet known committed. */
  private readonly sentChains = new Set<ChainOp>();
  /** Batches sent to the commit thread (the empty ones ending a transaction included). */
  private sentBatches = 0;
  /** Transactions of the commit thread that failed so far. */
  private failures = 0;
  /**
   * Batches the commit thread may have unanswered before a run waits (backpressure): 64 batches of 64
   * operations, about 2,000 steps of a small graph; the run goes on once half of them are answered.
   */
  unansweredLimit = 64;

  /** Opens (creating if needed) the store at `filename` (a path or ":memory:"). */
  constructor(filename: string | Database.Database = ":memory:", options: SqliteSaverOptions = {}) {
    super("SqliteSaver", options.serde);
    const where = typeof filename === "string" ? (filename === ":memory:" ? "the in-memory database" : filename) : filename.name;
    try {
      this.db = typeof filename === "string" ? new Database(filename) : filename;
    } catch (error) {
      throw new Error(`SqliteSaver: cannot open ${where}: ${(error as Error).message}`);
    }
    // 16 KB pages in a new file (an existing one keeps its own): a step's rows fill a quarter of the pages,
    // so its commits write, and SQLite's WAL checkpoints copy, a quarter of the frames (one system call each).
    this.db.pragma(`page_size = ${PAGE_SIZE}`);
    this.db.pragma("journal_mode = WAL");
    this.db.pragma("synchronous = NORMAL");
    this.db.pragma("busy_timeout = 5000");
    this.db.pragma("cache_size = -16000"); // 16 MB of page cache (the default 2 MB makes a large store's inserts miss)
    migrate(this.db, where);
    const db = this.db;
    this.stmt = {
      putCheckpoint: db.prepare(PUT_CHECKPOINT),
      layout: db.prepare(`SELECT layout FROM checkpoints WHERE thread_id = ? AND checkpoint_ns = ? AND checkpoint_id = ?`).pluck(),
      keepWrite: db.prepare(KEEP_WRITE),
      replaceWrite: db.prepare(REPLACE_WRITE),
      latest: db.prepare(`SELECT * FROM checkpoints WHERE thread_id = ? AND checkpoint_ns = ? ORDER BY checkpoint_id DESC LIMIT 1`),
      byId: db.prepare(`SELECT * FROM checkpoints WHERE thread_id = ? AND checkpoint_ns = ? AND checkpoint_id = ?`),
      writes: db.prepare(
        `SELECT task_id AS taskId, idx, channel, type, value AS data, task_path AS taskPath FROM writes WHERE thread_id = ? AND checkpoint_ns = ? AND checkpoint_id = ? ORDER BY task_path, task_id, idx`,
      ),
      sends: db.prepare(
        `SELECT task_id AS taskId, idx, channel, type, value AS data, task_path AS taskPath FROM writes WHERE thread_id = ? AND checkpoint_ns = ? AND checkpoint_id = ? AND channel = '${TASKS}' ORDER BY task_path, task_id, idx`,
      ),
      // The chains that may hold a checkpoint id, the one holding it usually first; the thread's newest chain.
      chainsHolding: db.prepare(`SELECT * FROM checkpoint_chains WHERE thread_id = ? AND checkpoint_ns = ? AND first_id <= ? AND last_id >= ? ORDER BY first_id DESC`),
      latestChain: db.prepare(`SELECT * FROM checkpoint_chains WHERE thread_id = ? AND checkpoint_ns = ? ORDER BY last_id DESC LIMIT 1`),
      chainBody: db.prepare(`SELECT * FROM checkpoint_chains WHERE thread_id = ? AND checkpoint_ns = ? AND first_id = ?`),
      deleteCheckpoints: db.prepare(`DELETE FROM checkpoints WHERE thread_id = ?`),
      deleteWrites: db.prepare(`DELETE FROM writes WHERE thread_id = ?`),
      deleteChains: db.prepare(`DELETE FROM checkpoint_chains WHERE thread_id = ?`),
    };
    const transaction = db.transaction((ops: SaverOp[]) => {
      for (const op of ops) this.apply(op);
    });
    const readLayout = (this.readLayout = (threadId: string, ns: string, id: string) => {
      const layout = (this.stmt.layout.get(threadId, ns, id) as string | undefined) ?? this.chained(threadId, ns, id)?.layout;
      return layout === undefined ? undefined : parseLayout(layout, id);
    });
    this.onThread = typeof filename === "string" && filename !== ":memory:" && options.commitThread !== false;
    if (this.onThread) {
      // Batches are resolved and sent in order only when encoding is synchronous (plain JSON).
      this.batch.pipelined = this.codec.synchronous;
      // Small batches while pipelined, each sent as soon as full, in one transaction (commitOnThread): the
      // thread writes beside the run, and the run's end waits for a few rows and the commit.
      if (this.batch.pipelined) this.batch.maxBatch = PIPELINED_BATCH;
      // The thread stores what it is sent: the engine's chains go as their bytes, written as queued.
      this.queueChains(
        () => false,
        () => this.failures,
      );
    }
    this.commitSync = (ops: SaverOp[]) => {
      try {
        this.layouts.resolveSync(ops, readLayout);
        transaction.immediate(ops);
      } catch (error) {
        this.layouts.clear();
        throw error;
      }
    };
  }

  /** LangGraph's constructor name for the same thing. */
  static fromConnString(filename: string): SqliteSaver {
    return new SqliteSaver(filename);
  }

  private apply(op: SaverOp): void {
    const s = this.stmt;
    if (op.kind === "put") {
      s.putCheckpoint.run(op.threadId, op.ns, op.id, op.parentId, op.checkpoint[0], op.checkpoint[1], op.metadata, op.layout);
      return;
    }
    const rows = op.rows;
    const many = rows.length > 1 && rows.length <= MAX_ROWS_PER_INSERT ? this.writesStatement(rows) : null;
    if (many !== null) {
      // One statement for the task's writes (a step of Rill's engine writes two): rows of one INSERT
      // are applied in order, as the statements one by one would be.
      const params: unknown[] = [];
      for (const w of rows) params.push(op.threadId, op.ns, op.checkpointId, w.taskId, w.idx, w.channel, w.value[0], w.value[1], w.taskPath);
      many.run(params);
      return;
    }
    for (const w of rows) (w.idx < 0 ? s.replaceWrite : s.keepWrite).run(op.threadId, op.ns, op.checkpointId, w.taskId, w.idx, w.channel, w.value[0], w.value[1], w.taskPath);
  }

  /** The INSERT of `rows.length` writes when all follow the same rule (keep the first, or replace), else null. */
  private writesStatement(rows: WriteRecord[]): Database.Statement | null {
    const replace = rows[0].idx < 0;
    for (let i = 1; i < rows.length; i++) if (rows[i].idx < 0 !== replace) return null;
    const statements = replace ? this.replaceMany : this.keepMany;
    return (statements[rows.length] ??= this.db.prepare(writesInsert(replace, rows.length)));
  }

  /** Chains written as queued come only to the commit thread's path (queueChains is called only then). */
  protected commitBatch(ops: QueuedOp[], full: boolean): void | Promise<void> {
    const commit = this.onThread ? (batch: QueuedOp[]) => this.commitOnThread(batch, full) : (this.commitSync as (ops: QueuedOp[]) => void);
    if (ops.some((op) => op.ready !== undefined)) return settle(ops).then(() => commit(ops));
    return commit(ops);
  }

  /**
   * Resolves the batch's layouts (a parent in a batch still committing is found in `sentLayouts`, one
   * committed reads back) and sends it; the thread commits batches in the order sent.
   */
  private async commitOnThread(ops: QueuedOp[], full: boolean): Promise<void> {
    const thread = (this.thread ??= this.startThread());
    let rows: FlatBatch;
    const chains = ops.filter((op): op is ChainOp => op.kind === "chain");
    try {
      // A chain begun before a batch failed may name its rows (its layouts were resolved as it was queued).
      if (failuresWhenBegun(ops, this.failures) !== this.failures) throw new Error("SqliteSaver: not written, because a batch before it failed");
      // A put's parent may be in a chain of this batch or of one sent and not yet committed (not readable yet).
      const readLayout = (threadId: string, ns: string, id: string) => chainedLayout(ops, threadId, ns, id) ?? chainedLayout(this.sentChains, threadId, ns, id) ?? this.readLayout(threadId, ns, id);
      this.layouts.resolveSync(ops as SaverOp[], readLayout, this.sentLayouts);
      rows = flattenBatch(ops, this.codec.synchronous);
    } catch (error) {
      this.forgetLayouts();
      throw error;
    }
    for (const chain of chains) this.sentChains.add(chain);
    // A full batch leaves the thread's transaction open for the next one (more are coming); if none comes
    // by the next turn of the event loop, an empty batch ends it.
    const end = !full;
    const sent = ++this.sentBatches;
    if (!end) setImmediate(() => this.endTransaction(sent));
    await thread.commit(rows, end);
    for (const chain of chains) this.sentChains.delete(chain);
    if (thread.idle) this.sentLayouts.clear();
  }

  /** After a failed commit: the layouts known may name rows that were never written. */
  private forgetLayouts(): void {
    this.layouts.clear();
    this.sentLayouts.clear();
    this.sentChains.clear();
  }

  /**
   * While the commit thread has more batches unanswered than `unansweredLimit` (the engine produces rows
   * faster than the file takes them), a promise that resolves once half of them are answered.
   */
  override backpressure(): Promise<void> | undefined {
    const thread = this.thread;
    if (thread === null || thread.unanswered <= this.unansweredLimit) return undefined;
    return thread.caughtUpTo(this.unansweredLimit >> 1);
  }

  /** How busy the commit thread has been (since `since`, a value this returned before), or undefined before it started: for benchmarks. */
  commitThreadUtilization(since?: EventLoopUtilization): EventLoopUtilization | undefined {
    return this.thread?.utilization(since);
  }

  /** Ends the thread's open transaction unless a batch was sent since batch `sent` (it ended it, or will). */
  private endTransaction(sent: number): void {
    if (this.sentBatches !== sent || this.thread === null) return;
    this.sentBatches++;
    this.thread.commit([], true).catch(() => undefined); // its batches get the outcome
  }

  private startThread(): CommitThread {
    const thread = new CommitThread(this.db.name, {
      putCheckpoint: PUT_CHECKPOINT,
      keepWrite: KEEP_WRITE,
      replaceWrite: REPLACE_WRITE,
      putRoot: PUT_ROOT_CHECKPOINT,
      keepWriteRoot: rootWriteInsert(false),
      replaceWriteRoot: rootWriteInsert(true),
      putChain: PUT_CHAIN,
    });
    thread.onFailure = () => {
      this.failures++;
      this.forgetLayouts();
    };
    return thread;
  }

  /** A checkpoint row, or the newest of the thread's namespace: in `checkpoints` (which wins for an id in both) or in a chain. */
  protected readRow(threadId: string, ns: string, id: string | undefined): Row | undefined {
    if (id) return (this.stmt.byId.get(threadId, ns, id) as Row | undefined) ?? this.chained(threadId, ns, id);
    const row = this.stmt.latest.get(threadId, ns) as Row | undefined;
    const chain = this.stmt.latestChain.get(threadId, ns) as ChainRow | undefined;
    if (chain === undefined || (row !== undefined && compareText(row.checkpoint_id, chain.last_id) >= 0)) return row;
    return chainEntries(chain).at(-1);
  }

  /** The chained checkpoint `id` of the thread's namespace, if a chain holds it. */
  private chained(threadId: string, ns: string, id: string): Row | undefined {
    for (const chain of this.stmt.chainsHolding.iterate(threadId, ns, id, id) as IterableIterator<ChainRow>) {
      const found = chainEntries(chain).find((entry) => entry.checkpoint_id === id);
      if (found !== undefined) return found;
    }
    return undefined;
  }

  /** The checkpoints `list` may yield, newest first: rows of `checkpoints` and chained ones (withChained). */
  protected async listRows(config: CheckpointConfig, options: CheckpointListOptions): Promise<ListedRows<Row>> {
    const { clauses, params } = listClauses(config, options);
    const where = clauses.length ? ` WHERE ${clauses.join(" AND ")}` : "";
    const chained = chainQuery(config, options);
    const limit = chained.limit === undefined ? "" : ` LIMIT ${chained.limit}`;
    const rows = this.db.prepare(`SELECT * FROM checkpoints${where} ORDER BY checkpoint_id DESC${limit}`).all(...params) as Row[];
    const chainWhere = chained.clauses.length ? ` WHERE ${chained.clauses.join(" AND ")}` : "";
    const keys = this.db.prepare(`SELECT thread_id, checkpoint_ns, first_id, last_id FROM checkpoint_chains${chainWhere} ORDER BY last_id DESC`).all(...chained.params) as ChainKey[];
    const load = (key: ChainKey) => this.stmt.chainBody.get(key.thread_id, key.checkpoint_ns, key.first_id) as ChainRow | undefined;
    return { rows: await withChained(rows, keys, load, chained), filtered: options.filter === undefined };
  }

  protected rowMetadata(row: Row): CheckpointMetadata {
    return JSON.parse(row.metadata) as CheckpointMetadata;
  }

  protected dropRowsAfter(threadId: string, checkpointId: string): void {
    const db = this.db;
    db.transaction(() => {
      db.prepare(`DELETE FROM writes WHERE thread_id = ? AND checkpoint_id > ?`).run(threadId, checkpointId);
      db.prepare(`DELETE FROM checkpoints WHERE thread_id = ? AND checkpoint_id > ?`).run(threadId, checkpointId);
      const cut = db.prepare(`SELECT * FROM checkpoint_chains WHERE thread_id = ? AND first_id <= ? AND last_id > ?`).all(threadId, checkpointId, checkpointId) as ChainRow[];
      db.prepare(`DELETE FROM checkpoint_chains WHERE thread_id = ? AND last_id > ?`).run(threadId, checkpointId);
      const insert = db.prepare(`INSERT INTO checkpoint_chains (thread_id, checkpoint_ns, first_id, last_id, parent_id, body) VALUES (?, ?, ?, ?, ?, ?)`);
      for (const chain of cut) {
        const left = cutChain(chain, checkpointId)!; // its first checkpoint is left
        insert.run(chain.thread_id, chain.checkpoint_ns, chain.first_id, left.lastId, chain.parent_id, left.body);
      }
    }).immediate();
  }

  protected deleteRows(threadId: string): void {
    this.db.transaction(() => {
      this.stmt.deleteCheckpoints.run(threadId);
      this.stmt.deleteWrites.run(threadId);
      this.stmt.deleteChains.run(threadId);
    }).immediate();
  }

  /** Closes the file (and the commit thread's connection). */
  protected async release(): Promise<void> {
    if (this.thread !== null) await this.thread.close();
    this.db.close();
  }

  protected tuple(row: Row): Promise<CheckpointTuple> {
    const s = this.stmt;
    const record: CheckpointRow = { threadId: row.thread_id, ns: row.checkpoint_ns, id: row.checkpoint_id, parentId: row.parent_id, type: row.type, data: row.checkpoint, metadata: row.metadata, layout: row.layout };
    const source = memoizedSource((id) => {
      const from = this.readRow(row.thread_id, row.checkpoint_ns, id);
      return from === undefined ? Promise.resolve(undefined) : Promise.resolve(this.codec.decode(from.type, from.checkpoint) as Checkpoint | Promise<Checkpoint>);
    });
    const parentSends = () => {
      const parent = row.parent_id === null ? undefined : this.readRow(row.thread_id, row.checkpoint_ns, row.parent_id);
      const chained = parent?.folded?.filter((w) => w.channel === TASKS);
      return mergeWrites(chained, s.sends.all(row.thread_id, row.checkpoint_ns, row.parent_id) as WriteRow[]);
    };
    return assembleTuple(
      this.codec,
      record,
      source,
      mergeWrites(row.folded, s.writes.all(row.thread_id, row.checkpoint_ns, row.checkpoint_id) as WriteRow[]),
      parentSends,
      (v) => this.getNextVersion(v as number | undefined),
    );
  }
}
