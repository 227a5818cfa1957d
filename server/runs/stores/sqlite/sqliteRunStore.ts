// The embedded durable run store: `${dataDir}/runs.db` (RILL_DATA_DIR, default ./.rill). Opening
// creates the directory; one that cannot be created or written fails naming the path.
import { accessSync, constants, mkdirSync } from "node:fs";
import path from "node:path";
import type { RunStoreLimits } from "../../runStore";
import { DurableRunStore } from "../durable/durableRunStore";
import { SqliteRunLog } from "./sqliteRunLog";

export const RUNS_FILE = "runs.db";

export async function openSqliteRunStore(dataDir: string, limits: RunStoreLimits): Promise<DurableRunStore> {
  const dir = path.resolve(dataDir);
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
  } catch (error) {
    throw new Error(`RILL_DATA_DIR: ${dir} cannot be written (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); the run store keeps ${RUNS_FILE} there`);
  }
  const file = path.join(dir, RUNS_FILE);
  let log: SqliteRunLog;
  try {
    log = new SqliteRunLog(file);
  } catch (error) {
    throw new Error(`run store: cannot open ${file}: ${(error as Error).message}`);
  }
  return DurableRunStore.open(log, limits);
}
