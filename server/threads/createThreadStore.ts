// The thread store config.storage asks for: memory; SQLite in `${RILL_DATA_DIR}/threads.db`; PostgreSQL
// on DATABASE_URL, migrated before the server listens.
import { mkdirSync } from "node:fs";
import path from "node:path";
import type { StorageConfig } from "../config";
import { MemoryThreadStore } from "./stores/memory/memoryThreadStore";
import { PostgresThreadStore } from "./stores/postgres/postgresThreadStore";
import { SqliteThreadStore } from "./stores/sqlite/sqliteThreadStore";
import type { ThreadStore } from "./threadStore";

export const THREADS_FILE = "threads.db";

export async function createThreadStore(storage: StorageConfig): Promise<ThreadStore> {
  if (storage.kind === "memory") return new MemoryThreadStore();
  if (storage.kind === "sqlite") {
    try {
      mkdirSync(storage.dataDir, { recursive: true });
    } catch (error) {
      throw new Error(`RILL_DATA_DIR: cannot create ${storage.dataDir}: ${(error as Error).message}`);
    }
    return new SqliteThreadStore(path.join(storage.dataDir, THREADS_FILE));
  }
  const store = new PostgresThreadStore(storage.databaseUrl!);
  try {
    await store.setup();
  } catch (error) {
    await store.close().catch(() => undefined);
    throw error;
  }
  return store;
}
