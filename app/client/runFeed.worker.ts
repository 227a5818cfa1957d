/// <reference lib="webworker" />
// The worker behind workerFeed (see runFeed.ts): owns the WebSocket and the tRPC subscriptions, and
// posts each subscription's events to the page in batches, at most every BATCH_MS. Errors and
// completion are posted after the events before them.
import { createTRPCClient, createWSClient, wsLink } from "@trpc/client";
import type { Unsubscribable } from "@trpc/server/observable";
import type { AppRouter } from "../../server/router";
import type { FeedEvent, FromWorker, ToWorker } from "./runFeed";
import { socketClientOptions, trpcWebSocketUrl } from "./socketOptions";

const BATCH_MS = 4;

declare const self: DedicatedWorkerGlobalScope;

const wsClient = createWSClient({ url: trpcWebSocketUrl(self.location), ...socketClientOptions });
const trpc = createTRPCClient<AppRouter>({ links: [wsLink({ client: wsClient })] });

const post = (message: FromWorker) => self.postMessage(message);
const subscriptions = new Map<number, Unsubscribable>();
const pending = new Map<number, FeedEvent[]>();
let timer: ReturnType<typeof setTimeout> | null = null;

function flush(): void {
  timer = null;
  for (const [key, events] of pending) if (events.length > 0) post({ type: "events", key, events });
  pending.clear();
}

function queue(key: number, event: FeedEvent): void {
  let events = pending.get(key);
  if (!events) pending.set(key, (events = []));
  events.push(event);
  timer ??= setTimeout(flush, BATCH_MS);
}

wsClient.connectionState.subscribe({
  next: (state) => post({ type: "socket", state: { state: state.state, error: state.error?.message ?? null } }),
});

self.onmessage = (event: MessageEvent<ToWorker>) => {
  const message = event.data;
  if (message.type === "subscribe") {
    const { key } = message;
    const subscription = trpc.runs.stream.subscribe(message.input, {
      onData: ({ id, data }) => queue(key, [id, data]),
      onError: (error) => {
        flush();
        subscriptions.delete(key);
        post({ type: "error", key, message: error.message });
      },
      onComplete: () => {
        flush();
        subscriptions.delete(key);
        post({ type: "complete", key });
      },
    });
    subscriptions.set(key, subscription);
  } else if (message.type === "unsubscribe") {
    subscriptions.get(message.key)?.unsubscribe();
    subscriptions.delete(message.key);
    pending.delete(message.key);
  } else {
    for (const subscription of subscriptions.values()) subscription.unsubscribe();
    subscriptions.clear();
    void wsClient.close();
  }
};
