"use client";
// The graphs the server can run and which model it uses, fetched once per connection.
import { useEffect, useState } from "react";
import type { GraphInfo, RillConnection, SystemInfo } from "./trpcClient";

export interface ServerInfo {
  graphs: GraphInfo[];
  system: SystemInfo | null;
  loading: boolean;
  error: string | null;
}

export function useServerInfo(connection: RillConnection | null): ServerInfo {
  const [info, setInfo] = useState<ServerInfo>({ graphs: [], system: null, loading: true, error: null });
  useEffect(() => {
    if (!connection) return;
    let live = true;
    Promise.all([connection.trpc.graphs.list.query(), connection.trpc.system.info.query()]).then(
      ([graphs, system]) => live && setInfo({ graphs, system, loading: false, error: null }),
      (error: unknown) => live && setInfo((prev) => ({ ...prev, loading: false, error: error instanceof Error ? error.message : String(error) })),
    );
    return () => {
      live = false;
    };
  }, [connection]);
  return info;
}
