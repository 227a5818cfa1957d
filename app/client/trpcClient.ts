// The browser's tRPC client: subscriptions over one WebSocket (wsLink), queries and mutations over HTTP
// (httpBatchLink), both on /api/trpc of the page's own origin. Create it in an effect (never during
// render or on the server) and close it on unmount.
import { createTRPCClient, createWSClient, httpBatchLink, splitLink, wsLink, type TRPCClient } from "@trpc/client";
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "../../server/router";

export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
export type GraphInfo = RouterOutputs["graphs"]["list"][number];
export type SystemInfo = RouterOutputs["system"]["info"];
export type StreamInput = RouterInputs["runs"]["stream"];

export type RillTRPC = TRPCClient<AppRouter>;

export interface RillConnection {
  trpc: RillTRPC;
  wsClient: ReturnType<typeof createWSClient>;
  close(): void;
}

export const TRPC_PATH = "/api/trpc";

export function createRillConnection(location: Location = window.location): RillConnection {
  const wsUrl = `${location.protocol === "https:" ? "wss:" : "ws:"}//${location.host}${TRPC_PATH}`;
  const wsClient = createWSClient({
    url: wsUrl,
    // No client keep-alive: tRPC's restarts a timer on every incoming message (two timer calls per token
    // at thousands of events a second). The server pings idle connections and drops dead ones, the
    // browser answers pings by itself, and a closed socket reconnects and resumes from lastEventId.
    keepAlive: { enabled: false },
    // Quick first retries (a reload or a blip), then back off to 5 s.
    retryDelayMs: (attempt) => Math.min(250 * 2 ** attempt, 5_000),
  });
  const trpc = createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === "subscription",
        true: wsLink({ client: wsClient }),
        false: httpBatchLink({ url: TRPC_PATH }),
      }),
    ],
  });
  return {
    trpc,
    wsClient,
    close: () => {
      void wsClient.close();
    },
  };
}
