// A durable checkpointer in PostgreSQL, on `pg` 8. Same layout and semantics as the SQLite saver
// (../durable/records.ts). Writes are group-committed: everything `put`/`putWrites` receive while the
// previous commit is in flight (or in one tick) is written by ONE statement (data-modifying CTEs over
// unnest()ed arrays), which PostgreSQL runs atomically: one round trip per batch, however many steps it
// holds. Migrations are applied by setup(), or on first use. An unreachable server fails within the
// connection timeout (5 s by default), naming host, port and database.
import pg from "pg";
import { TASKS, type Checkpoint, type CheckpointConfig, type CheckpointListOptions, type CheckpointMetadata, type CheckpointTuple, type SerializerProtocol } from "../base";
import { DurableSaver, listClauses, memoizedSource, type ListedRows } from "../durable/durableSaver";
import { assembleTuple, type Layout, type SaverOp, type WriteRow } from "../durable/records";
import { settle } from "../durable/serialized";
import { copyBatch, UNIQUE_VIOLATION, upsertBatch } from "./batchWrite";
import { CONNECT_TIMEOUT_MS, createPool, describeTarget } from "./connection";
import { ident, migrate } from "./schema";

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

type Row = { thread_id: string; checkpoint_ns: string; checkpoint_id: string; parent_id: string | null; type: string; checkpoint: Buffer; metadata: CheckpointMetadata; layout: string };

export class PostgresSaver extends DurableSaver<Row> {
  readonly pool: pg.Pool;
  readonly schema: string;
  private readonly ownsPool: boolean;
  private readonly target: string;
  private ready: Promise<void> | null = null;
  private readonly t: { checkpoints: string; writes: string };

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
    this.t = { checkpoints: `${s}.rill_checkpoints`, writes: `${s}.rill_checkpoint_writes` };
  }

  protected async commitBatch(ops: SaverOp[]): Promise<void> {
    await settle(ops);
    try {
      await this.layouts.resolve(ops, async (threadId, ns, id) => {
        const rows = await this.query<{ layout: string }>(`SELECT layout FROM ${this.t.checkpoints} WHERE thread_id = $1 AND checkpoint_ns = $2 AND checkpoint_id = $3`, [threadId, ns, id]);
        return rows.length === 0 ? undefined : (JSON.parse(rows[0].layout) as Layout);
      });
      await this.commit(ops);
    } catch (error) {
      this.layouts.clear();
      throw error;
    }
  }

  /** LangGraph's constructor name for the same thing. */
  static fromConnString(connectionString: string, options: Omit<PostgresSaverOptions, "connectionString"> = {}): PostgresSaver {
    return new PostgresSaver({ ...options, connectionString });
  }

  /** Connects and applies the schema migrations (also done on first use). */
  setup(): Promise<void> {
    if (this.closed) return Promise.reject(new Error("PostgresSaver: the saver is closed"));
    this.ready ??= this.connectAndMigrate().catch((error: unknown) => {
      this.ready = null;
      throw error;
    });
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

  /**
   * Writes the batch in one round trip: COPY of the new rows (no conflict checks), or, when a row
   * already exists (a checkpoint put again, a write repeated), the upserting statement with LangGraph's rules.
   */
  private async commit(ops: SaverOp[]): Promise<void> {
    await this.setup();
    try {
      await copyBatch(this.pool, this.t, ops);
    } catch (error) {
      if ((error as { code?: string }).code !== UNIQUE_VIOLATION) throw this.described(error);
      await upsertBatch(this.pool, this.t, ops).catch((again: unknown) => Promise.reject(this.described(again)));
    }
  }

  protected async readRow(threadId: string, ns: string, id: string | undefined): Promise<Row | undefined> {
    const rows = id
      ? await this.query<Row>(`SELECT * FROM ${this.t.checkpoints} WHERE thread_id = $1 AND checkpoint_ns = $2 AND checkpoint_id = $3`, [threadId, ns, id])
      : await this.query<Row>(`SELECT * FROM ${this.t.checkpoints} WHERE thread_id = $1 AND checkpoint_ns = $2 ORDER BY checkpoint_id DESC LIMIT 1`, [threadId, ns]);
    return rows[0];
  }

  protected async listRows(config: CheckpointConfig, options: CheckpointListOptions): Promise<ListedRows<Row>> {
    const { clauses, params } = listClauses(config, options);
    const numbered = clauses.map((clause, i) => clause.replace("?", `$${i + 1}`));
    const { filter } = options;
    const simple = filter === undefined ? {} : Object.fromEntries(Object.entries(filter).filter(([, v]) => v === null || ["string", "number", "boolean"].includes(typeof v)));
    if (Object.keys(simple).length > 0) (params.push(JSON.stringify(simple)), numbered.push(`metadata @> $${params.length}::jsonb`));
    const exact = filter === undefined || Object.keys(simple).length === Object.keys(filter).length;
    const limit = exact && options.limit !== undefined ? ` LIMIT ${Math.max(0, Math.floor(options.limit))}` : "";
    const rows = await this.query<Row>(`SELECT * FROM ${this.t.checkpoints}${numbered.length ? ` WHERE ${numbered.join(" AND ")}` : ""} ORDER BY checkpoint_id DESC${limit}`, params);
    return { rows, filtered: exact };
  }

  protected rowMetadata(row: Row): CheckpointMetadata {
    return row.metadata;
  }

  protected async deleteRows(threadId: string): Promise<void> {
    await this.query(
      `WITH w AS (DELETE FROM ${this.t.writes} WHERE thread_id = $1) DELETE FROM ${this.t.checkpoints} WHERE thread_id = $1`,
      [threadId],
    );
  }

  /** Ends the pool when the saver created it. */
  protected async release(): Promise<void> {
    if (this.ownsPool) await this.pool.end();
  }

  protected async tuple(row: Row): Promise<CheckpointTuple> {
    const source = memoizedSource((id) =>
      this.query<Row>(`SELECT type, checkpoint FROM ${this.t.checkpoints} WHERE thread_id = $1 AND checkpoint_ns = $2 AND checkpoint_id = $3`, [row.thread_id, row.checkpoint_ns, id]).then(
        async (rows) => (rows.length === 0 ? undefined : ((await this.codec.decode(rows[0].type, rows[0].checkpoint)) as Checkpoint)),
      ),
    );
    return assembleTuple(
      this.codec,
      { threadId: row.thread_id, ns: row.checkpoint_ns, id: row.checkpoint_id, parentId: row.parent_id, type: row.type, data: row.checkpoint, metadata: JSON.stringify(row.metadata), layout: row.layout },
      source,
      await this.writeRows(row.thread_id, row.checkpoint_ns, row.checkpoint_id, false),
      () => this.writeRows(row.thread_id, row.checkpoint_ns, row.parent_id!, true),
      (v) => this.getNextVersion(v as number | undefined),
    );
  }

  private async writeRows(threadId: string, ns: string, checkpointId: string, sendsOnly: boolean): Promise<WriteRow[]> {
    const rows = await this.query<{ taskId: string; channel: string; type: string; data: Buffer }>(
      `SELECT task_id AS "taskId", channel, type, value AS data FROM ${this.t.writes}
       WHERE thread_id = $1 AND checkpoint_ns = $2 AND checkpoint_id = $3${sendsOnly ? ` AND channel = '${TASKS}'` : ""}
       ORDER BY task_path, task_id, idx`,
      [threadId, ns, checkpointId],
    );
    return rows;
  }
}

