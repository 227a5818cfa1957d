// The SQLite run store's schema, versioned with PRAGMA user_version (its file holds nothing else).
// Opening creates or migrates it; a file written by a newer Rill is refused rather than misread.
import type Database from "better-sqlite3";

export const RUN_STORE_SQLITE_VERSION = 1;

const MIGRATIONS: Record<number, string> = {
  1: `
    CREATE TABLE runs (
      run_id TEXT PRIMARY KEY, position INTEGER NOT NULL UNIQUE, head TEXT NOT NULL, state TEXT NOT NULL
    );
    -- A rowid table: each commit appends its chunks at the end of the table (a WITHOUT ROWID table keyed
    -- by run would rewrite a page per run per commit); the index finds a run's chunks.
    CREATE TABLE run_event_chunks (
      run_id TEXT NOT NULL, first_seq INTEGER NOT NULL, last_seq INTEGER NOT NULL, events TEXT NOT NULL,
      run_first_seq INTEGER NOT NULL, run_bytes INTEGER NOT NULL
    );
    CREATE UNIQUE INDEX run_event_chunks_by_run ON run_event_chunks (run_id, first_seq);
  `,
};

export function migrate(db: Database.Database, file: string): void {
  const current = db.pragma("user_version", { simple: true }) as number;
  if (current > RUN_STORE_SQLITE_VERSION) {
    throw new Error(
      `run store: ${file} has schema version ${current}, newer than this Rill's ${RUN_STORE_SQLITE_VERSION}; ` +
        `upgrade Rill or point RILL_DATA_DIR elsewhere`,
    );
  }
  if (current === RUN_STORE_SQLITE_VERSION) return;
  db.transaction(() => {
    for (let v = current + 1; v <= RUN_STORE_SQLITE_VERSION; v++) db.exec(MIGRATIONS[v]!);
    db.pragma(`user_version = ${RUN_STORE_SQLITE_VERSION}`);
  }).immediate();
}
