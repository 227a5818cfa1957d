"use client";
// The graphs the server can run and which model it uses, fetched once per connection. When the server
// reloads graphs as their files change (a project served by `npm run dev`), the graph list is fetched
// again after each change: graphs.changed is a long poll on its own unbatched HTTP request, made only
// when the server says its graphs are watched.
import { createTRPCClient, httpLink, TRPCClientError } from "@trpc/client";
import { useEffect, useState } from "react";
import type { AppRouter } from "../../server/router";
import { authHeaders, readAccessToken } from "./accessToken";
import { followGraphChanges } from "./followGraphChanges";
import { TRPC_PATH } from "./socketOptions";
import type { GraphInfo, RillConnection, SystemInfo } from "./trpcClient";

export interface ServerInfo {
  graphs: GraphInfo[];
  system: SystemInfo | null;
  loading: boolean;
  error: string | null;
  /** The server refused the calls for want of a (valid) token: UNAUTHORIZED or FORBIDDEN. */
  refused: boolean;
}

/** True for a call the server refused for want of a (valid) token: UNAUTHORIZED or FORBIDDEN. */
export function refusedCode(error: unknown): boolean {
  const code = error instanceof TRPCClientError ? (error.data as { code?: string } | undefined)?.code : undefined;
  return code === "UNAUTHORIZED" || code === "FORBIDDEN";
}

export function useServerInfo(connection: RillConnection | null): ServerInfo {
  const [info, setInfo] = useState<ServerInfo>({ graphs: [], system: null, loading: true, error: null, refused: false });
  useEffect(() => {
    if (!connection) return;
    let live = true;
    Promise.all([connection.trpc.graphs.list.query(), connection.trpc.system.info.query()]).then(
      ([graphs, system]) => live && setInfo({ graphs, system, loading: false, error: null, refused: false }),
      (error: unknown) =>
        live &&
        setInfo({ graphs: [], system: null, loading: false, error: error instanceof Error ? error.message : String(error), refused: refusedCode(error) }),
    );
    const abort = new AbortController();
    const poller = createTRPCClient<AppRouter>({ links: [httpLink({ url: TRPC_PATH, headers: () => authHeaders(readAccessToken()) })] });
    followGraphChanges(
      (input) => poller.graphs.changed.query(input, { signal: abort.signal }),
      async () => {
        const graphs = await connection.trpc.graphs.list.query();
        if (live) setInfo((prev) => ({ ...prev, graphs }));
      },
      () => live,
    ).catch(() => undefined); // a server gone or restarted: the connection indicator says so; a reload starts over
    return () => {
      live = false;
      abort.abort();
    };
  }, [connection]);
  return info;
}
