// The SQLite side of the durable run store: one file (`${RILL_DATA_DIR}/runs.db`), WAL mode, one
// transaction per commit batch. better-sqlite3 is synchronous, so every answer is a value: the run
// store over it answers reads and lookups without a promise.
import Database from "better-sqlite3";
import { emptyBatch, type CommitBatch, type RunLogBackend, type StoredLogEvent, type StoredRun } from "../durable/runLogBackend";
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
      migrate(this.db, where);
    } catch (error) {
      this.db.close();
      throw error;
    }
    const db = this.db;
    this.statements = {
      load: db.prepare<[], StoredRun>("SELECT run_id AS runId, position, head, state FROM runs ORDER BY position"),
      insertRun: db.prepare<[string, number, string, string]>("INSERT INTO runs (run_id, position, head, state) VALUES (?, ?, ?, ?)"),
      insertEvent: db.prepare<[string, number, string]>("INSERT OR REPLACE INTO run_events (run_id, seq, json) VALUES (?, ?, ?)"),
      updateState: db.prepare<[string, string]>("UPDATE runs SET state = ? WHERE run_id = ?"),
      evict: db.prepare<[string, number]>("DELETE FROM run_events WHERE run_id = ? AND seq < ?"),
      dropEvents: db.prepare<[string]>("DELETE FROM run_events WHERE run_id = ?"),
      dropRun: db.prepare<[string]>("DELETE FROM runs WHERE run_id = ?"),
      read: db.prepare<[string, number, number], StoredLogEvent>("SELECT seq, json FROM run_events WHERE run_id = ? AND seq BETWEEN ? AND ? ORDER BY seq"),
      sizes: db.prepare<[string, number], { size: number }>(
        "SELECT length(CAST(json AS BLOB)) AS size FROM run_events WHERE run_id = ? AND seq >= ? ORDER BY seq",
      ),
    };
    const s = this.statements;
    this.commitBatch = db.transaction((batch: CommitBatch) => {
      for (const run of batch.inserts) s.insertRun.run(run.runId, run.position, run.head, run.state);
      for (const event of batch.events) s.insertEvent.run(event.runId, event.seq, event.json);
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
    return this.statements.load.all();
  }

  commit(batch: CommitBatch): void {
    this.commitBatch(batch ?? emptyBatch());
  }

  read(runId: string, from: number, to: number): StoredLogEvent[] {
    return this.statements.read.all(runId, from, to);
  }

  eventSizes(runId: string, from: number): number[] {
    return this.statements.sizes.all(runId, from).map((row) => row.size);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
