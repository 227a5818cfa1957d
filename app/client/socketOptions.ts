// Where the tRPC endpoint is and how the WebSocket client behaves: shared by the page and the run-feed
// worker (kept apart from trpcClient.ts so the worker's bundle does not pull in the page's client).

export const TRPC_PATH = "/api/trpc";

export function trpcWebSocketUrl(location: { protocol: string; host: string }): string {
  return `${location.protocol === "https:" ? "wss:" : "ws:"}//${location.host}${TRPC_PATH}`;
}

export const socketClientOptions = {
  // No client keep-alive: tRPC's restarts a timer on every incoming message (two timer calls per token
  // at thousands of events a second). The server pings idle connections and drops dead ones, the
  // browser answers pings by itself, and a closed socket reconnects and resumes from lastEventId.
  keepAlive: { enabled: false },
  // Quick first retries (a reload or a blip), then back off to 5 s.
  retryDelayMs: (attempt: number) => Math.min(250 * 2 ** attempt, 5_000),
};

