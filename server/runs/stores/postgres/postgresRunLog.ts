// The PostgreSQL side of the durable run store (DATABASE_URL): one transaction per commit batch, each
// kind of row written with one statement over arrays (unnest), so a batch of any size is a handful of
// round trips. Reads of what is not held in memory (replays, finished runs) are queries.
import type pg from "pg";
import { createPool, describeTarget } from "../../../../lib/graph/checkpoint/postgres/connection";
import type { CommitBatch, RunLogBackend, StoredLogEvent, StoredRun } from "../durable/runLogBackend";
import { migrate } from "./schema";

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
    const { rows } = await this.pool.query<{ run_id: string; position: string; head: string; state: string }>(
      "SELECT run_id, position, head, state FROM rill_runs ORDER BY position",
    );
    return rows.map((row) => ({ runId: row.run_id, position: Number(row.position), head: row.head, state: row.state }));
  }

  async commit(batch: CommitBatch): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query("BEGIN");
      if (batch.inserts.length > 0) {
        await client.query(
          "INSERT INTO rill_runs (run_id, position, head, state) SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[])",
          [batch.inserts.map((r) => r.runId), batch.inserts.map((r) => r.position), batch.inserts.map((r) => r.head), batch.inserts.map((r) => r.state)],
        );
      }
      if (batch.events.length > 0) {
        await client.query(
          "INSERT INTO rill_run_events (run_id, seq, json) SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[]) " +
            "ON CONFLICT (run_id, seq) DO UPDATE SET json = EXCLUDED.json",
          [batch.events.map((e) => e.runId), batch.events.map((e) => e.seq), batch.events.map((e) => e.json)],
        );
      }
      if (batch.states.length > 0) {
        await client.query(
          "UPDATE rill_runs r SET state = v.state FROM unnest($1::text[], $2::text[]) AS v(run_id, state) WHERE r.run_id = v.run_id",
          [batch.states.map((s) => s.runId), batch.states.map((s) => s.state)],
        );
      }
      if (batch.evictions.length > 0) {
        const evictTo = new Map<string, number>();
        for (const { runId, beforeSeq } of batch.evictions) evictTo.set(runId, beforeSeq);
        await client.query(
          "DELETE FROM rill_run_events e USING unnest($1::text[], $2::bigint[]) AS v(run_id, before) WHERE e.run_id = v.run_id AND e.seq < v.before",
          [[...evictTo.keys()], [...evictTo.values()]],
        );
      }
      if (batch.drops.length > 0) {
        await client.query("DELETE FROM rill_run_events WHERE run_id = ANY($1::text[])", [batch.drops]);
        await client.query("DELETE FROM rill_runs WHERE run_id = ANY($1::text[])", [batch.drops]);
      }
      await client.query("COMMIT");
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async read(runId: string, from: number, to: number): Promise<StoredLogEvent[]> {
    const { rows } = await this.pool.query<{ seq: string; json: string }>(
      "SELECT seq, json FROM rill_run_events WHERE run_id = $1 AND seq BETWEEN $2 AND $3 ORDER BY seq",
      [runId, from, to],
    );
    return rows.map((row) => ({ seq: Number(row.seq), json: row.json }));
  }

  async eventSizes(runId: string, from: number): Promise<number[]> {
    const { rows } = await this.pool.query<{ size: number }>(
      "SELECT octet_length(json) AS size FROM rill_run_events WHERE run_id = $1 AND seq >= $2 ORDER BY seq",
      [runId, from],
    );
    return rows.map((row) => row.size);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
