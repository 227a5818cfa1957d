"use client";
// The runs list's data: `runs.list` (newest first; on a protected server only the caller's runs), the
// newest runs and the interrupted ones, polled by usePolledQuery (the page's refreshKey is the shown run's
// id and status, so a run starting or ending in this tab refreshes the list).
import { mergeRunLists, type RunListItem } from "./runSummary";
import type { RillConnection } from "./trpcClient";
import { usePolledQuery } from "./usePolledQuery";

/** How many of the newest runs the list asks for. */
export const RECENT_RUNS_LIMIT = 30;
/** How many interrupted runs it asks for besides (they stay reachable however old). */
export const INTERRUPTED_RUNS_LIMIT = 50;

export interface RecentRuns {
  runs: RunListItem[];
  loaded: boolean;
  error: string | null;
}

const NO_RUNS: RunListItem[] = [];

async function listRecentRuns(connection: RillConnection): Promise<RunListItem[]> {
  // Both queries go in one HTTP request (httpBatchLink).
  const [recent, interrupted] = await Promise.all([
    connection.trpc.runs.list.query({ limit: RECENT_RUNS_LIMIT }),
    connection.trpc.runs.list.query({ status: "interrupted", limit: INTERRUPTED_RUNS_LIMIT }),
  ]);
  return mergeRunLists(recent, interrupted);
}

export function useRecentRuns(connection: RillConnection | null, refreshKey: string, intervalMs = 10_000): RecentRuns {
  const { data, loaded, error } = usePolledQuery(connection, listRecentRuns, NO_RUNS, refreshKey, intervalMs);
  return { runs: data, loaded, error };
}
