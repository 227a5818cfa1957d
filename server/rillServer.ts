// One process, one port: the offline model's OpenAI-compatible routes (/v1/...), tRPC on /api/trpc (HTTP
// for queries and mutations, WebSocket upgrades of that same path for subscriptions), and Next.js for
// everything else. Only /api/trpc upgrades are ours; in dev, Next's HMR socket (/_next/hmr) is left to
// the listener Next attaches itself. Creatable in-process: tests run it without Next on port 0.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createHTTPHandler } from "@trpc/server/adapters/standalone";
import type { CreateWSSContextFnOptions } from "@trpc/server/adapters/ws";
import type { WebSocketServer } from "ws";
import type { GraphDefinition } from "../graphs/graphDefinition";
import { Command } from "../lib/graph";
import { handleOfflineModelRequest, resolveModelConfig, setOfflineModelURL } from "../lib/llm";
import { bearerToken, originRejection, tokenMatches, type AccessPolicy } from "./access";
import { loadConfig, reservedRunsOf, type RillConfig } from "./config";
import { ConnectionBudget, type ConnectionLimits } from "./connectionBudget";
import { defaultGraphs, GraphRegistry, testGraphs } from "./graphRegistry";
import { createLogger, type Logger } from "./log";
import { createAppRouter, type AppRouter } from "./router";
import { RunManager } from "./runs/runManager";
import type { RunStore } from "./runs/runStore";
import { subscriberSocketOf } from "./runs/subscriberSocket";
import { MemoryRunStore } from "./runs/stores/memory/memoryRunStore";
import { SubscriptionTracker } from "./subscriptionTracker";
import type { RillContext } from "./trpc";
import { createTrpcWebSocketServer } from "./wsServer";

export const TRPC_PATH = "/api/trpc";
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export interface RillServerOptions {
  /** Overrides over the configuration read from `env`. */
  config?: Partial<RillConfig>;
  /** Where configuration and the model settings are read from (default process.env). */
  env?: Record<string, string | undefined>;
  /** Serve the Next.js app: false (tests), or with dev mode on/off (default: on, with config.dev). */
  next?: false | { dev: boolean };
  /** The graphs to serve (default: the registry's list); `extraGraphs` are added to them. */
  graphs?: readonly GraphDefinition[];
  extraGraphs?: readonly GraphDefinition[];
  store?: RunStore;
  logger?: Logger;
}

export interface RillServer {
  /** http://host:port */
  url: string;
  /** ws://host:port/api/trpc */
  wsUrl: string;
  port: number;
  config: RillConfig;
  runs: RunManager;
  graphs: GraphRegistry;
  router: AppRouter;
  httpServer: Server;
  wss: WebSocketServer;
  model: { label: string; offline: boolean };
  /** Tells every client to reconnect (tRPC's reconnect notification); subscriptions resume from lastEventId. */
  broadcastReconnect(): void;
  /**
   * Graceful stop: refuse new runs, stop listening, tell clients to reconnect, cancel active runs with a
   * final event, give subscriptions up to config.shutdownTimeoutMs to deliver it, then close everything.
   */
  close(reason?: string): Promise<void>;
}

function isTrpcPath(url: string | undefined): boolean {
  if (!url) return false;
  return url === TRPC_PATH || url.startsWith(`${TRPC_PATH}/`) || url.startsWith(`${TRPC_PATH}?`);
}

function sendJsonError(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify({ error: { message } }));
}

function rejectUpgrade(socket: NodeJS.WritableStream & { destroy(): void }, status: number, message: string): void {
  const reason = status === 403 ? "Forbidden" : status === 503 ? "Service Unavailable" : "Bad Request";
  socket.write(
    `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(message)}\r\n\r\n${message}`,
  );
  socket.destroy();
}

function loopbackFor(host: string): string {
  if (host === "0.0.0.0" || host === "") return "127.0.0.1";
  if (host === "::") return "[::1]";
  return host.includes(":") ? `[${host}]` : host;
}

export async function createRillServer(options: RillServerOptions = {}): Promise<RillServer> {
  const env = options.env ?? process.env;
  const config: RillConfig = { ...loadConfig(env, process.argv), ...options.config };
  const logger = options.logger ?? createLogger(config.logLevel);
  const modelConfig = resolveModelConfig(env);
  const model = { label: modelConfig.label, offline: modelConfig.offline };
  const graphs = new GraphRegistry([
    ...(options.graphs ?? defaultGraphs),
    ...(config.testGraphs ? testGraphs : []),
    ...(options.extraGraphs ?? []),
  ]);
  // Compile every graph now: a graph that cannot be built fails the start, naming it, not a later request.
  for (const id of graphs.ids()) {
    try {
      graphs.get(id)!.graph();
    } catch (error) {
      throw new Error(`graph "${id}" cannot be built: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const store =
    options.store ??
    new MemoryRunStore({
      maxEventsPerRun: config.storeMaxEventsPerRun,
      maxBytesPerRun: config.storeMaxBytesPerRun,
      maxRuns: config.storeMaxRuns,
      maxTotalBytes: config.storeMaxTotalBytes,
      maxAgeMs: config.storeMaxAgeMs,
    });
  const runs = new RunManager({
    store,
    graphs,
    limits: {
      maxConcurrentRuns: config.maxRuns,
      maxRunsPerClient: config.maxRunsPerClient,
      reservedRuns: reservedRunsOf(config),
      maxInterruptedRunsPerClient: config.maxInterruptedRunsPerClient,
      runTimeoutMs: config.runTimeoutMs,
      interruptTimeoutMs: config.interruptTimeoutMs,
      maxRecursionLimit: config.maxRecursionLimit,
    },
    pacing: {
      highWaterBytes: config.wsHighWaterBytes,
      maxBufferedBytes: config.wsMaxBufferedBytes,
      slowTimeoutMs: config.slowSubscriberTimeoutMs,
    },
    resumeCommand: (value) => new Command({ resume: value }),
    modelLabel: model.label,
    log: logger,
  });
  const subscriptions = new SubscriptionTracker();
  const router = createAppRouter({
    runs,
    graphs,
    model,
    authRequired: config.token !== undefined,
    limits: {
      maxRuns: config.maxRuns,
      maxRunsPerClient: config.maxRunsPerClient,
      reservedRuns: reservedRunsOf(config),
      maxInterruptedRunsPerClient: config.maxInterruptedRunsPerClient,
      maxBatchSize: config.maxBatchSize,
      maxCallsPerSecond: config.maxCallsPerSecond,
      maxReplaysPerConnection: config.maxReplaysPerConnection,
      maxInputBytes: config.maxInputBytes,
      maxMessageBytes: config.maxMessageBytes,
      runTimeoutMs: config.runTimeoutMs,
      interruptTimeoutMs: config.interruptTimeoutMs,
      maxRecursionLimit: config.maxRecursionLimit,
    },
    subscriptions,
  });
  const access: AccessPolicy = { token: config.token, allowedOrigins: config.allowedOrigins };

  let connections = 0;
  let closing: Promise<void> | null = null;
  const connectionLimits: ConnectionLimits = {
    maxCallsPerSecond: config.maxCallsPerSecond,
    maxReplays: config.maxReplaysPerConnection,
    maxBatchSize: config.maxBatchSize,
  };
  // HTTP requests on one keep-alive socket share a budget, as the calls of one WebSocket do.
  const httpBudgets = new WeakMap<object, ConnectionBudget>();
  const httpBudgetOf = (socket: object): ConnectionBudget => {
    let budget = httpBudgets.get(socket);
    if (!budget) httpBudgets.set(socket, (budget = new ConnectionBudget(connectionLimits)));
    return budget;
  };

  const trpcHttp = createHTTPHandler({
    router,
    basePath: `${TRPC_PATH}/`,
    maxBodySize: config.maxMessageBytes,
    maxBatchSize: config.maxBatchSize,
    createContext: ({ req }): RillContext => ({
      authorized: tokenMatches(config.token, bearerToken(req)),
      connectionId: `http-${++connections}`,
      socket: null,
      budget: httpBudgetOf(req.socket),
    }),
  });
  const ws = createTrpcWebSocketServer({
    router,
    maxMessageBytes: config.maxMessageBytes,
    maxBatchSize: config.maxBatchSize,
    pingMs: config.wsPingMs,
    pongWaitMs: config.wsPongWaitMs,
    createContext: async ({ res, info }: CreateWSSContextFnOptions): Promise<RillContext> => ({
      authorized: tokenMatches(config.token, info.connectionParams?.token),
      connectionId: `ws-${++connections}`,
      socket: subscriberSocketOf(res),
      budget: new ConnectionBudget(connectionLimits),
    }),
    onError: (error, procedurePath) =>
      logger({ level: "error", msg: "procedure failed", path: procedurePath, error: error.message, cause: error.cause instanceof Error ? error.cause.message : undefined }),
  });

  const nextOption = options.next ?? { dev: config.dev };
  let nextHandler: ((req: IncomingMessage, res: ServerResponse) => Promise<void>) | null = null;
  let nextApp: { close?: () => Promise<void> } | null = null;
  if (nextOption) {
    const { default: next } = await import("next");
    const app = next({ dev: nextOption.dev, dir: repoRoot, hostname: config.host, port: config.port });
    await app.prepare();
    nextApp = app as { close?: () => Promise<void> };
    nextHandler = app.getRequestHandler();
  }

  const httpServer = createServer((req, res) => {
    if (isTrpcPath(req.url)) {
      const rejection = originRejection(req, access);
      if (rejection) return sendJsonError(res, 403, rejection);
      return trpcHttp(req, res);
    }
    if (handleOfflineModelRequest(req, res)) return;
    if (nextHandler) {
      nextHandler(req, res).catch((error: unknown) => {
        logger({ level: "error", msg: "next failed", url: req.url, error: String(error) });
        if (!res.headersSent) sendJsonError(res, 500, "internal error");
      });
      return;
    }
    sendJsonError(res, 404, `no route for ${req.method} ${req.url} (this server runs without the Next.js app)`);
  });
  httpServer.on("upgrade", (req, socket, head) => {
    if (!isTrpcPath(req.url)) {
      // Next's dev server attaches its own upgrade listener (HMR); otherwise nobody serves this path.
      if (!nextOption || !nextOption.dev) socket.destroy();
      return;
    }
    socket.on("error", () => socket.destroy());
    const rejection = originRejection(req, access);
    if (rejection) return rejectUpgrade(socket, 403, rejection);
    if (closing) return rejectUpgrade(socket, 503, "the server is shutting down");
    ws.handleUpgrade(req, socket, head);
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once("error", reject);
    httpServer.listen(config.port, config.host, () => {
      httpServer.off("error", reject);
      resolve();
    });
  });
  const port = (httpServer.address() as AddressInfo).port;
  const origin = `http://${loopbackFor(config.host)}:${port}`;
  setOfflineModelURL(origin);

  async function close(reason = "the server is shutting down"): Promise<void> {
    closing ??= (async () => {
      const deadline = Date.now() + config.shutdownTimeoutMs;
      const stopped = new Promise<void>((resolve) => httpServer.close(() => resolve()));
      ws.broadcastReconnectNotification();
      const cancelled = runs.shutdown(reason);
      if (cancelled > 0) logger({ level: "info", msg: "cancelled active runs", count: cancelled, reason });
      await subscriptions.drained(Math.max(0, deadline - Date.now()));
      // A finished subscription's "stopped" message is sent a few microtasks after its generator returns
      // (tRPC disposes the iterator first); without it wsLink would resubscribe. Let that happen.
      await new Promise((resolve) => setImmediate(resolve));
      for (const client of ws.wss.clients) client.close(1012, "server restarting");
      await subscriptions.drained(Math.max(0, Math.min(500, deadline - Date.now())));
      for (const client of ws.wss.clients) client.terminate();
      ws.wss.close();
      httpServer.closeAllConnections();
      runs.close();
      await stopped;
      await nextApp?.close?.().catch(() => undefined);
    })();
    return closing;
  }

  return {
    url: origin,
    wsUrl: `${origin.replace(/^http/, "ws")}${TRPC_PATH}`,
    port,
    config,
    runs,
    graphs,
    router,
    httpServer,
    wss: ws.wss,
    model,
    broadcastReconnect: () => ws.broadcastReconnectNotification(),
    close,
  };
}
