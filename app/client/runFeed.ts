// Where run events come from: runs.streamBatches, whose every message is a batch of the events the
// server had at hand. The default feed runs the WebSocket and its tRPC subscription in a Web Worker and
// posts each batch to the page as it arrives: the socket's per-message work (a task, a MessageEvent, a
// JSON parse, tRPC's observable chain) stays off the main thread, which gets one message per batch.
// Where workers are not available, or the worker cannot start (fallbackFeed), the same subscription
// runs on the page.
import type { Unsubscribable } from "@trpc/server/observable";
import { formatEventId } from "../../lib/run/eventId";
import type { RillTRPC, StreamInput } from "./trpcClient";
import type { WireRunEvent, WireRunEventBatch } from "./wireTypes";

export type FeedEvent = [id: string, event: WireRunEvent];

/**
 * How far apart the server sends live batches to the page (runs.streamBatches' batchIntervalMs): one a
 * frame. The page paints once a frame anyway; each extra batch costs the network process, the socket,
 * the worker and a message to the page. Against the server's 4 ms default this sends about a quarter of
 * the messages during a flood, for about 6 ms more median latency; in the UI benchmark's 1,000-token/s
 * runs the p99 fell, because the page competes less with itself for the CPU.
 */
export const FRAME_BATCH_INTERVAL_MS = 16;

/** A batch's events under their ids: `events[i]` is event `<runId>:<firstSeq + i>`. */
export function feedEventsOf(batch: WireRunEventBatch): FeedEvent[] {
  return batch.events.map((event, i): FeedEvent => [formatEventId(batch.runId, batch.firstSeq + i), event]);
}

export interface FeedHandlers {
  onEvents(events: FeedEvent[]): void;
  /** `code` is the tRPC error code when the server refused the call (UNAUTHORIZED, NOT_FOUND, ...). */
  onError(message: string, code?: string | null): void;
  onComplete(): void;
}

/** The WebSocket's state as tRPC reports it. */
export interface SocketState {
  state: "idle" | "connecting" | "pending";
  error: string | null;
}

export interface RunFeed {
  subscribe(input: StreamInput, handlers: FeedHandlers): () => void;
  onSocketState(listener: (state: SocketState) => void): () => void;
  close(): void;
}

// ---- messages between the page and the worker ----

export type ToWorker =
  | { type: "connect"; token: string | null }
  | { type: "subscribe"; key: number; input: StreamInput }
  | { type: "unsubscribe"; key: number }
  | { type: "close" };

export type FromWorker =
  | { type: "events"; key: number; events: FeedEvent[] }
  | { type: "error"; key: number; message: string; code?: string | null }
  | { type: "complete"; key: number }
  | { type: "socket"; state: SocketState };

export interface WorkerFeedOptions {
  /**
   * Called instead of failing the subscriptions when the worker fails before it ever connected (its
   * script could not load, e.g. blocked by a Content-Security-Policy): nothing was delivered yet, so
   * the caller can move everything to another feed (see fallbackFeed).
   */
  onStartFailure?(detail: string): void;
  /** The tab's access token, which the worker sends as connectionParams { token }. */
  token?: string | null;
}

/** A feed over a worker running runFeed.worker.ts. */
export function workerFeed(worker: Worker, options: WorkerFeedOptions = {}): RunFeed {
  let nextKey = 1;
  const subscriptions = new Map<number, FeedHandlers>();
  const socketListeners = new Set<(state: SocketState) => void>();
  let lastState: SocketState = { state: "connecting", error: null };
  let started = false;
  const post = (message: ToWorker) => worker.postMessage(message);
  // First message: the worker opens its socket only once it has this (with the token, if any).
  post({ type: "connect", token: options.token ?? null });
  const fail = (detail: string) => {
    if (!started && options.onStartFailure) return options.onStartFailure(detail);
    // The worker could not load or crashed: say so (the indicator shows it) rather than "connecting" forever.
    console.error(`rill: run-feed worker failed: ${detail}`);
    lastState = { state: "connecting", error: `run-feed worker failed: ${detail}` };
    for (const listener of socketListeners) listener(lastState);
    for (const [key, handlers] of subscriptions) {
      subscriptions.delete(key);
      handlers.onError(lastState.error!);
    }
  };
  worker.onerror = (event) => fail(event.message || "could not start");
  worker.onmessageerror = () => fail("a message could not be read");
  worker.onmessage = (event: MessageEvent<FromWorker>) => {
    const message = event.data;
    started ||= message.type !== "socket" || message.state.state === "pending";
    if (message.type === "socket") {
      lastState = message.state;
      for (const listener of socketListeners) listener(message.state);
      return;
    }
    const handlers = subscriptions.get(message.key);
    if (!handlers) return;
    if (message.type === "events") handlers.onEvents(message.events);
    else if (message.type === "error") {
      subscriptions.delete(message.key);
      handlers.onError(message.message, message.code);
    } else {
      subscriptions.delete(message.key);
      handlers.onComplete();
    }
  };
  return {
    subscribe(input, handlers) {
      const key = nextKey++;
      subscriptions.set(key, handlers);
      post({ type: "subscribe", key, input });
      return () => {
        if (subscriptions.delete(key)) post({ type: "unsubscribe", key });
      };
    },
    onSocketState(listener) {
      socketListeners.add(listener);
      listener(lastState);
      return () => {
        socketListeners.delete(listener);
      };
    },
    close() {
      post({ type: "close" });
      worker.terminate();
      subscriptions.clear();
      socketListeners.clear();
    },
  };
}

/**
 * A feed that starts on `start` and, if that one reports a start failure (nothing delivered yet), moves
 * every subscription and socket listener to `fallback`: the page keeps working where the worker cannot
 * load, with its WebSocket on the page instead.
 */
export function fallbackFeed(start: (onStartFailure: (detail: string) => void) => RunFeed, fallback: () => RunFeed): RunFeed {
  interface Subscription {
    input: StreamInput;
    handlers: FeedHandlers;
    unsubscribe: () => void;
  }
  let nextKey = 1;
  const subscriptions = new Map<number, Subscription>();
  const listeners = new Map<(state: SocketState) => void, () => void>();
  let movedOn = false;
  let current: RunFeed;
  const open = (key: number, subscription: Omit<Subscription, "unsubscribe">) => {
    const { handlers } = subscription;
    return current.subscribe(subscription.input, {
      onEvents: (events) => handlers.onEvents(events),
      onError: (message, code) => {
        subscriptions.delete(key);
        handlers.onError(message, code);
      },
      onComplete: () => {
        subscriptions.delete(key);
        handlers.onComplete();
      },
    });
  };
  current = start((detail) => {
    if (movedOn) return;
    movedOn = true;
    console.warn(`rill: the run-feed worker could not start (${detail}); using a WebSocket on the page instead`);
    const failed = current;
    current = fallback();
    failed.close();
    for (const listener of listeners.keys()) listeners.set(listener, current.onSocketState(listener));
    for (const [key, subscription] of subscriptions) subscription.unsubscribe = open(key, subscription);
  });
  return {
    subscribe(input, handlers) {
      const key = nextKey++;
      const subscription: Subscription = { input, handlers, unsubscribe: () => {} };
      subscriptions.set(key, subscription);
      subscription.unsubscribe = open(key, subscription);
      return () => {
        subscriptions.get(key)?.unsubscribe();
        subscriptions.delete(key);
      };
    },
    onSocketState(listener) {
      listeners.set(listener, current.onSocketState(listener));
      return () => {
        listeners.get(listener)?.();
        listeners.delete(listener);
      };
    },
    close() {
      current.close();
      subscriptions.clear();
      listeners.clear();
    },
  };
}

/** A feed on the page itself, through the page's tRPC client (whose wsLink owns the socket). */
export function directFeed(
  trpc: RillTRPC,
  socketState: { subscribe(observer: { next(state: SocketState): void }): Unsubscribable },
  close: () => void = () => {},
): RunFeed {
  return {
    subscribe(input, handlers) {
      const subscription = trpc.runs.streamBatches.subscribe({ ...input, batchIntervalMs: FRAME_BATCH_INTERVAL_MS }, {
        onData: ({ data }) => handlers.onEvents(feedEventsOf(data)),
        onError: (error) => handlers.onError(error.message, error.data?.code ?? null),
        onComplete: () => handlers.onComplete(),
      });
      return () => subscription.unsubscribe();
    },
    onSocketState(listener) {
      const subscription = socketState.subscribe({ next: listener });
      return () => subscription.unsubscribe();
    },
    close,
  };
}
