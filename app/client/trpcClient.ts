// The browser's tRPC clients, on /api/trpc of the page's own origin. Queries and mutations go over HTTP
// (httpBatchLink). Run subscriptions go over one WebSocket (wsLink) that lives in a Web Worker (see
// runFeed.ts); where workers are unavailable, or the worker cannot start (its script blocked, say), the
// WebSocket is opened on the page instead. Create the connection in an effect (never during render or
// on the server) and close it on unmount. On a protected server every call carries the tab's token
// (accessToken.ts); a new token means a new connection.
import { createTRPCClient, createWSClient, httpBatchLink, wsLink, type TRPCClient } from "@trpc/client";
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "../../server/router";
import { authHeaders, connectionParamsOption } from "./accessToken";
import { directFeed, fallbackFeed, workerFeed, type RunFeed } from "./runFeed";
import { socketClientOptions, TRPC_PATH, trpcWebSocketUrl } from "./socketOptions";

export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
export type GraphInfo = RouterOutputs["graphs"]["list"][number];
export type SystemInfo = RouterOutputs["system"]["info"];
export type StreamInput = RouterInputs["runs"]["stream"];

export type RillTRPC = TRPCClient<AppRouter>;

export interface RillConnection {
  /** Queries and mutations. */
  trpc: RillTRPC;
  /** Run events. */
  feed: RunFeed;
  close(): void;
}

export function createRillConnection(token: string | null = null, location: Location = window.location): RillConnection {
  // Queries and mutations go over HTTP; only run events need the socket.
  const trpc = createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: TRPC_PATH, headers: () => authHeaders(token) })] });
  const worker = startFeedWorker();
  const feed = worker
    ? fallbackFeed((onStartFailure) => workerFeed(worker, { onStartFailure, token }), () => pageFeed(location, token))
    : pageFeed(location, token);
  return { trpc, feed, close: () => feed.close() };
}

/** Run events over a WebSocket on the page itself (no worker). */
function pageFeed(location: Location, token: string | null): RunFeed {
  const wsClient = createWSClient({ url: trpcWebSocketUrl(location), ...socketClientOptions, ...connectionParamsOption(token) });
  const subscriptions = createTRPCClient<AppRouter>({ links: [wsLink({ client: wsClient })] });
  return directFeed(
    subscriptions,
    { subscribe: (observer) => wsClient.connectionState.subscribe({ next: (s) => observer.next({ state: s.state, error: s.error?.message ?? null }) }) },
    () => void wsClient.close(),
  );
}

function startFeedWorker(): Worker | null {
  if (typeof Worker === "undefined") return null;
  try {
    return new Worker(new URL("./runFeed.worker.ts", import.meta.url), { type: "module", name: "rill-run-feed" });
  } catch {
    return null;
  }
}
