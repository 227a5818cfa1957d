// The browser's tRPC clients, on /api/trpc of the page's own origin. Queries and mutations go over HTTP
// (httpBatchLink). Run subscriptions go over one WebSocket (wsLink) that lives in a Web Worker (see
// runFeed.ts); where workers are unavailable the page's client uses splitLink to send subscriptions to
// an in-page wsLink instead. Create the connection in an effect (never during render or on the server)
// and close it on unmount.
import { createTRPCClient, createWSClient, httpBatchLink, splitLink, wsLink, type TRPCClient } from "@trpc/client";
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "../../server/router";
import { directFeed, workerFeed, type RunFeed } from "./runFeed";
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
  /** "worker" or "page": where the WebSocket lives. */
  socketIn: "worker" | "page";
  close(): void;
}

export function createRillConnection(location: Location = window.location): RillConnection {
  const worker = startFeedWorker();
  if (worker) {
    const trpc = createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: TRPC_PATH })] });
    const feed = workerFeed(worker);
    return { trpc, feed, socketIn: "worker", close: () => feed.close() };
  }
  const wsClient = createWSClient({ url: trpcWebSocketUrl(location), ...socketClientOptions });
  const trpc = createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === "subscription",
        true: wsLink({ client: wsClient }),
        false: httpBatchLink({ url: TRPC_PATH }),
      }),
    ],
  });
  const feed = directFeed(trpc, {
    subscribe: (observer) => wsClient.connectionState.subscribe({ next: (s) => observer.next({ state: s.state, error: s.error?.message ?? null }) }),
  });
  return {
    trpc,
    feed,
    socketIn: "page",
    close: () => {
      void wsClient.close();
    },
  };
}

function startFeedWorker(): Worker | null {
  if (typeof Worker === "undefined") return null;
  try {
    return new Worker(new URL("./runFeed.worker.ts", import.meta.url), { type: "module", name: "rill-run-feed" });
  } catch {
    return null;
  }
}
