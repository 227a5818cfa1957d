// Integration-test helpers: a real server on a free port (without Next), real tRPC clients over `ws`.
import assert from "node:assert/strict";
import { createTRPCClient, createWSClient, TRPCClientError, wsLink } from "@trpc/client";
import { after, before } from "node:test";
import { WebSocket } from "ws";
import { formatEventId, parseEventId } from "../../lib/run/eventId";
import type { RillConfig } from "../config";
import type { StreamBatchesInput, StreamRunInput } from "../procedureInputs";
import { createRillServer, type RillServer, type RillServerOptions } from "../rillServer";
import type { AppRouter } from "../router";
import type { RunEvent } from "../runs/runEvent";
import { tickerGraph } from "./testGraphs";

/** Tests keep everything in memory unless they say otherwise (no ./.rill files from a test run). */
export const quietConfig: Partial<RillConfig> = {
  port: 0,
  host: "127.0.0.1",
  logLevel: "silent",
  shutdownTimeoutMs: 2000,
  storage: { kind: "memory", dataDir: "", databaseUrl: undefined },
};

export interface TestServer extends RillServer {
  logs: Array<{ level: string; msg: string; [key: string]: unknown }>;
}

export async function startServer(options: RillServerOptions = {}): Promise<TestServer> {
  const logs: TestServer["logs"] = [];
  const server = await createRillServer({
    next: false,
    env: { ...process.env, OPENAI_API_KEY: "", OPENAI_BASE_URL: "", RILL_OFFLINE_DELAY_MS: "0" },
    extraGraphs: [tickerGraph],
    logger: (line) => logs.push(line),
    ...options,
    config: { ...quietConfig, ...options.config },
  });
  return Object.assign(server, { logs });
}

export interface TestClient {
  trpc: ReturnType<typeof createTRPCClient<AppRouter>>;
  wsClient: ReturnType<typeof createWSClient>;
  /** The client's current socket (ws's class in Node). */
  socket(): WebSocket | null;
  close(): Promise<void>;
}

export function connect(server: { wsUrl: string }, options: { token?: string; retryDelayMs?: number } = {}): TestClient {
  const wsClient = createWSClient({
    url: server.wsUrl,
    WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
    retryDelayMs: () => options.retryDelayMs ?? 5,
    ...(options.token !== undefined ? { connectionParams: { token: options.token } } : {}),
  });
  const trpc = createTRPCClient<AppRouter>({ links: [wsLink({ client: wsClient })] });
  return {
    trpc,
    wsClient,
    socket: () => (wsClient.connection?.ws as unknown as WebSocket | undefined) ?? null,
    close: () => wsClient.close(),
  };
}

export interface LiveServer {
  readonly server: TestServer;
  readonly client: TestClient;
}

/**
 * One server and one connected client for the enclosing suite (or file): started in a `before` hook,
 * closed in an `after` hook. Read `server`/`client` inside tests, once the hook has run.
 */
export function liveServer(options: RillServerOptions = {}): LiveServer {
  let started: { server: TestServer; client: TestClient } | undefined;
  before(async () => {
    const server = await startServer(options);
    started = { server, client: connect(server) };
  });
  after(async () => {
    if (started === undefined) return;
    await started.client.close();
    await started.server.close();
  });
  const running = () => {
    if (started === undefined) throw new Error("liveServer: read server/client inside a test, after its before hook");
    return started;
  };
  return {
    get server() {
      return running().server;
    },
    get client() {
      return running().client;
    },
  };
}

export interface Received {
  id: string;
  data: RunEvent;
}

export interface Collected {
  events: Received[];
  error?: TRPCClientError<AppRouter>;
}

/**
 * Subscribes to runs.stream and resolves when the subscription completes or errors. `onEvent` sees each
 * event as it arrives (return "stop" to unsubscribe).
 */
export function collect(
  client: TestClient,
  input: StreamRunInput,
  onEvent?: (event: Received, all: Received[]) => void | "stop",
): Promise<Collected> {
  return new Promise((resolve) => {
    const events: Received[] = [];
    const subscription = client.trpc.runs.stream.subscribe(input, {
      onData: (tracked) => {
        const event = { id: tracked.id, data: tracked.data as RunEvent };
        events.push(event);
        if (onEvent?.(event, events) === "stop") {
          subscription.unsubscribe();
          resolve({ events });
        }
      },
      onError: (error) => resolve({ events, error: error as TRPCClientError<AppRouter> }),
      onComplete: () => resolve({ events }),
    });
  });
}

export interface CollectedBatches extends Collected {
  /** Each batch as it arrived: its tracked id, first seq and size. */
  batches: Array<{ id: string; firstSeq: number; size: number }>;
}

/**
 * Subscribes to runs.streamBatches and resolves when it completes or errors, with the batches' events
 * flattened to `events` under the ids they have (`<runId>:<firstSeq + i>`), comparable with collect()'s.
 * `onBatch` sees each batch's events as they arrive (return "stop" to unsubscribe).
 */
export function collectBatches(
  client: TestClient,
  input: StreamBatchesInput,
  onBatch?: (events: Received[], all: Received[]) => void | "stop",
): Promise<CollectedBatches> {
  return new Promise((resolve) => {
    const events: Received[] = [];
    const batches: CollectedBatches["batches"] = [];
    const subscription = client.trpc.runs.streamBatches.subscribe(input, {
      onData: ({ id, data }) => {
        batches.push({ id, firstSeq: data.firstSeq, size: data.events.length });
        const received = data.events.map((event, i) => ({ id: formatEventId(data.runId, data.firstSeq + i), data: event as RunEvent }));
        events.push(...received);
        if (onBatch?.(received, events) === "stop") {
          subscription.unsubscribe();
          resolve({ events, batches });
        }
      },
      onError: (error) => resolve({ events, batches, error: error as TRPCClientError<AppRouter> }),
      onComplete: () => resolve({ events, batches }),
    });
  });
}

/** The error's tRPC code (BAD_REQUEST, ...) as the client sees it. */
export function errorCode(error: unknown): string | undefined {
  return error instanceof TRPCClientError ? (error.data as { code?: string } | undefined)?.code : undefined;
}

/** Events that are the engine's tuples, not the run server's own (metadata, status, error). */
export function tuples(events: Received[]): RunEvent[] {
  return events.map((e) => e.data).filter((d) => d[0] !== "metadata" && d[0] !== "status" && d[0] !== "error");
}

/** The run id from a subscription's first event, which is always the run's metadata. */
export function runIdOf(events: ReadonlyArray<{ data: unknown }>): string {
  const first = events[0]?.data as [string, { run_id?: string }] | undefined;
  if (!first || first[0] !== "metadata" || typeof first[1].run_id !== "string") {
    throw new Error(`the first event is not the run's metadata: ${JSON.stringify(first)}`);
  }
  return first[1].run_id;
}

/** An event's sequence number in its run's log (from its `<runId>:<seq>` id). */
export function seqOf(event: Received): number {
  return parseEventId(event.id)!.seq;
}

/** What a subscriber resuming after `lastSeen` got must be every event after it, once: contiguous seqs. */
export function assertContiguousAfter(events: Received[], lastSeen: Received): void {
  assert.deepEqual(events.map(seqOf), events.map((_, i) => seqOf(lastSeen) + 1 + i), "contiguous seqs after lastEventId, each once");
}

/** True for a `["status", { status }]` event with that status. */
export function isStatus(event: Received, status: string): boolean {
  return event.data[0] === "status" && (event.data[1] as { status: string }).status === status;
}

/** The step a test graph's custom event reports (`{ step }`), or undefined for other events. */
export function stepOf(event: Received): number | undefined {
  return event.data[0] === "custom" ? (event.data[1] as { step: number }).step : undefined;
}

/** A deterministic PRNG, so a failure can be replayed with the seed its test names. */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Kills sockets at random moments, at most `maxKills` times: call it from an event callback. `side`
 * says whose end is killed: the client's socket, or every socket on the server.
 */
export function randomSocketKiller(side: "client" | "server", client: TestClient, server: TestServer, options: { seed: number; chance: number; maxKills: number }) {
  const random = prng(options.seed);
  let kills = 0;
  return {
    maybeKill(): void {
      if (kills >= options.maxKills || random() >= options.chance) return;
      kills += 1;
      if (side === "client") client.socket()?.terminate();
      else for (const socket of server.wss.clients) (socket as WebSocket).terminate();
    },
    get kills() {
      return kills;
    },
  };
}

/** A promise with its resolve, for waiting on callbacks. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}
