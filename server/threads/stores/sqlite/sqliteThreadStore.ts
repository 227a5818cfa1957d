// Threads in an embedded SQLite file (RILL_STORE=sqlite): `${RILL_DATA_DIR}/threads.db`, WAL mode, so a
// record survives the process being killed. Versioned with user_version; a file of a newer Rill is refused.
import Database from "better-sqlite3";
import { ThreadExistsError, type NewThread, type ThreadListQuery, type ThreadRecord, type ThreadStatus, type ThreadStore } from "../../threadStore";
import { threadFromRow, type ThreadRow } from "../threadRow";

export const SQLITE_THREADS_SCHEMA_VERSION = 1;

const MIGRATIONS: Record<number, string> = {
  1: `
    CREATE TABLE threads (
      thread_id TEXT PRIMARY KEY, graph_id TEXT NOT NULL, owner TEXT,
      created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, metadata TEXT NOT NULL, status TEXT NOT NULL,
      seq INTEGER NOT NULL
    );
    CREATE INDEX threads_by_age ON threads (seq DESC);
  `,
};

type Row = ThreadRow<string>;

export class SqliteThreadStore implements ThreadStore {
  readonly db: Database.Database;
  private readonly stmt;
  /** list()'s statements, one per combination of filters (at most eight). */
  private readonly listStatements = new Map<string, Database.Statement>();

  constructor(filename: string) {
    try {
      this.db = new Database(filename);
      this.db.pragma("journal_mode = WAL");
      this.db.pragma("synchronous = NORMAL");
      this.db.pragma("busy_timeout = 5000");
      migrate(this.db, filename);
    } catch (error) {
      throw new Error(`threads: cannot open ${filename}: ${(error as Error).message}`);
    }
    const db = this.db;
    this.stmt = {
      insert: db.prepare(
        `INSERT INTO threads (thread_id, graph_id, owner, created_at, updated_at, metadata, status, seq)
         VALUES (?, ?, ?, ?, ?, ?, 'idle', (SELECT coalesce(max(seq), 0) + 1 FROM threads)) ON CONFLICT DO NOTHING`,
      ),
      get: db.prepare(`SELECT * FROM threads WHERE thread_id = ?`),
      setStatus: db.prepare(`UPDATE threads SET status = ?, updated_at = ? WHERE thread_id = ?`),
      touch: db.prepare(`UPDATE threads SET updated_at = ? WHERE thread_id = ?`),
      delete: db.prepare(`DELETE FROM threads WHERE thread_id = ?`),
      count: db.prepare(`SELECT count(*) FROM threads`).pluck(),
      oldest: db.prepare(`SELECT * FROM threads WHERE status IN (SELECT value FROM json_each(?)) ORDER BY seq LIMIT ?`),
    };
  }

  async create(thread: NewThread): Promise<ThreadRecord> {
    const at = thread.createdAt ?? Date.now();
    const metadata = JSON.stringify(thread.metadata ?? {});
    const inserted = this.stmt.insert.run(thread.threadId, thread.graphId, thread.owner ?? null, at, at, metadata);
    if (inserted.changes === 0) throw new ThreadExistsError(thread.threadId);
    return fromRow(this.stmt.get.get(thread.threadId) as Row);
  }

  async get(threadId: string): Promise<ThreadRecord | undefined> {
    const row = this.stmt.get.get(threadId) as Row | undefined;
    return row && fromRow(row);
  }

  async setStatus(threadId: string, status: ThreadStatus, at = Date.now()): Promise<boolean> {
    return this.stmt.setStatus.run(status, at, threadId).changes > 0;
  }

  async touch(threadId: string, at = Date.now()): Promise<boolean> {
    return this.stmt.touch.run(at, threadId).changes > 0;
  }

  async list(query: ThreadListQuery): Promise<ThreadRecord[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (query.graphId !== undefined) (where.push("graph_id = ?"), params.push(query.graphId));
    if (query.status !== undefined) (where.push("status = ?"), params.push(query.status));
    if (query.owner !== undefined) (where.push("owner = ?"), params.push(query.owner));
    const sql = `SELECT * FROM threads ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY seq DESC LIMIT ? OFFSET ?`;
    let statement = this.listStatements.get(sql);
    if (!statement) this.listStatements.set(sql, (statement = this.db.prepare(sql)));
    return (statement.all(...params, query.limit, query.offset ?? 0) as Row[]).map(fromRow);
  }

  async count(): Promise<number> {
    return Number(this.stmt.count.get());
  }

  async oldest(limit: number, statuses: readonly ThreadStatus[]): Promise<ThreadRecord[]> {
    return (this.stmt.oldest.all(JSON.stringify(statuses), limit) as Row[]).map(fromRow);
  }

  async delete(threadId: string): Promise<boolean> {
    return this.stmt.delete.run(threadId).changes > 0;
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

function fromRow(row: Row): ThreadRecord {
  return threadFromRow(row, (metadata) => JSON.parse(metadata) as Record<string, unknown>);
}

function migrate(db: Database.Database, where: string): void {
  const current = db.pragma("user_version", { simple: true }) as number;
  if (current > SQLITE_THREADS_SCHEMA_VERSION) {
    throw new Error(`${where} has thread schema version ${current}, newer than this Rill's ${SQLITE_THREADS_SCHEMA_VERSION}; upgrade Rill or use another RILL_DATA_DIR`);
  }
  db.transaction(() => {
    for (let v = current + 1; v <= SQLITE_THREADS_SCHEMA_VERSION; v++) db.exec(MIGRATIONS[v]!);
    db.pragma(`user_version = ${SQLITE_THREADS_SCHEMA_VERSION}`);
  }).immediate();
}
