// The run store in PostgreSQL (DATABASE_URL): the durable store over PostgresRunLog. One Rill process
// per database unless they form a deployment (server/cluster/), which reloads what others change.
import type { RunStoreLimits } from "../../runStore";
import { DurableRunStore, type DurableStoreHooks } from "../durable/durableRunStore";
import { PostgresRunLog } from "./postgresRunLog";

export async function openPostgresRunStore(
  databaseUrl: string,
  limits: RunStoreLimits,
  connectTimeoutMs?: number,
  hooks?: DurableStoreHooks,
): Promise<DurableRunStore> {
  const log = await PostgresRunLog.open(databaseUrl, connectTimeoutMs);
  try {
    return await DurableRunStore.open(log, limits, hooks);
  } catch (error) {
    await log.close().catch(() => undefined);
    throw error;
  }
}
