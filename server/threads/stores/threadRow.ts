// A thread's row as the SQL stores keep it (SQLite and PostgreSQL: the same columns), and the record it
// reads back as. The two differ only in how metadata arrives: SQLite's TEXT column is JSON to parse,
// PostgreSQL's JSONB column is already an object.
import type { ThreadRecord, ThreadStatus } from "../threadStore";

export interface ThreadRow<Metadata> {
  thread_id: string;
  graph_id: string;
  owner: string | null;
  created_at: number | string;
  updated_at: number | string;
  metadata: Metadata;
  status: string;
}

export function threadFromRow<Metadata>(row: ThreadRow<Metadata>, readMetadata: (stored: Metadata) => Record<string, unknown>): ThreadRecord {
  return {
    threadId: row.thread_id,
    graphId: row.graph_id,
    ...(row.owner !== null ? { owner: row.owner } : {}),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    metadata: readMetadata(row.metadata),
    status: row.status as ThreadStatus,
  };
}
