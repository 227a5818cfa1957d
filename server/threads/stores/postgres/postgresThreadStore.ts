// Threads in PostgreSQL (DATABASE_URL): the table rill_threads, migrated at start-up (setup()) under an
// advisory lock, versioned in rill_thread_migrations; a database migrated by a newer Rill is refused. An
// unreachable server fails setup() within the connection timeout, naming host and port.
import type pg from "pg";
import { CONNECT_TIMEOUT_MS, createPool, describeTarget } from "../../../../lib/graph/checkpoint/postgres/connection";
import { ThreadExistsError, type NewThread, type ThreadListQuery, type ThreadRecord, type ThreadStatus, type ThreadStore } from "../../threadStore";
import { threadFromRow, type ThreadRow } from "../threadRow";

export const POSTGRES_THREADS_SCHEMA_VERSION = 1;

const MIGRATIONS: Record<number, string> = {
  1: `
    CREATE TABLE rill_threads (
      thread_id TEXT COLLATE "C" PRIMARY KEY, graph_id TEXT NOT NULL, owner TEXT,
      created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, metadata JSONB NOT NULL, status TEXT NOT NULL,
      seq BIGSERIAL NOT NULL
    );
    CREATE INDEX rill_threads_by_age ON rill_threads (seq DESC);
  `,
};

type Row = ThreadRow<Record<string, unknown>>;

export class PostgresThreadStore implements ThreadStore {
  readonly pool: pg.Pool;
  private readonly target: string;
  private ready: Promise<void> | null = null;

  constructor(connectionString: string, connectTimeoutMs = CONNECT_TIMEOUT_MS) {
    this.pool = createPool(connectionString, connectTimeoutMs);
    this.target = describeTarget(connectionString);
  }

  /** Connects and applies the migrations (also done on first use). */
  setup(): Promise<void> {
    this.ready ??= this.migrate().catch((error: unknown) => {
      this.ready = null;
      throw error;
    });
    return this.ready;
  }

  async create(thread: NewThread): Promise<ThreadRecord> {
    const at = thread.createdAt ?? Date.now();
    const rows = await this.query<Row>(
      `INSERT INTO rill_threads (thread_id, graph_id, owner, created_at, updated_at, metadata, status)
       VALUES ($1, $2, $3, $4, $4, $5, 'idle') ON CONFLICT DO NOTHING RETURNING *`,
      [thread.threadId, thread.graphId, thread.owner ?? null, at, JSON.stringify(thread.metadata ?? {})],
    );
    if (rows.length === 0) throw new ThreadExistsError(thread.threadId);
    return fromRow(rows[0]!);
  }

  async get(threadId: string): Promise<ThreadRecord | undefined> {
    const rows = await this.query<Row>(`SELECT * FROM rill_threads WHERE thread_id = $1`, [threadId]);
    return rows[0] && fromRow(rows[0]);
  }

  async setStatus(threadId: string, status: ThreadStatus, at = Date.now()): Promise<boolean> {
    return (await this.changed(`UPDATE rill_threads SET status = $1, updated_at = $2 WHERE thread_id = $3`, [status, at, threadId])) > 0;
  }

  async touch(threadId: string, at = Date.now()): Promise<boolean> {
    return (await this.changed(`UPDATE rill_threads SET updated_at = $1 WHERE thread_id = $2`, [at, threadId])) > 0;
  }

  async list(query: ThreadListQuery): Promise<ThreadRecord[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (clause: string, value: unknown) => {
      params.push(value);
      where.push(`${clause} $${params.length}`);
    };
    if (query.graphId !== undefined) add("graph_id =", query.graphId);
    if (query.status !== undefined) add("status =", query.status);
    if (query.owner !== undefined) add("owner =", query.owner);
    params.push(query.limit, query.offset ?? 0);
    const sql = `SELECT * FROM rill_threads ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY seq DESC LIMIT $${params.length - 1} OFFSET $${params.length}`;
    return (await this.query<Row>(sql, params)).map(fromRow);
  }

  async count(): Promise<number> {
    return Number((await this.query<{ n: string }>(`SELECT count(*) AS n FROM rill_threads`, []))[0]!.n);
  }

  async oldest(limit: number, statuses: readonly ThreadStatus[]): Promise<ThreadRecord[]> {
    return (await this.query<Row>(`SELECT * FROM rill_threads WHERE status = ANY($1) ORDER BY seq LIMIT $2`, [statuses, limit])).map(fromRow);
  }

  async delete(threadId: string): Promise<boolean> {
    return (await this.changed(`DELETE FROM rill_threads WHERE thread_id = $1`, [threadId])) > 0;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private async query<R extends pg.QueryResultRow>(sql: string, params: unknown[]): Promise<R[]> {
    await this.setup();
    return (await this.pool.query<R>(sql, params)).rows;
  }

  private async changed(sql: string, params: unknown[]): Promise<number> {
    await this.setup();
    return (await this.pool.query(sql, params)).rowCount ?? 0;
  }

  private async migrate(): Promise<void> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw new Error(`threads: cannot connect to PostgreSQL at ${this.target}: ${(error as Error).message}`);
    }
    try {
      await client.query("BEGIN");
      await client.query("SELECT pg_advisory_xact_lock(hashtext('rill_thread_migrations'))");
      await client.query(`CREATE TABLE IF NOT EXISTS rill_thread_migrations (v INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`);
      const { rows } = await client.query<{ v: number | null }>(`SELECT max(v) AS v FROM rill_thread_migrations`);
      const current = rows[0]?.v ?? 0;
      if (current > POSTGRES_THREADS_SCHEMA_VERSION) {
        throw new Error(
          `threads: ${this.target} has thread schema version ${current}, newer than this Rill's ${POSTGRES_THREADS_SCHEMA_VERSION}; upgrade Rill or use another database`,
        );
      }
      for (let v = current + 1; v <= POSTGRES_THREADS_SCHEMA_VERSION; v++) {
        await client.query(MIGRATIONS[v]!);
        await client.query(`INSERT INTO rill_thread_migrations (v) VALUES ($1)`, [v]);
      }
      await client.query("COMMIT");
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}

function fromRow(row: Row): ThreadRecord {
  return threadFromRow(row, (metadata) => metadata);
}
