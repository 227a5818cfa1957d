"use client";
// The graphs the server can run and which model it uses, fetched once per connection.
import { TRPCClientError } from "@trpc/client";
import { useEffect, useState } from "react";
import type { GraphInfo, RillConnection, SystemInfo } from "./trpcClient";

export interface ServerInfo {
  graphs: GraphInfo[];
  system: SystemInfo | null;
  loading: boolean;
  error: string | null;
  /** The server refused the calls for want of a (valid) token: UNAUTHORIZED or FORBIDDEN. */
  refused: boolean;
}

function refusedCode(error: unknown): boolean {
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
    return () => {
      live = false;
    };
  }, [connection]);
  return info;
}
