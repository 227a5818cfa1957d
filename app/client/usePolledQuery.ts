"use client";
// A list the page keeps fresh by polling: `query` is called when the connection opens, whenever
// `refreshKey` changes (the page passes what changes when a run starts or ends in this tab) and every
// `intervalMs` while the tab is visible (changes made elsewhere). One request at a time: a refresh asked
// for during one runs after it. A refusal for want of a token is the token control's to say: the data
// then stays empty and no error is shown.
import { useEffect, useRef, useState } from "react";
import type { RillConnection } from "./trpcClient";
import { refusedCode } from "./useServerInfo";

export interface PolledQuery<Data> {
  data: Data;
  loaded: boolean;
  error: string | null;
}

/** `query` should be a module-level function (it is read when the connection changes, not every render). */
export function usePolledQuery<Data>(
  connection: RillConnection | null,
  query: (connection: RillConnection) => Promise<Data>,
  empty: Data,
  refreshKey: string,
  intervalMs: number,
): PolledQuery<Data> {
  const [state, setState] = useState<PolledQuery<Data>>({ data: empty, loaded: false, error: null });
  const refresh = useRef<() => void>(() => undefined);
  const queryRef = useRef(query);
  queryRef.current = query;
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
      queryRef
        .current(connection)
        .then(
          (data) => {
            if (live) setState({ data, loaded: true, error: null });
          },
          (error: unknown) => {
            if (!live) return;
            if (refusedCode(error)) setState({ data: empty, loaded: false, error: null });
            else setState((prev) => ({ ...prev, loaded: true, error: error instanceof Error ? error.message : String(error) }));
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
    // `empty` is a constant of the caller's; the query is read through its ref, so neither is a dependency.
  }, [connection, intervalMs]);
  useEffect(() => refresh.current(), [refreshKey]);
  return state;
}
