// A durable checkpointer in PostgreSQL, on `pg` 8. Same layout and semantics as the SQLite saver
// (../durable/records.ts). Writes are group-committed in batches of up to 256 operations, each sent by
// the commit pipeline (commitPipeline.ts: binary COPY over a pipelined connection of the saver's own) as
// soon as it is queued, the batches of a run sharing one transaction; the engine's consecutive checkpoints
// of a batch go in one row (a chain: ../durable/chains.ts). Reads use the pool. Migrations are
// applied by setup(), or on first use. An unreachable server fails within the connection timeout (5 s by
// default), naming host, port and database.
import pg from "pg";
import { TASKS, type Checkpoint, type CheckpointConfig, type CheckpointListOptions, type CheckpointMetadata, type CheckpointTuple, type SerializerProtocol } from "../base";
import { DurableSaver, listClauses, memoizedSource, type ListedRows } from "../durable/durableSaver";
import { chainEntries, chainQuery, compareText, cutChain, mergeWrites, withChained, type ChainKey, type ChainRow, type CheckpointTableRow } from "../durable/chains";
import { chainedLayout, failuresWhenBegun, type QueuedOp } from "../durable/queuedChains";
import { assembleTuple, parseLayout, type PutOp, type ResolvedLayouts, type WriteRow } from "../durable/records";
import { settle } from "../durable/serialized";
import type { Tables } from "./batchWrite";
import { CommitPipeline } from "./commitPipeline";
import { clientConfig, CONNECT_TIMEOUT_MS, createPool, describeTarget } from "./connection";
import { ident, migrate } from "./schema";

/** Thrown by the layout reader of a synchronous resolution: the parent's layout must be read back. */
const NOT_CACHED = Symbol("not cached");

/** Operations per batch sent while the engine runs on (the batches of a run share one transaction). */
const PIPELINED_BATCH = 256;

export interface PostgresSaverOptions {
  /** A postgres:// URL (the pool is created and ended by the saver). */
  connectionString?: string;
  /** Or a pool of the caller's (not ended by close()). */
  pool?: pg.Pool;
  /** The PostgreSQL schema holding the tables ("public" by default). */
  schema?: string;
  /** How long connecting may take before failing (ms, default 5000). */
  connectTimeoutMs?: number;
  serde?: SerializerProtocol;
}

type Row = CheckpointTableRow;
/** A chain row as `pg` returns it (the body as bytes). */
type StoredChain = Omit<ChainRow, "body"> & { body: Buffer };

/** A chain row with its body as text, as chains.ts reads it. */
const chainRowOf = (row: StoredChain): ChainRow => ({ ...row, body: row.body.toString("utf8") });

export class PostgresSaver extends DurableSaver<Row> {
  readonly pool: pg.Pool;
  readonly schema: string;
  private readonly ownsPool: boolean;
  private readonly target: string;
  private ready: Promise<void> | null = null;
  private readonly t: Tables;
  private readonly pipeline: CommitPipeline;
  /**
   * Bytes of rows sent and not yet read by the server before a run waits (backpressure): 4 MB, a few
   * thousand steps of a small graph; the run goes on once the server has read them.
   */
  maxBufferedBytes = 4 * 1024 * 1024;
  /** Batches being prepared (awaiting a read or an async serializer), and the last of them. */
  private preparing = 0;
  private prepared: Promise<void> = Promise.resolve();
  private isReady = false;

  constructor(options: PostgresSaverOptions) {
    super("PostgresSaver", options.serde);
    this.schema = options.schema ?? "public";
    if (options.pool !== undefined) {
      this.pool = options.pool;
      this.ownsPool = false;
      const o = this.pool.options as { connectionString?: string; host?: string; port?: number; database?: string };
      this.target = o.connectionString ? describeTarget(o.connectionString) : `${o.host ?? "localhost"}:${o.port ?? 5432}/${o.database ?? "postgres"}`;
    } else if (options.connectionString !== undefined) {
      this.pool = createPool(options.connectionString, options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS);
      this.ownsPool = true;
      this.target = describeTarget(options.connectionString);
    } else throw new Error("PostgresSaver: pass { connectionString } (a postgres:// URL, e.g. DATABASE_URL) or { pool }");
    const s = ident(this.schema);
    this.t = { checkpoints: `${s}.rill_checkpoints`, writes: `${s}.rill_checkpoint_writes`, chains: `${s}.rill_checkpoint_chains` };
    this.pipeline = new CommitPipeline(
      clientConfig(this.pool),
      this.t,
      this.pool,
      () => this.layouts.clear(),
      (error) => this.described(error),
      this.codec.synchronous,
    );
    this.batch.pipelined = true;
    this.batch.maxBatch = PIPELINED_BATCH;
    // COPY sends bytes: the engine's chains are written as bytes as they are queued.
    this.queueChains(
      () => this.preparing > 0,
      () => this.pipeline.failures,
    );
  }

  /**
   * Prepares the batches one after another, in call order (layouts are resolved in that order), and
   * hands each to the commit pipeline as soon as it is prepared, within this call when no layout needs
   * reading back, so that it is on its way while the engine runs on; resolves once its transaction
   * committed.
   */
  protected commitBatch(ops: QueuedOp[], full: boolean): Promise<void> {
    if (failuresWhenBegun(ops, this.pipeline.failures) !== this.pipeline.failures) {
      // A chain begun before a batch failed may name its rows (its layouts were resolved as it was queued).
      this.layouts.clear();
      return Promise.reject(new Error("PostgresSaver: not written, because a batch before it failed"));
    }
    if (this.preparing === 0 && this.isReady && ops.every((op) => op.ready === undefined)) {
      const failures = this.pipeline.failures;
      const layouts: ResolvedLayouts = new Map();
      let from: number;
      try {
        from = this.resolveLayouts(ops, 0, layouts);
      } catch (error) {
        this.layouts.clear();
        return Promise.reject(error);
      }
      if (from === ops.length) return this.pipeline.write(ops, !full, failures);
      return this.prepareLater(ops, full, from, layouts, failures);
    }
    return this.prepareLater(ops, full, 0, new Map(), undefined);
  }

  /** While the server has not read more than `maxBufferedBytes` of the rows sent, a promise resolving once it has. */
  override backpressure(): Promise<void> | undefined {
    return this.pipeline.backpressure(this.maxBufferedBytes);
  }

  /**
   * Resolves the layouts of ops[from..] in order; returns the index of the first put whose parent must be
   * read, or ops.length. A parent in one of the batch's chains (not sent yet) is found there.
   */
  private resolveLayouts(ops: QueuedOp[], from: number, layouts: ResolvedLayouts): number {
    const inChains = (threadId: string, ns: string, id: string) => {
      const layout = chainedLayout(ops, threadId, ns, id);
      if (layout === undefined) throw NOT_CACHED;
      return layout;
    };
    for (let i = from; i < ops.length; i++) {
      const op = ops[i];
      if (op.kind !== "put") continue;
      try {
        this.layouts.resolveSync([op], inChains, layouts);
      } catch (error) {
        if (error === NOT_CACHED) return i;
        throw error;
      }
    }
    return ops.length;
  }

  private prepareLater(ops: QueuedOp[], full: boolean, from: number, layouts: ResolvedLayouts, failuresBefore: number | undefined): Promise<void> {
    this.preparing++;
    const sent = this.prepared.then(async () => {
      await this.setup();
      await settle(ops);
      const failures = failuresBefore ?? failuresWhenBegun(ops, this.pipeline.failures);
      try {
        for (let i = from; (i = this.resolveLayouts(ops, i, layouts)) < ops.length; i++) {
          const op = ops[i] as PutOp;
          const rows = await this.pipeline.read<{ layout: string }>(`SELECT layout FROM ${this.t.checkpoints} WHERE thread_id = $1 AND checkpoint_ns = $2 AND checkpoint_id = $3`, [op.threadId, op.ns, op.parentId]);
          const layout = rows[0]?.layout ?? (await this.chained(op.threadId, op.ns, op.parentId!, true))?.layout;
          const parent = layout === undefined ? undefined : parseLayout(layout, op.parentId!);
          this.layouts.resolveSync([op], () => parent, layouts);
        }
      } catch (error) {
        this.layouts.clear();
        throw error;
      }
      return { promise: this.pipeline.write(ops, !full, failures) };
    });
    this.prepared = sent.then(
      () => void this.preparing--,
      () => void this.preparing--,
    );
    return sent.then((committed) => committed.promise);
  }

  /** LangGraph's constructor name for the same thing. */
  static fromConnString(connectionString: string, options: Omit<PostgresSaverOptions, "connectionString"> = {}): PostgresSaver {
    return new PostgresSaver({ ...options, connectionString });
  }

  /** Connects and applies the schema migrations (also done on first use). */
  setup(): Promise<void> {
    if (this.closed) return Promise.reject(new Error("PostgresSaver: the saver is closed"));
    this.ready ??= this.connectAndMigrate().then(
      () => void (this.isReady = true),
      (error: unknown) => {
        this.ready = null;
        throw error;
      },
    );
    return this.ready;
  }

  private async connectAndMigrate(): Promise<void> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw new Error(`PostgresSaver: cannot connect to PostgreSQL at ${this.target}: ${(error as Error).message || String(error)}`, { cause: error });
    }
    try {
      await migrate(client, this.schema, this.target);
    } finally {
      client.release();
    }
  }

  private async query<R extends pg.QueryResultRow>(text: string, values: unknown[]): Promise<R[]> {
    await this.setup();
    try {
      return (await this.pool.query<R>(text, values)).rows;
    } catch (error) {
      throw this.described(error);
    }
  }

  /** A connection failure, named with the server's address (other errors as they are). */
  private described(error: unknown): unknown {
    const message = (error as Error).message || String(error);
    if (/timeout|ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|terminat/i.test(message)) return new Error(`PostgresSaver: PostgreSQL at ${this.target}: ${message}`, { cause: error });
    return error;
  }

  /** A checkpoint row, or the newest of the thread's namespace: in the checkpoints table (which wins for an id in both) or in a chain. */
  protected async readRow(threadId: string, ns: string, id: string | undefined): Promise<Row | undefined> {
    if (id) {
      const rows = await this.query<Row>(`SELECT * FROM ${this.t.checkpoints} WHERE thread_id = $1 AND checkpoint_ns = $2 AND checkpoint_id = $3`, [threadId, ns, id]);
      return rows[0] ?? this.chained(threadId, ns, id);
    }
    const [rows, chains] = await Promise.all([
      this.query<Row>(`SELECT * FROM ${this.t.checkpoints} WHERE thread_id = $1 AND checkpoint_ns = $2 ORDER BY checkpoint_id DESC LIMIT 1`, [threadId, ns]),
      this.chains(`SELECT * FROM ${this.t.chains} WHERE thread_id = $1 AND checkpoint_ns = $2 ORDER BY last_id DESC LIMIT 1`, [threadId, ns]),
    ]);
    const [row, chain] = [rows[0], chains[0]];
    if (chain === undefined || (row !== undefined && compareText(row.checkpoint_id, chain.last_id) >= 0)) return row;
    return chainEntries(chain).at(-1);
  }

  /** Chain rows (`viaPipeline`: on the commit connection, which sees the open transaction's). */
  private async chains(text: string, values: unknown[], viaPipeline = false): Promise<ChainRow[]> {
    const rows = viaPipeline ? await this.pipeline.read<StoredChain>(text, values) : await this.query<StoredChain>(text, values);
    return rows.map(chainRowOf);
  }

  /** The chained checkpoint `id` of the thread's namespace, if a chain holds it. */
  private async chained(threadId: string, ns: string, id: string, viaPipeline = false): Promise<Row | undefined> {
    const holding = `SELECT * FROM ${this.t.chains} WHERE thread_id = $1 AND checkpoint_ns = $2 AND first_id <= $3 AND last_id >= $3 ORDER BY first_id DESC`;
    for (const chain of await this.chains(holding, [threadId, ns, id], viaPipeline)) {
      const found = chainEntries(chain).find((entry) => entry.checkpoint_id === id);
      if (found !== undefined) return found;
    }
    return undefined;
  }

  protected async listRows(config: CheckpointConfig, options: CheckpointListOptions): Promise<ListedRows<Row>> {
    const { clauses, params } = listClauses(config, options);
    const numbered = clauses.map((clause, i) => clause.replace("?", `$${i + 1}`));
    const { filter } = options;
    const simple = filter === undefined ? {} : Object.fromEntries(Object.entries(filter).filter(([, v]) => v === null || ["string", "number", "boolean"].includes(typeof v)));
    if (Object.keys(simple).length > 0) (params.push(JSON.stringify(simple)), numbered.push(`metadata::jsonb @> $${params.length}::jsonb`));
    const exact = filter === undefined || Object.keys(simple).length === Object.keys(filter).length;
    const limit = exact && options.limit !== undefined ? ` LIMIT ${Math.max(0, Math.floor(options.limit))}` : "";
    const rows = await this.query<Row>(`SELECT * FROM ${this.t.checkpoints}${numbered.length ? ` WHERE ${numbered.join(" AND ")}` : ""} ORDER BY checkpoint_id DESC${limit}`, params);
    const chained = chainQuery(config, options);
    const clause = chained.clauses.length ? ` WHERE ${chained.clauses.map((c, i) => c.replace("?", `$${i + 1}`)).join(" AND ")}` : "";
    const keys = await this.query<ChainKey>(`SELECT thread_id, checkpoint_ns, first_id, last_id FROM ${this.t.chains}${clause} ORDER BY last_id DESC`, chained.params);
    if (keys.length === 0) return { rows, filtered: exact };
    // Without a limit every chain is read: in one query.
    const all = chained.limit === undefined ? await this.chains(`SELECT * FROM ${this.t.chains}${clause}`, chained.params) : undefined;
    const byKey = all === undefined ? undefined : new Map(all.map((chain) => [`${chain.thread_id}\u0000${chain.checkpoint_ns}\u0000${chain.first_id}`, chain]));
    const load = async (key: ChainKey) =>
      byKey !== undefined
        ? byKey.get(`${key.thread_id}\u0000${key.checkpoint_ns}\u0000${key.first_id}`)
        : (await this.chains(`SELECT * FROM ${this.t.chains} WHERE thread_id = $1 AND checkpoint_ns = $2 AND first_id = $3`, [key.thread_id, key.checkpoint_ns, key.first_id]))[0];
    // A metadata filter is then tested on every row (the chained checkpoints' metadata is not in SQL).
    return { rows: await withChained(rows, keys, load, chained), filtered: options.filter === undefined };
  }

  protected rowMetadata(row: Row): CheckpointMetadata {
    return JSON.parse(row.metadata) as CheckpointMetadata;
  }

  protected async deleteRows(threadId: string): Promise<void> {
    await this.query(
      `WITH w AS (DELETE FROM ${this.t.writes} WHERE thread_id = $1), c AS (DELETE FROM ${this.t.chains} WHERE thread_id = $1)
       DELETE FROM ${this.t.checkpoints} WHERE thread_id = $1`,
      [threadId],
    );
  }

  protected async dropRowsAfter(threadId: string, checkpointId: string): Promise<void> {
    await this.setup();
    const client = await this.pool.connect().catch((error: unknown) => Promise.reject(this.described(error)));
    try {
      await client.query("BEGIN");
      await client.query(`DELETE FROM ${this.t.writes} WHERE thread_id = $1 AND checkpoint_id > $2`, [threadId, checkpointId]);
      await client.query(`DELETE FROM ${this.t.checkpoints} WHERE thread_id = $1 AND checkpoint_id > $2`, [threadId, checkpointId]);
      const dropped = await client.query<StoredChain>(`DELETE FROM ${this.t.chains} WHERE thread_id = $1 AND last_id > $2 RETURNING *`, [threadId, checkpointId]);
      for (const row of dropped.rows) {
        const left = cutChain(chainRowOf(row), checkpointId);
        if (left === null) continue;
        await client.query(`INSERT INTO ${this.t.chains} (thread_id, checkpoint_ns, first_id, last_id, parent_id, body) VALUES ($1, $2, $3, $4, $5, $6)`, [
          row.thread_id,
          row.checkpoint_ns,
          row.first_id,
          left.lastId,
          row.parent_id,
          Buffer.from(left.body, "utf8"),
        ]);
      }
      await client.query("COMMIT");
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw this.described(error);
    } finally {
      client.release();
    }
  }

  /** Ends the pool when the saver created it. */
  protected async release(): Promise<void> {
    await this.pipeline.close();
    if (this.ownsPool) await this.pool.end();
  }

  protected async tuple(row: Row): Promise<CheckpointTuple> {
    const source = memoizedSource((id) =>
      this.readRow(row.thread_id, row.checkpoint_ns, id).then(async (from) => (from === undefined ? undefined : ((await this.codec.decode(from.type, from.checkpoint)) as Checkpoint))),
    );
    const parentSends = async () => {
      const parent = await this.readRow(row.thread_id, row.checkpoint_ns, row.parent_id!);
      return mergeWrites(parent?.folded?.filter((w) => w.channel === TASKS), await this.writeRows(row.thread_id, row.checkpoint_ns, row.parent_id!, true));
    };
    return assembleTuple(
      this.codec,
      { threadId: row.thread_id, ns: row.checkpoint_ns, id: row.checkpoint_id, parentId: row.parent_id, type: row.type, data: row.checkpoint, metadata: row.metadata, layout: row.layout },
      source,
      mergeWrites(row.folded, await this.writeRows(row.thread_id, row.checkpoint_ns, row.checkpoint_id, false)),
      parentSends,
      (v) => this.getNextVersion(v as number | undefined),
    );
  }

  private async writeRows(threadId: string, ns: string, checkpointId: string, sendsOnly: boolean): Promise<WriteRow[]> {
    const rows = await this.query<WriteRow>(
      `SELECT task_id AS "taskId", idx, channel, type, value AS data, task_path AS "taskPath" FROM ${this.t.writes}
       WHERE thread_id = $1 AND checkpoint_ns = $2 AND checkpoint_id = $3${sendsOnly ? ` AND channel = '${TASKS}'` : ""}
       ORDER BY task_path, task_id, idx`,
      [threadId, ns, checkpointId],
    );
    return rows;
  }
}

