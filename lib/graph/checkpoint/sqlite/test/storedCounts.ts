// What a SQLite checkpoint file holds, counted as checkpoints and pending writes whichever way they are
// stored: rows of `checkpoints` and `writes`, and the checkpoints of chains with the writes they hold.
import type Database from "better-sqlite3";
import { chainEntries, type ChainRow } from "../../durable/chains";

export function storedCounts(db: Database.Database, threadId?: string): { checkpoints: number; writes: number; chains: number } {
  const where = threadId === undefined ? "" : " WHERE thread_id = ?";
  const params = threadId === undefined ? [] : [threadId];
  const count = (table: string) => (db.prepare(`SELECT count(*) AS c FROM ${table}${where}`).get(...params) as { c: number }).c;
  let checkpoints = count("checkpoints");
  let writes = count("writes");
  const chains = db.prepare(`SELECT * FROM checkpoint_chains${where}`).all(...params) as ChainRow[];
  for (const chain of chains) {
    for (const entry of chainEntries(chain)) {
      checkpoints++;
      writes += entry.folded?.length ?? 0;
    }
  }
  return { checkpoints, writes, chains: chains.length };
}
