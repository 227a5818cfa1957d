// The run store in PostgreSQL (DATABASE_URL): the durable store over PostgresRunLog. One Rill process
// per database: the records are loaded at start-up and kept in that process.
import type { RunStoreLimits } from "../../runStore";
import { DurableRunStore } from "../durable/durableRunStore";
import { PostgresRunLog } from "./postgresRunLog";

export async function openPostgresRunStore(databaseUrl: string, limits: RunStoreLimits, connectTimeoutMs?: number): Promise<DurableRunStore> {
  const log = await PostgresRunLog.open(databaseUrl, connectTimeoutMs);
  try {
    return await DurableRunStore.open(log, limits);
  } catch (error) {
    await log.close().catch(() => undefined);
    throw error;
  }
}
