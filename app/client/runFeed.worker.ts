/// <reference lib="webworker" />
// The worker behind workerFeed (see runFeed.ts): owns the WebSocket and the tRPC subscriptions, and
// posts each batch the server sends (runs.streamBatches) to the page as it arrives, with its events
// under their ids. Errors and completion come after the events before them, as they do on the socket.
// The page's first message ("connect") carries the tab's access token: the socket opens then, sending
// it as connectionParams { token }.
import { createTRPCClient, createWSClient, wsLink, type TRPCClient } from "@trpc/client";
import type { Unsubscribable } from "@trpc/server/observable";
import type { AppRouter } from "../../server/router";
import { connectionParamsOption } from "./accessToken";
import { FRAME_BATCH_INTERVAL_MS, feedEventsOf, type FromWorker, type ToWorker } from "./runFeed";
import { socketClientOptions, trpcWebSocketUrl } from "./socketOptions";

declare const self: DedicatedWorkerGlobalScope;

const post = (message: FromWorker) => self.postMessage(message);
const subscriptions = new Map<number, Unsubscribable>();
let wsClient: ReturnType<typeof createWSClient> | null = null;
let trpc: TRPCClient<AppRouter> | null = null;

function connect(token: string | null): void {
  const client = createWSClient({ url: trpcWebSocketUrl(self.location), ...socketClientOptions, ...connectionParamsOption(token) });
  client.connectionState.subscribe({
    next: (state) => post({ type: "socket", state: { state: state.state, error: state.error?.message ?? null } }),
  });
  wsClient = client;
  trpc = createTRPCClient<AppRouter>({ links: [wsLink({ client })] });
}

self.onmessage = (event: MessageEvent<ToWorker>) => {
  const message = event.data;
  if (message.type === "connect") {
    if (!wsClient) connect(message.token);
  } else if (message.type === "subscribe") {
    if (!trpc) return post({ type: "error", key: message.key, message: "run-feed worker: subscribe before connect" });
    const { key } = message;
    const subscription = trpc.runs.streamBatches.subscribe({ ...message.input, batchIntervalMs: FRAME_BATCH_INTERVAL_MS }, {
      onData: ({ data }) => post({ type: "events", key, events: feedEventsOf(data) }),
      onError: (error) => {
        subscriptions.delete(key);
        post({ type: "error", key, message: error.message, code: error.data?.code ?? null });
      },
      onComplete: () => {
        subscriptions.delete(key);
        post({ type: "complete", key });
      },
    });
    subscriptions.set(key, subscription);
  } else if (message.type === "unsubscribe") {
    subscriptions.get(message.key)?.unsubscribe();
    subscriptions.delete(message.key);
  } else {
    for (const subscription of subscriptions.values()) subscription.unsubscribe();
    subscriptions.clear();
    void wsClient?.close();
  }
};
