"use client";
// The threads list's data: `threads.list` (newest first; on a protected server only the caller's),
// fetched when the connection opens, whenever `refreshKey` changes (a run starting or ending in this tab)
// and every `intervalMs` while the tab is visible. One request at a time.
import { useEffect, useRef, useState } from "react";
import type { RillConnection, RouterOutputs } from "./trpcClient";
import { refusedCode } from "./useServerInfo";

export type ThreadListItem = RouterOutputs["threads"]["list"][number];

/** How many of the newest threads the list asks for. */
export const RECENT_THREADS_LIMIT = 30;

export interface RecentThreads {
  threads: ThreadListItem[];
  loaded: boolean;
  error: string | null;
}

export function useThreads(connection: RillConnection | null, refreshKey: string, intervalMs = 10_000): RecentThreads {
  const [state, setState] = useState<RecentThreads>({ threads: [], loaded: false, error: null });
  const refresh = useRef<() => void>(() => undefined);
  useEffect(() => {
    if (!connection) {
      setState((prev) => (prev.loaded ? { ...prev, loaded: false } : prev));
      return;
    }
    let live = true;
    let inFlight = false;
    let again = false;
    const load = () => {
      if (inFlight) {
        again = true;
        return;
      }
      inFlight = true;
      connection.trpc.threads.list
        .query({ limit: RECENT_THREADS_LIMIT })
        .then(
          (threads) => {
            if (live) setState({ threads, loaded: true, error: null });
          },
          (error: unknown) => {
            if (live) setState(refusedCode(error) ? { threads: [], loaded: false, error: null } : (prev) => ({ ...prev, loaded: true, error: error instanceof Error ? error.message : String(error) }));
          },
        )
        .finally(() => {
          inFlight = false;
          if (again && live) {
            again = false;
            load();
          }
        });
    };
    refresh.current = load;
    load();
    const timer = setInterval(() => {
      if (document.visibilityState === "visible") load();
    }, intervalMs);
    return () => {
      live = false;
      clearInterval(timer);
      refresh.current = () => undefined;
    };
  }, [connection, intervalMs]);
  useEffect(() => refresh.current(), [refreshKey]);
  return state;
}
