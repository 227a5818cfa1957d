"use client";
// One thread's data for the thread section: its latest state (threads.get), its checkpoints
// (threads.history, newest first) and the runs on it (runs.list, kept to this thread's). Fetched when the
// thread or `refreshKey` changes (the page passes the shown run's id and status, so a run on the thread
// starting or ending refreshes it). `notFound` when the server does not have the thread (or it is not
// the caller's).
import { useEffect, useState } from "react";
import type { RunListItem } from "./runSummary";
import type { RillConnection, RouterOutputs } from "./trpcClient";

export type ThreadState = RouterOutputs["threads"]["get"];
export type ThreadCheckpoint = RouterOutputs["threads"]["history"][number];

/** How many checkpoints of the thread the section lists. */
export const THREAD_HISTORY_LIMIT = 50;
/** How many recent runs of the thread's graph are searched for the thread's own. */
export const THREAD_RUNS_SEARCH = 200;

export interface ThreadData {
  threadId: string;
  thread: ThreadState | null;
  history: ThreadCheckpoint[];
  runs: RunListItem[];
  notFound: boolean;
  error: string | null;
}

export function useThread(connection: RillConnection | null, threadId: string | null, refreshKey: string): ThreadData | null {
  const [data, setData] = useState<ThreadData | null>(null);
  useEffect(() => {
    if (!connection || !threadId) {
      setData(null);
      return;
    }
    let live = true;
    connection.trpc.threads.get.query({ threadId }).then(
      async (thread) => {
        const [history, runs] = await Promise.all([
          connection.trpc.threads.history.query({ threadId, limit: THREAD_HISTORY_LIMIT }),
          connection.trpc.runs.list.query({ graphId: thread.graphId, limit: THREAD_RUNS_SEARCH }),
        ]);
        if (live) setData({ threadId, thread, history, runs: runs.filter((r) => r.threadId === threadId), notFound: false, error: null });
      },
      (error: unknown) => {
        if (!live) return;
        const code = (error as { data?: { code?: string } }).data?.code;
        const message = error instanceof Error ? error.message : String(error);
        setData({ threadId, thread: null, history: [], runs: [], notFound: code === "NOT_FOUND", error: message });
      },
    ).catch((error: unknown) => {
      if (live) setData((prev) => (prev ? { ...prev, error: error instanceof Error ? error.message : String(error) } : prev));
    });
    return () => {
      live = false;
    };
  }, [connection, threadId, refreshKey]);
  return data && data.threadId === threadId ? data : null;
}
