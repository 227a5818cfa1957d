// The run store config.storage names: memory (RILL_STORE=memory), SQLite in RILL_DATA_DIR (the default),
// or PostgreSQL (DATABASE_URL). A store that cannot be opened fails the start with a StorageError naming
// the path or host:port (main.ts prints it and exits 2), never a hang.
import type { StorageConfig } from "../../config";
import type { RunStore, RunStoreLimits } from "../runStore";
import { MemoryRunStore } from "./memory/memoryRunStore";
import { openPostgresRunStore } from "./postgres/postgresRunStore";
import { openSqliteRunStore } from "./sqlite/sqliteRunStore";

export class StorageError extends Error {
  override name = "StorageError";
}

/** Where the store keeps runs, for the start-up log line: "memory", a file, or host:port/db. */
export interface OpenedRunStore {
  store: RunStore;
  where: string;
}

export async function openRunStore(storage: StorageConfig, limits: RunStoreLimits): Promise<OpenedRunStore> {
  if (storage.kind === "memory") return { store: new MemoryRunStore(limits), where: "memory" };
  try {
    const store = storage.kind === "sqlite" ? await openSqliteRunStore(storage.dataDir, limits) : await openPostgresRunStore(storage.databaseUrl!, limits);
    return { store, where: store.where };
  } catch (error) {
    throw new StorageError(error instanceof Error ? error.message : String(error));
  }
}
