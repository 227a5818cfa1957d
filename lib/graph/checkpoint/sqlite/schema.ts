// The SQLite saver's schema, versioned with PRAGMA user_version. Opening a store creates it or migrates
// it forward; a store written by a newer Rill (a higher version) is refused rather than misread.
import type Database from "better-sqlite3";

export const SQLITE_SCHEMA_VERSION = 2;

/** The SQL that brings a store to each version from the one before. */
export const SQLITE_MIGRATIONS: Record<number, string> = {
  1: `
    CREATE TABLE checkpoints (
      thread_id TEXT NOT NULL, checkpoint_ns TEXT NOT NULL, checkpoint_id TEXT NOT NULL,
      parent_id TEXT, type TEXT NOT NULL, checkpoint BLOB NOT NULL, metadata TEXT NOT NULL, layout TEXT NOT NULL,
      PRIMARY KEY (thread_id, checkpoint_ns, checkpoint_id)
    ) WITHOUT ROWID;
    CREATE TABLE writes (
      thread_id TEXT NOT NULL, checkpoint_ns TEXT NOT NULL, checkpoint_id TEXT NOT NULL,
      task_id TEXT NOT NULL, idx INTEGER NOT NULL, channel TEXT NOT NULL, type TEXT NOT NULL, value BLOB,
      task_path TEXT NOT NULL,
      PRIMARY KEY (thread_id, checkpoint_ns, checkpoint_id, task_id, idx)
    ) WITHOUT ROWID;
  `,
  // Chains: a run's consecutive checkpoints (each the parent of the next) with the writes made on each,
  // committed together by the commit thread in one row (commitThread.ts): `parent_id` is the first one's
  // parent, `body` their fields joined by U+0000 (durable/chains.ts). One insert for a batch of steps instead of
  // one or two a step.
  2: `
    CREATE TABLE checkpoint_chains (
      thread_id TEXT NOT NULL, checkpoint_ns TEXT NOT NULL, first_id TEXT NOT NULL, last_id TEXT NOT NULL,
      parent_id TEXT, body TEXT NOT NULL,
      PRIMARY KEY (thread_id, checkpoint_ns, first_id)
    ) WITHOUT ROWID;
    CREATE INDEX checkpoint_chains_by_last ON checkpoint_chains (thread_id, checkpoint_ns, last_id);
  `,
};

/** Creates or migrates the schema in one transaction; throws naming the file when the store is newer. */
export function migrate(db: Database.Database, where: string): void {
  const current = db.pragma("user_version", { simple: true }) as number;
  if (current > SQLITE_SCHEMA_VERSION) {
    throw new Error(
      `SqliteSaver: ${where} has checkpoint schema version ${current}, newer than this Rill's ${SQLITE_SCHEMA_VERSION}; ` +
        `upgrade Rill or use another file`,
    );
  }
  if (current === SQLITE_SCHEMA_VERSION) return;
  db.transaction(() => {
    for (let v = current + 1; v <= SQLITE_SCHEMA_VERSION; v++) db.exec(SQLITE_MIGRATIONS[v]);
    db.pragma(`user_version = ${SQLITE_SCHEMA_VERSION}`);
  }).immediate();
}
