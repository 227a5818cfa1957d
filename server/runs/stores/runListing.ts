// `list()` of a store that keeps its run records in memory, in the order the runs were created: newest
// first, filtered by status, graph and owner, at most `limit`. The memory and durable stores share it.
import type { RunListQuery, RunRecord } from "../runStore";

export function listNewestFirst(entries: Iterable<{ record: RunRecord }>, query: RunListQuery = {}): RunRecord[] {
  const limit = query.limit ?? Infinity;
  const out: RunRecord[] = [];
  const all = [...entries];
  for (let i = all.length - 1; i >= 0 && out.length < limit; i--) {
    const { record } = all[i]!;
    if (query.status && record.status !== query.status) continue;
    if (query.graphId && record.metadata.graph_id !== query.graphId) continue;
    if (query.owner !== undefined && record.owner !== query.owner) continue;
    out.push(record);
  }
  return out;
}
