"use client";
// The runs list's data: `runs.list` (newest first; on a protected server only the caller's runs), fetched
// when the connection opens, whenever `refreshKey` changes (the page passes the shown run's id and status,
// so a run starting or ending in this tab refreshes the list) and every `intervalMs` while the tab is
// visible (runs started elsewhere). One request at a time: a refresh asked for during one runs after it.
import { useEffect, useRef, useState } from "react";
import { mergeRunLists, type RunListItem } from "./runSummary";
import type { RillConnection } from "./trpcClient";
import { refusedCode } from "./useServerInfo";

/** How many of the newest runs the list asks for. */
export const RECENT_RUNS_LIMIT = 30;
/** How many interrupted runs it asks for besides (they stay reachable however old). */
export const INTERRUPTED_RUNS_LIMIT = 50;

export interface RecentRuns {
  runs: RunListItem[];
  loaded: boolean;
  error: string | null;
}

export function useRecentRuns(connection: RillConnection | null, refreshKey: string, intervalMs = 10_000): RecentRuns {
  const [state, setState] = useState<RecentRuns>({ runs: [], loaded: false, error: null });
  const refresh = useRef<() => void>(() => undefined);
  useEffect(() => {
    if (!connection) return;
    let live = true;
    let inFlight = false;
    let again = false;
    const load = () => {
      if (inFlight) {
        again = true;
        return;
      }
      inFlight = true;
      // Both queries go in one HTTP request (httpBatchLink).
      Promise.all([
        connection.trpc.runs.list.query({ limit: RECENT_RUNS_LIMIT }),
        connection.trpc.runs.list.query({ status: "interrupted", limit: INTERRUPTED_RUNS_LIMIT }),
      ])
        .then(
          ([recent, interrupted]) => {
            if (live) setState({ runs: mergeRunLists(recent, interrupted), loaded: true, error: null });
          },
          (error: unknown) => {
            // A refusal for want of a token is the token control's to say; the list just stays empty.
            if (live) setState(refusedCode(error) ? { runs: [], loaded: false, error: null } : (prev) => ({ ...prev, loaded: true, error: error instanceof Error ? error.message : String(error) }));
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
