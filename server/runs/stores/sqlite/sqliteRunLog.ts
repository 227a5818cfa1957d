// The SQLite side of the durable run store: one file (`${RILL_DATA_DIR}/runs.db`), WAL mode, one
// transaction per commit batch, one row per run per batch for its events (eventChunks.ts). better-sqlite3 is synchronous, so every answer is a value: the run
// store over it answers reads and lookups without a promise.
import Database from "better-sqlite3";
import { eventsOfChunks, sizesOfChunks } from "../durable/eventChunks";
import type { CommitBatch, RunLogBackend, StoredLogEvent, StoredRun } from "../durable/runLogBackend";
import { migrate } from "./schema";

export class SqliteRunLog implements RunLogBackend {
  private readonly db: Database.Database;
  private readonly statements;
  private readonly commitBatch: (batch: CommitBatch) => void;

  constructor(readonly where: string) {
    this.db = new Database(where);
    try {
      this.db.pragma("journal_mode = WAL");
      // WAL with synchronous=NORMAL: a killed process loses nothing committed (the OS has it); only a
      // power loss may lose the last transactions, never corrupt the file.
      this.db.pragma("synchronous = NORMAL");
      this.db.pragma("busy_timeout = 5000");
      this.db.pragma("cache_size = -16000");
      migrate(this.db, where);
    } catch (error) {
      this.db.close();
      throw error;
    }
    const db = this.db;
    this.statements = {
      load: db.prepare<[], { runId: string; position: number; head: string; state: string; lastSeq: number | null; firstSeq: number; bytes: number }>(
        "SELECT r.run_id AS runId, r.position, r.head, r.state, t.last_seq AS lastSeq, t.run_first_seq AS firstSeq, t.run_bytes AS bytes FROM runs r " +
          // SQLite fills the other columns of a max() aggregate from the row holding the max: each run's newest chunk.
          "LEFT JOIN (SELECT run_id, max(first_seq), last_seq, run_first_seq, run_bytes FROM run_event_chunks GROUP BY run_id) t ON t.run_id = r.run_id " +
          "ORDER BY r.position",
      ),
      insertRun: db.prepare<[string, number, string, string]>("INSERT INTO runs (run_id, position, head, state) VALUES (?, ?, ?, ?)"),
      insertChunk: db.prepare<[string, number, number, string, number, number]>(
        "INSERT OR REPLACE INTO run_event_chunks (run_id, first_seq, last_seq, events, run_first_seq, run_bytes) VALUES (?, ?, ?, ?, ?, ?)",
      ),
      updateState: db.prepare<[string, string]>("UPDATE runs SET state = ? WHERE run_id = ?"),
      evict: db.prepare<[string, number]>("DELETE FROM run_event_chunks WHERE run_id = ? AND last_seq < ?"),
      dropEvents: db.prepare<[string]>("DELETE FROM run_event_chunks WHERE run_id = ?"),
      dropRun: db.prepare<[string]>("DELETE FROM runs WHERE run_id = ?"),
      // From the chunk holding `from` (an index seek) to the one holding `to`.
      read: db.prepare<{ runId: string; from: number; to: number }, { firstSeq: number; text: string }>(
        "SELECT first_seq AS firstSeq, events AS text FROM run_event_chunks WHERE run_id = @runId AND first_seq <= @to AND " +
          "first_seq >= coalesce((SELECT max(first_seq) FROM run_event_chunks WHERE run_id = @runId AND first_seq <= @from), 0) ORDER BY first_seq",
      ),
    };
    const s = this.statements;
    this.commitBatch = db.transaction((batch: CommitBatch) => {
      for (const run of batch.inserts) s.insertRun.run(run.runId, run.position, run.head, run.state);
      for (const c of batch.chunks) s.insertChunk.run(c.runId, c.firstChunkSeq, c.lastSeq, c.text, c.firstSeq, c.bytes);
      for (const { runId, state } of batch.states) s.updateState.run(state, runId);
      // Only the last eviction of each run matters (they only move forward).
      const evictTo = new Map<string, number>();
      for (const { runId, beforeSeq } of batch.evictions) evictTo.set(runId, beforeSeq);
      for (const [runId, beforeSeq] of evictTo) s.evict.run(runId, beforeSeq);
      for (const runId of batch.drops) {
        s.dropEvents.run(runId);
        s.dropRun.run(runId);
      }
    });
  }

  load(): StoredRun[] {
    return this.statements.load.all().map(({ lastSeq, firstSeq, bytes, ...run }) => (lastSeq === null ? run : { ...run, tail: { lastSeq, firstSeq, bytes } }));
  }

  commit(batch: CommitBatch): void {
    if (batch.queued.length > 0) throw new Error(`run store: ${this.where} cannot queue runs (a deployment's run queue needs PostgreSQL)`);
    this.commitBatch(batch);
  }

  read(runId: string, from: number, to: number): StoredLogEvent[] {
    return eventsOfChunks(this.statements.read.all({ runId, from, to }), from, to);
  }

  eventSizes(runId: string, from: number): number[] {
    return sizesOfChunks(this.statements.read.all({ runId, from, to: Number.MAX_SAFE_INTEGER }), from);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
