"use client";
// The threads list's data: `threads.list` (newest first; on a protected server only the caller's), polled
// by usePolledQuery (refreshKey: a run starting or ending in this tab).
import type { RillConnection, RouterOutputs } from "./trpcClient";
import { usePolledQuery } from "./usePolledQuery";

export type ThreadListItem = RouterOutputs["threads"]["list"][number];

/** How many of the newest threads the list asks for. */
export const RECENT_THREADS_LIMIT = 30;

export interface RecentThreads {
  threads: ThreadListItem[];
  loaded: boolean;
  error: string | null;
}

const NO_THREADS: ThreadListItem[] = [];

function listThreads(connection: RillConnection): Promise<ThreadListItem[]> {
  return connection.trpc.threads.list.query({ limit: RECENT_THREADS_LIMIT });
}

export function useThreads(connection: RillConnection | null, refreshKey: string, intervalMs = 10_000): RecentThreads {
  const { data, loaded, error } = usePolledQuery(connection, listThreads, NO_THREADS, refreshKey, intervalMs);
  return { threads: data, loaded, error };
}
