"use client";
// The WebSocket client's state, as the connection indicator shows it. tRPC reports "connecting" both
// for the first connect and for retries after a loss; a retry after having been connected is
// "reconnecting", and several failed attempts in a row (or the browser saying it is offline) is "offline".
import { useEffect, useState } from "react";
import type { ConnectionStatus } from "../components/ConnectionIndicator";
import type { RillConnection } from "./trpcClient";

const FAILURES_BEFORE_OFFLINE = 3;

export function useConnectionStatus(connection: RillConnection | null): { status: ConnectionStatus; detail: string | null } {
  const [state, setState] = useState<{ status: ConnectionStatus; detail: string | null }>({ status: "connecting", detail: null });
  useEffect(() => {
    if (!connection) return;
    let everConnected = false;
    let failures = 0;
    let socketState: ConnectionStatus = "connecting";
    let detail: string | null = null;
    const publish = () => {
      const browserOffline = typeof navigator !== "undefined" && navigator.onLine === false;
      setState({ status: browserOffline ? "offline" : socketState, detail: browserOffline ? "The browser is offline" : detail });
    };
    const unsubscribe = connection.feed.onSocketState((s) => {
      {
        if (s.state === "pending") {
          everConnected = true;
          failures = 0;
          socketState = "connected";
          detail = null;
        } else if (s.state === "connecting") {
          if (s.error) failures++;
          detail = s.error;
          socketState = failures >= FAILURES_BEFORE_OFFLINE ? "offline" : everConnected ? "reconnecting" : "connecting";
        } else {
          socketState = everConnected ? "offline" : "connecting";
        }
        publish();
      }
    });
    window.addEventListener("online", publish);
    window.addEventListener("offline", publish);
    return () => {
      unsubscribe();
      window.removeEventListener("online", publish);
      window.removeEventListener("offline", publish);
    };
  }, [connection]);
  return state;
}
