// The PostgreSQL side of the durable run store (DATABASE_URL): one transaction per commit batch, each
// kind of row written with one statement over arrays (unnest), so a batch of any size is a handful of
// round trips, and one row per run per batch for its events (eventChunks.ts). Reads of what is not held
// in memory (replays, finished runs) are queries.
import type pg from "pg";
import { createPool, describeTarget } from "../../../../lib/graph/checkpoint/postgres/connection";
import { isTerminalStatus } from "../../../../lib/run/runStatus";
import { eventsOfChunks, sizesOfChunks } from "../durable/eventChunks";
import type { CommitAnswer, CommitBatch, RunLogBackend, StoredLogEvent, StoredRun } from "../durable/runLogBackend";
import { busyThreads, countAdmitted } from "./leaseAdmission";
import type { RunListQuery } from "../../runStore";
import { migrate } from "./schema";

/** A run's row with its newest chunk's tail (null columns: no chunk yet). */
interface TailedRow {
  position: string;
  head: string;
  state: string;
  last_seq: string | null;
  run_first_seq: string | null;
  run_bytes: string | null;
}

function storedRunOf(runId: string, row: TailedRow): StoredRun {
  const run: StoredRun = { runId, position: Number(row.position), head: row.head, state: row.state };
  if (row.last_seq !== null) run.tail = { lastSeq: Number(row.last_seq), firstSeq: Number(row.run_first_seq), bytes: Number(row.run_bytes) };
  return run;
}

/** PostgreSQL's deadlock_detected: it aborted this statement (all of it: nothing was written) to break a cycle. */
const DEADLOCK = "40P01";
const DEADLOCK_ATTEMPTS = 3;

/**
 * Runs a one-statement commit again when PostgreSQL broke a deadlock by aborting it (the statement is its own
 * transaction, so nothing of it stayed). Leases are locked in one order everywhere, so this is a safety net.
 */
async function retryingDeadlocks<T>(commit: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await commit();
    } catch (error) {
      if ((error as { code?: unknown }).code !== DEADLOCK || attempt >= DEADLOCK_ATTEMPTS) throw error;
    }
  }
}

/** The batch without anything of these runs (queued runs not admitted: created in this very batch). */
function withoutRuns(batch: CommitBatch, runIds: Set<string>): CommitBatch {
  const keep = <T extends { runId: string }>(items: T[]) => items.filter((item) => !runIds.has(item.runId));
  return { ...batch, inserts: keep(batch.inserts), chunks: keep(batch.chunks), states: keep(batch.states), evictions: keep(batch.evictions), queued: keep(batch.queued) };
}

export class PostgresRunLog implements RunLogBackend {
  readonly where: string;

  private constructor(
    private readonly pool: pg.Pool,
    where: string,
  ) {
    this.where = where;
  }

  /**
   * Connects and migrates. An unreachable server fails within `connectTimeoutMs` naming host and port;
   * a newer schema fails saying so.
   */
  static async open(connectionString: string, connectTimeoutMs?: number): Promise<PostgresRunLog> {
    const where = describeTarget(connectionString);
    const pool = createPool(connectionString, connectTimeoutMs);
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw new Error(`run store: cannot connect to PostgreSQL at ${where} (DATABASE_URL): ${(error as Error).message || String(error)}`);
    }
    try {
      await migrate(client, where);
    } catch (error) {
      client.release();
      await pool.end().catch(() => undefined);
      throw error;
    }
    client.release();
    return new PostgresRunLog(pool, where);
  }

  async load(): Promise<StoredRun[]> {
    const { rows } = await this.pool.query<TailedRow & { run_id: string }>(
      "SELECT r.run_id, r.position, r.head, r.state, t.last_seq, t.run_first_seq, t.run_bytes FROM rill_runs r LEFT JOIN " +
        "(SELECT DISTINCT ON (run_id) run_id, last_seq, run_first_seq, run_bytes FROM rill_run_event_chunks ORDER BY run_id, first_seq DESC) t " +
        "ON t.run_id = r.run_id ORDER BY r.position",
    );
    return rows.map((row) => storedRunOf(row.run_id, row));
  }

  /**
   * Newest first, filtered and limited here: a deployment's runs.list reads the rows it answers with, not
   * every run. Status, graph and owner are read from the rows' JSON (no index: the scan stops at `limit`).
   */
  async list(query: RunListQuery): Promise<StoredRun[]> {
    const { rows } = await this.pool.query<TailedRow & { run_id: string }>(
      "SELECT r.run_id, r.position, r.head, r.state, t.last_seq, t.run_first_seq, t.run_bytes FROM rill_runs r LEFT JOIN LATERAL " +
        "(SELECT last_seq, run_first_seq, run_bytes FROM rill_run_event_chunks c WHERE c.run_id = r.run_id ORDER BY first_seq DESC LIMIT 1) t ON true " +
        "WHERE ($1::text IS NULL OR r.state::jsonb->>'status' = $1) AND ($2::text IS NULL OR r.head::jsonb->'metadata'->>'graph_id' = $2) " +
        "AND ($3::text IS NULL OR r.head::jsonb->>'owner' = $3) ORDER BY r.position DESC, r.run_id DESC LIMIT $4",
      [query.status ?? null, query.graphId ?? null, query.owner ?? null, query.limit ?? null],
    );
    return rows.map((row) => storedRunOf(row.run_id, row));
  }

  async loadRun(runId: string): Promise<StoredRun | undefined> {
    const { rows } = await this.pool.query<TailedRow>(
      "SELECT r.position, r.head, r.state, t.last_seq, t.run_first_seq, t.run_bytes FROM rill_runs r LEFT JOIN LATERAL " +
        "(SELECT last_seq, run_first_seq, run_bytes FROM rill_run_event_chunks c WHERE c.run_id = r.run_id ORDER BY first_seq DESC LIMIT 1) t ON true " +
        "WHERE r.run_id = $1",
      [runId],
    );
    const row = rows[0];
    return row ? storedRunOf(runId, row) : undefined;
  }

  /** The pool, for a deployment's other tables (server/cluster/runLeases.ts). */
  get connections(): pg.Pool {
    return this.pool;
  }

  /**
   * The whole batch as one statement (data-modifying CTEs): atomic on its own, one round trip. The
   * parts do not see each other's rows, which the store never needs: it neither drops nor evicts, in a
   * batch, what the same batch inserts.
   */
  async commit(batch: CommitBatch): Promise<CommitAnswer | void> {
    const { admission, queued } = batch;
    if (admission === undefined || queued.length === 0) return retryingDeadlocks(() => this.commitStatement(this.pool, batch));
    // Queued runs, counted against the deployment's limit: the count and the writes under one advisory
    // lock (every process takes it to admit runs: runLeases.ts too), so no two admit the last slot.
    const client = await this.pool.connect();
    try {
      await client.query("BEGIN");
      const count = await countAdmitted(client);
      const threadBusy = await busyThreads(client, queued);
      const busy = new Set(threadBusy.map((b) => b.runId));
      const free = busy.size === 0 ? queued : queued.filter((q) => !busy.has(q.runId));
      const room = Math.max(0, admission.limit - count);
      const over = free.slice(room).map((q) => q.runId);
      const answer: CommitAnswer = await this.commitStatement(client, over.length + busy.size === 0 ? batch : withoutRuns(batch, new Set([...over, ...busy])));
      await client.query("COMMIT");
      if (over.length > 0) answer.notAdmitted = { runIds: over, count, limit: admission.limit };
      if (threadBusy.length > 0) answer.threadBusy = threadBusy;
      return answer;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /** The batch as one statement (data-modifying CTEs). */
  private async commitStatement(db: pg.Pool | pg.PoolClient, batch: CommitBatch): Promise<CommitAnswer> {
    const parts: string[] = [];
    const values: unknown[] = [];
    const param = (value: unknown, type: string) => {
      values.push(value);
      return `$${values.length}::${type}`;
    };
    const { inserts, chunks, states, evictions, drops, queued, fence } = batch;
    // Fencing (a deployment): `held` locks (FOR UPDATE, until the statement commits) the leases this process
    // still holds with the generation it took them with, so no takeover can slip in between the check and
    // the writes; the events and state rows of the other fenced runs (`refused`) are not written. The rows
    // are locked in run id order, as the lease renewal locks them (runLeases.ts), and for update at once, not
    // for share: the statement deletes the leases of runs that end, and upgrading a shared lock while a
    // renewal waits for it is a deadlock (PostgreSQL then aborts one of the two: a commit lost its events).
    const fenced = fence !== undefined && fence.runs.length > 0;
    const unlessRefused = fenced ? " WHERE v.run_id NOT IN (SELECT run_id FROM refused)" : "";
    if (fenced) {
      const runIds = param(fence.runs.map((f) => f.runId), "text[]");
      parts.push(
        `SELECT l.run_id FROM rill_run_leases l JOIN unnest(${runIds}, ${param(fence.runs.map((f) => f.generation), "bigint[]")}) AS f(run_id, generation) ` +
          `ON l.run_id = f.run_id AND l.generation = f.generation WHERE l.worker = ${param(fence.worker, "text")} ORDER BY l.run_id FOR UPDATE OF l`,
        `SELECT r AS run_id FROM unnest(${runIds}) AS r WHERE r NOT IN (SELECT run_id FROM held)`,
      );
    }
    if (inserts.length > 0) {
      parts.push(
        `INSERT INTO rill_runs (run_id, position, head, state) SELECT * FROM unnest(${param(inserts.map((r) => r.runId), "text[]")}, ` +
          `${param(inserts.map((r) => r.position), "bigint[]")}, ${param(inserts.map((r) => r.head), "text[]")}, ${param(inserts.map((r) => r.state), "text[]")})`,
      );
    }
    if (queued.length > 0) {
      // A queued lease (runLeases.ts): no worker, an expiry a thousand years back. With its record, in this statement.
      parts.push(
        `INSERT INTO rill_run_leases (run_id, worker, expires_at, start, thread_id) SELECT q.run_id, '', clock_timestamp() - interval '1000 years', q.start, q.thread_id ` +
          `FROM unnest(${param(queued.map((q) => q.runId), "text[]")}, ${param(queued.map((q) => q.start), "text[]")}, ` +
          `${param(queued.map((q) => q.threadId), "text[]")}) AS q(run_id, start, thread_id)`,
      );
    }
    if (chunks.length > 0) {
      parts.push(
        "INSERT INTO rill_run_event_chunks (run_id, first_seq, last_seq, events, run_first_seq, run_bytes) SELECT v.* FROM unnest(" +
          [
            param(chunks.map((c) => c.runId), "text[]"),
            param(chunks.map((c) => c.firstChunkSeq), "bigint[]"),
            param(chunks.map((c) => c.lastSeq), "bigint[]"),
            param(chunks.map((c) => c.text), "text[]"),
            param(chunks.map((c) => c.firstSeq), "bigint[]"),
            param(chunks.map((c) => c.bytes), "bigint[]"),
          ].join(", ") +
          `) AS v(run_id, first_seq, last_seq, events, run_first_seq, run_bytes)${unlessRefused} ` +
          "ON CONFLICT (run_id, first_seq) DO UPDATE SET last_seq = EXCLUDED.last_seq, events = EXCLUDED.events, " +
          "run_first_seq = EXCLUDED.run_first_seq, run_bytes = EXCLUDED.run_bytes",
      );
    }
    if (states.length > 0) {
      parts.push(
        `UPDATE rill_runs r SET state = v.state FROM unnest(${param(states.map((s) => s.runId), "text[]")}, ${param(states.map((s) => s.state), "text[]")}) ` +
          `AS v(run_id, state) WHERE r.run_id = v.run_id${fenced ? " AND v.run_id NOT IN (SELECT run_id FROM refused)" : ""}`,
      );
    }
    if (batch.admission !== undefined && states.length > 0) {
      // A run's lease is parked while it waits at an interrupt (not counted against RILL_MAX_RUNS), and goes
      // with the status that ends the run (its thread is free for every process as the run ends).
      const going = states.filter((s) => !isTerminalStatus(s.status));
      const ended = states.filter((s) => isTerminalStatus(s.status));
      const notRefused = fenced ? " AND v.run_id NOT IN (SELECT run_id FROM refused)" : "";
      if (going.length > 0) {
        parts.push(
          `UPDATE rill_run_leases l SET parked = v.interrupted FROM unnest(${param(going.map((s) => s.runId), "text[]")}, ` +
            `${param(going.map((s) => s.status === "interrupted"), "boolean[]")}) AS v(run_id, interrupted) WHERE l.run_id = v.run_id AND l.parked <> v.interrupted${notRefused}`,
        );
      }
      if (ended.length > 0) {
        parts.push(`DELETE FROM rill_run_leases l USING unnest(${param(ended.map((s) => s.runId), "text[]")}) AS v(run_id) WHERE l.run_id = v.run_id${notRefused}`);
      }
    }
    if (evictions.length > 0) {
      const evictTo = new Map<string, number>();
      for (const { runId, beforeSeq } of evictions) evictTo.set(runId, beforeSeq);
      parts.push(
        `DELETE FROM rill_run_event_chunks e USING unnest(${param([...evictTo.keys()], "text[]")}, ${param([...evictTo.values()], "bigint[]")}) ` +
          "AS v(run_id, before) WHERE e.run_id = v.run_id AND e.last_seq < v.before",
      );
    }
    if (drops.length > 0) {
      const ids = param(drops, "text[]");
      parts.push(`DELETE FROM rill_run_event_chunks WHERE run_id = ANY(${ids})`, `DELETE FROM rill_runs WHERE run_id = ANY(${ids})`);
    }
    if (parts.length === 0) return {};
    if (fenced) {
      // held, refused, then the writes; the statement answers the refused runs.
      const names = ["held", "refused", ...parts.slice(2).map((_, i) => `p${i}`)];
      const sql = `WITH ${parts.map((part, i) => `${names[i]} AS (${part})`).join(", ")} SELECT run_id FROM refused`;
      const { rows } = await db.query<{ run_id: string }>(sql, values);
      return rows.length > 0 ? { refused: rows.map((row) => row.run_id) } : {};
    }
    const sql = parts.length === 1 ? parts[0]! : `WITH ${parts.slice(0, -1).map((part, i) => `p${i} AS (${part})`).join(", ")} ${parts.at(-1)}`;
    await db.query(sql, values);
    return {};
  }

  /** The chunks from the one holding `from` (an index seek) to the one holding `to`. */
  private async chunks(runId: string, from: number, to: number): Promise<Array<{ firstSeq: number; text: string }>> {
    const { rows } = await this.pool.query<{ first_seq: string; events: string }>(
      "SELECT first_seq, events FROM rill_run_event_chunks WHERE run_id = $1 AND first_seq <= $3 AND " +
        "first_seq >= coalesce((SELECT max(first_seq) FROM rill_run_event_chunks WHERE run_id = $1 AND first_seq <= $2), 0) ORDER BY first_seq",
      [runId, from, to],
    );
    return rows.map((row) => ({ firstSeq: Number(row.first_seq), text: row.events }));
  }

  async read(runId: string, from: number, to: number): Promise<StoredLogEvent[]> {
    return eventsOfChunks(await this.chunks(runId, from, to), from, to);
  }

  async eventSizes(runId: string, from: number): Promise<number[]> {
    return sizesOfChunks(await this.chunks(runId, from, Number.MAX_SAFE_INTEGER), from);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
