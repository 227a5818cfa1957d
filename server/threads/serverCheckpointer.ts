// The server's checkpointer, from config.storage: every graph that does not bring its own keeps its
// threads' checkpoints here. memory: MemorySaver (gone with the process); sqlite: its own file,
// `${RILL_DATA_DIR}/checkpoints.db` (independent of the run store's file); postgres: DATABASE_URL, its
// tables migrated before the server listens (an unreachable server fails the start naming host and port).
import { mkdirSync } from "node:fs";
import path from "node:path";
import type { BaseCheckpointSaver } from "../../lib/graph/checkpoint/base";
import { MemorySaver } from "../../lib/graph/checkpoint/memory/memorySaver";
import { PostgresSaver } from "../../lib/graph/checkpoint/postgres";
import { SqliteSaver } from "../../lib/graph/checkpoint/sqlite";
import type { StorageConfig } from "../config";

export interface ServerCheckpointer {
  saver: BaseCheckpointSaver;
  /** Where it keeps checkpoints, for logs: "memory", a file, or host:port/db. */
  where: string;
  close(): Promise<void>;
}

export const CHECKPOINTS_FILE = "checkpoints.db";

export async function createServerCheckpointer(storage: StorageConfig): Promise<ServerCheckpointer> {
  if (storage.kind === "memory") return { saver: new MemorySaver(), where: "memory", close: async () => undefined };
  if (storage.kind === "sqlite") {
    const file = path.join(storage.dataDir, CHECKPOINTS_FILE);
    try {
      mkdirSync(storage.dataDir, { recursive: true });
    } catch (error) {
      throw new Error(`RILL_DATA_DIR: cannot create ${storage.dataDir}: ${(error as Error).message}`);
    }
    let saver: SqliteSaver;
    try {
      saver = new SqliteSaver(file);
    } catch (error) {
      throw new Error(`checkpoints: cannot open ${file} (RILL_DATA_DIR): ${(error as Error).message}`);
    }
    return { saver, where: file, close: () => saver.close() };
  }
  const saver = new PostgresSaver({ connectionString: storage.databaseUrl! });
  try {
    await saver.setup();
  } catch (error) {
    await saver.close().catch(() => undefined);
    throw new Error(`checkpoints: ${(error as Error).message}`);
  }
  return { saver, where: "postgres", close: () => saver.close() };
}
