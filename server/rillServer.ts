// One process, one port: the offline model's OpenAI-compatible routes (/v1/...), tRPC on /api/trpc (HTTP
// for queries and mutations, WebSocket upgrades of that same path for subscriptions), and Next.js for
// everything else. Only /api/trpc upgrades are ours; in dev, Next's HMR socket (/_next/hmr) is left to
// the listener Next attaches itself. Creatable in-process: tests run it without Next on port 0.
import { setPlaygroundRunLookup, setPlaygroundThreadLookup } from "./playgroundRunLookup";
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createHTTPHandler } from "@trpc/server/adapters/standalone";
import type { CreateWSSContextFnOptions } from "@trpc/server/adapters/ws";
import type { WebSocketServer } from "ws";
import type { GraphDefinition } from "../graphs/graphDefinition";
import { Command } from "../lib/graph";
import { createOfflineModelHandler, resolveModelConfig, setOfflineModelURL, type StreamOutcome } from "../lib/llm";
import { hostRejection, originRejection, type AccessPolicy, type HostPolicy } from "./access";
import { resolveAuthHandler, type AuthHandler } from "./auth/resolveAuth";
import type { AuthSource } from "./auth/authHandler";
import { loadConfig, reservedRunsOf, type RillConfig } from "./config";
import { ConnectionBudget, type ConnectionLimits } from "./connectionBudget";
import { offlineModelAccess } from "./offlineModelAccess";
import { defaultGraphs, GraphRegistry, testGraphs, type ServedGraph } from "./graphRegistry";
import { createLogger, type Logger } from "./log";
import type { ProjectConfig } from "./project/projectConfig";
import { loadProjectGraphs, watchProject, type ProjectWatcher } from "./project/servedProject";
import { requestTargetProblem } from "./requestTarget";
import { createAppRouter, type AppRouter } from "./router";
import { RunManager } from "./runs/runManager";
import type { RunStore, RunStoreLimits } from "./runs/runStore";
import { subscriberSocketOf } from "./runs/subscriberSocket";
import { openRunStore, StorageError } from "./runs/stores/openRunStore";
import type { ClusterNode } from "./cluster/clusterNode";
import { serveHealth } from "./cluster/healthRoutes";
import { SubscriptionTracker } from "./subscriptionTracker";
import { refuseSubscriptionOverHttp, subscriptionCalledOverHttp, subscriptionPaths } from "./subscriptionsOverHttp";
import type { RillContext } from "./trpc";
import { createTrpcWebSocketServer } from "./wsServer";
import { createServerCheckpointer, type ServerCheckpointer } from "./threads/serverCheckpointer";
import { createThreadStore } from "./threads/createThreadStore";
import { ThreadService } from "./threads/threadService";
import type { ThreadStore } from "./threads/threadStore";

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
  /** A langgraph.json project whose graphs are served instead of the bundled examples (server/project/). */
  project?: ProjectConfig;
  /** Reload a project's graphs when their files change (default: in dev mode). */
  watchProject?: boolean;
  extraGraphs?: readonly GraphDefinition[];
  store?: RunStore;
  /** Where threads are recorded (default: from config.storage). */
  threadStore?: ThreadStore;
  logger?: Logger;
  /** Seen when each of the offline model's (/v1) streams ends, however it ended (tests). */
  onOfflineStreamEnd?: (outcome: StreamOutcome) => void;
  /**
   * Who clients are: an auth handler, or the path (`file[:export]`, relative to the working directory)
   * of a LangGraph custom-auth module (see auth/langGraphAuth.ts). Default: RILL_AUTH_PATH, else RILL_TOKEN.
   */
  auth?: AuthHandler | string;
}

export interface RillServer {
  /** http://host:port */
  url: string;
  /** ws://host:port/api/trpc */
  wsUrl: string;
  port: number;
  config: RillConfig;
  runs: RunManager;
  threads: ThreadService;
  graphs: GraphRegistry;
  /** Set when a project is served with reload on. */
  projectWatcher: ProjectWatcher | null;
  router: AppRouter;
  httpServer: Server;
  wss: WebSocketServer;
  model: { label: string; offline: boolean };
  /** Where identities come from ("RILL_TOKEN" or the auth module's path); null when clients are anonymous. */
  authSource: string | null;
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
  const reason = { 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed", 503: "Service Unavailable" }[status] ?? "Bad Request";
  socket.write(
    `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(message)}\r\n\r\n${message}`,
  );
  socket.destroy();
}

/** Waits for `promise`, or until `deadline` (a Date.now() time) if that comes first. */
async function untilDeadline(promise: Promise<void>, deadline: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<void>((resolve) => (timer = setTimeout(resolve, Math.max(0, deadline - Date.now()))));
  await Promise.race([promise, expired]);
  clearTimeout(timer);
}

function loopbackFor(host: string): string {
  if (host === "0.0.0.0" || host === "") return "127.0.0.1";
  if (host === "::") return "[::1]";
  return host.includes(":") ? `[${host}]` : host;
}

export async function createRillServer(options: RillServerOptions = {}): Promise<RillServer> {
  // A project's env (its .env file or object) fills in what the process environment does not set: the
  // graphs read process.env, the server's own settings are read from the merged view.
  if (options.project) for (const [key, value] of Object.entries(options.project.env)) process.env[key] ??= value;
  const env = options.project ? { ...options.project.env, ...(options.env ?? process.env) } : (options.env ?? process.env);
  const config: RillConfig = { ...loadConfig(env, process.argv), ...options.config };
  const logger = options.logger ?? createLogger(config.logLevel);
  // Who clients are, first: a bad auth module fails the start before anything else is set up.
  const auth = await resolveAuthHandler(options.auth ?? options.project?.authPath, config);
  for (const warning of auth?.warnings ?? []) logger({ level: "warn", msg: warning });
  const modelConfig = resolveModelConfig(env);
  const model = { label: modelConfig.label, offline: modelConfig.offline };
  // The checkpointer every graph gets unless it brings its own: threads, interrupts and history live there.
  const checkpointer: ServerCheckpointer = await createServerCheckpointer(config.storage);
  let graphs: GraphRegistry | undefined;
  let projectGraphs: ServedGraph[] = [];
  let projectWatcher: ProjectWatcher | null = null;
  if (options.project) {
    if (options.watchProject ?? config.dev) projectWatcher = watchProject(options.project, logger, (graph) => graphs?.replace(graph));
    projectGraphs = await loadProjectGraphs(options.project, logger);
  }
  graphs = new GraphRegistry(
    [...(options.graphs ?? (options.project ? [] : defaultGraphs)), ...(config.testGraphs ? testGraphs : []), ...(options.extraGraphs ?? [])],
    projectGraphs,
    { checkpointer: checkpointer.saver },
  );
  // Compile every graph now: a graph that cannot be built fails the start, naming it, not a later request.
  for (const id of graphs.ids()) {
    if (graphs.get(id)!.error !== undefined) continue; // a project graph that failed to load: listed with its error
    try {
      graphs.get(id)!.graph();
    } catch (error) {
      throw new Error(`graph "${id}" cannot be built: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  // The run store from config.storage (a store given in options is the caller's: it is not closed here).
  const storeLimits = {
    maxEventsPerRun: config.storeMaxEventsPerRun,
    maxBytesPerRun: config.storeMaxBytesPerRun,
    maxRuns: config.storeMaxRuns,
    maxTotalBytes: config.storeMaxTotalBytes,
    maxAgeMs: config.storeMaxAgeMs,
  };
  // One of a deployment (REDIS_URL with DATABASE_URL): the run store shared through PostgreSQL and Redis.
  const cluster: ClusterNode | null =
    config.cluster && !options.store ? await openClusterNode(config.cluster, config.storage.databaseUrl!, storeLimits, logger, checkpointer) : null;
  const opened = options.store
    ? null
    : cluster
      ? { store: cluster.store, where: `${cluster.store.where} with Redis (deployment, instance ${cluster.config.instanceId})` }
      : await openRunStore(config.storage, storeLimits).catch(async (error: unknown) => {
          await checkpointer.close().catch(() => undefined);
          throw error;
        });
  const store = options.store ?? opened!.store;
  if (opened && store.durable) logger({ level: "info", msg: "run store", where: opened.where, runs: store.stats().runs });
  const threadStore =
    options.threadStore ??
    (await createThreadStore(config.storage).catch(async (error: unknown) => {
      await checkpointer.close().catch(() => undefined);
      if (opened) await Promise.resolve(opened.store.close()).catch(() => undefined);
      throw error;
    }));
  // Threads and the run manager know each other: runs start through threads, threads follow runs' statuses.
  const threads: ThreadService = new ThreadService({ store: threadStore, graphs, runs: () => runs, maxThreads: config.storeMaxThreads, log: logger });
  const runs: RunManager = new RunManager({
    onStatusChange: (runId, change, threadId) => threads.runs.statusChanged(runId, change, threadId),
    onRunStopped: (runId) => threads.runs.runStopped(runId),
    onRunLeft: (runId) => threads.runs.runLeft(runId),
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
    ...(cluster ? { executor: cluster.config.instanceId, elsewhere: cluster.elsewhere, queue: cluster.queue } : {}),
  });
  // Runs a previous process left running continue here from their last checkpoint; interrupted ones
  // wait for their resume as before. In a deployment, runs whose executor died are taken over once
  // their leases expire, by whichever process looks first.
  if (cluster) await cluster.start(runs);
  else if (store.durable) {
    const continued = await runs.resumeOrphanedRuns();
    if (continued.length > 0) logger({ level: "info", msg: "continued runs left running by the previous process", count: continued.length });
  }
  const subscriptions = new SubscriptionTracker();
  const router = createAppRouter({
    runs,
    threads,
    graphs,
    graphsWatched: projectWatcher !== null,
    model,
    authRequired: auth !== null,
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
  // /v1, the offline model, behind the same checks as tRPC; this process's own models send ownModelKey.
  const ownModelKey = randomBytes(24).toString("base64url");
  const offlineModel = createOfflineModelHandler({
    maxConcurrentStreams: config.offlineMaxStreams,
    onStreamEnd: options.onOfflineStreamEnd,
    ...offlineModelAccess(access, ownModelKey, auth),
  });
  const hosts: HostPolicy = { allowedHosts: config.allowedHosts, bindHost: config.host, authRequired: auth !== null };
  /** The identity part of a context: anonymous without auth, else what the handler says. */
  async function identify(source: AuthSource): Promise<Pick<RillContext, "identity" | "authFailure">> {
    if (!auth) return { identity: null, authFailure: null };
    try {
      const outcome = await auth.identify(source);
      return outcome.failure ? { identity: null, authFailure: outcome.failure } : { identity: outcome.identity, authFailure: null };
    } catch (error) {
      logger({ level: "error", msg: "auth handler failed", source: auth.source, error: String(error) });
      return { identity: null, authFailure: { code: "INTERNAL_SERVER_ERROR", message: `the auth handler (${auth.source}) failed` } };
    }
  }

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

  const instance = cluster ? { instance: cluster.config.instanceId } : {};
  const trpcHttp = createHTTPHandler({
    router,
    basePath: `${TRPC_PATH}/`,
    maxBodySize: config.maxMessageBytes,
    maxBatchSize: config.maxBatchSize,
    createContext: async ({ req }): Promise<RillContext> => ({
      ...(await identify({ req, connectionParams: null })),
      connectionId: `http-${++connections}`,
      socket: null,
      budget: httpBudgetOf(req.socket),
      ...instance,
    }),
  });
  const ws = createTrpcWebSocketServer({
    router,
    maxMessageBytes: config.maxMessageBytes,
    maxBatchSize: config.maxBatchSize,
    pingMs: config.wsPingMs,
    pongWaitMs: config.wsPongWaitMs,
    createContext: async ({ req, res, info }: CreateWSSContextFnOptions): Promise<RillContext> => ({
      ...(await identify({ req, connectionParams: info.connectionParams ?? null })),
      connectionId: `ws-${++connections}`,
      socket: subscriberSocketOf(res),
      budget: new ConnectionBudget(connectionLimits),
      ...instance,
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
    setPlaygroundRunLookup((runId) => runs.get(runId) !== undefined);
    setPlaygroundThreadLookup(async (threadId) => (await threadStore.get(threadId)) !== undefined);
  }

  // A worker-only process of a deployment (RILL_ROLE=worker) executes queued runs and answers only its health endpoints.
  const workerOnly =
    config.cluster?.role === "worker"
      ? `instance ${config.cluster.instanceId} is a worker (RILL_ROLE=worker): it serves only /healthz and /readyz; send API requests to a process with RILL_ROLE=api or all`
      : null;
  const httpSubscriptions = subscriptionPaths(router);
  const httpServer = createServer((req, res) => {
    const badTarget = requestTargetProblem(req);
    if (badTarget) return sendJsonError(res, 400, badTarget);
    const hostProblem = hostRejection(req, hosts);
    if (hostProblem) return sendJsonError(res, 403, hostProblem);
    if (serveHealth(req, res, { instanceId: runs.executor, closing: () => closing !== null, notReady: cluster ? () => cluster.notReady() : null })) return;
    if (workerOnly) return sendJsonError(res, 404, workerOnly);
    if (isTrpcPath(req.url)) {
      const rejection = originRejection(req, access);
      if (rejection) return sendJsonError(res, 403, rejection);
      const subscription = subscriptionCalledOverHttp(req.url!, TRPC_PATH, httpSubscriptions);
      if (subscription) return refuseSubscriptionOverHttp(res, subscription, TRPC_PATH);
      return trpcHttp(req, res);
    }
    if (offlineModel(req, res)) return;
    if (nextHandler) {
      nextHandler(req, res).catch((error: unknown) => {
        logger({ level: "error", msg: "next failed", url: req.url, error: String(error) });
        if (!res.headersSent) sendJsonError(res, 500, "internal error");
      });
      return;
    }
    sendJsonError(res, 404, `no route for ${req.method} ${req.url} (this server runs without the Next.js app)`);
  });
  // Without a listener Node drops a CONNECT without a word.
  httpServer.on("connect", (_req, socket) => {
    socket.on("error", () => socket.destroy());
    rejectUpgrade(socket, 405, "CONNECT is not supported: this server is no proxy");
  });
  httpServer.on("upgrade", (req, socket, head) => {
    socket.on("error", () => socket.destroy());
    const badTarget = requestTargetProblem(req);
    if (badTarget) return rejectUpgrade(socket, 400, badTarget);
    const hostProblem = hostRejection(req, hosts);
    if (hostProblem) return rejectUpgrade(socket, 403, hostProblem);
    if (workerOnly) return rejectUpgrade(socket, 404, workerOnly);
    if (!isTrpcPath(req.url)) {
      // Next's dev server attaches its own upgrade listener (HMR); otherwise nobody serves this path.
      if (!nextOption || !nextOption.dev) rejectUpgrade(socket, 404, `no WebSocket at ${req.url}; tRPC's is at ${TRPC_PATH}`);
      return;
    }
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
  setOfflineModelURL(origin, ownModelKey);

  async function close(reason = "the server is shutting down"): Promise<void> {
    closing ??= (async () => {
      const deadline = Date.now() + config.shutdownTimeoutMs;
      const stopped = new Promise<void>((resolve) => httpServer.close(() => resolve()));
      ws.broadcastReconnectNotification();
      // Resolves once the runs' engines stopped (their checkpoints committed), so that the runs handed back
      // below are continued from their last checkpoint; a saver that does not answer waits only until the deadline.
      let cancelled = 0;
      await untilDeadline(Promise.resolve(runs.shutdown(reason)).then((count) => void (cancelled = count)), deadline);
      // In a deployment, the runs left are handed to the other processes at once (not after their leases expire).
      const handedBack = cluster ? await cluster.handBack() : 0;
      if (handedBack > 0) logger({ level: "info", msg: "handed runs back to the deployment", count: handedBack });
      // After the runs are cancelled (their own model calls abort), outside clients' streams end with an error event.
      const modelStreamsEnded = offlineModel.shutdown(reason);
      if (cancelled > 0) {
        const msg = runs.store.durable ? "left active runs in the store for the next start" : "cancelled active runs";
        logger({ level: "info", msg, count: cancelled, reason });
      }
      await subscriptions.drained(Math.max(0, deadline - Date.now()));
      // A finished subscription's "stopped" message is sent a few microtasks after its generator returns
      // (tRPC disposes the iterator first); without it wsLink would resubscribe. Let that happen.
      await new Promise((resolve) => setImmediate(resolve));
      for (const client of ws.wss.clients) client.close(1012, "server restarting");
      await subscriptions.drained(Math.max(0, Math.min(500, deadline - Date.now())));
      for (const client of ws.wss.clients) client.terminate();
      ws.wss.close();
      await untilDeadline(modelStreamsEnded, deadline);
      httpServer.closeAllConnections();
      runs.close();
      if (nextOption) {
        setPlaygroundRunLookup(null);
        setPlaygroundThreadLookup(null);
      }
      projectWatcher?.close();
      await stopped;
      await threads.runs.settledAll();
      if (opened) await Promise.resolve(opened.store.close()).catch((error: unknown) => logger({ level: "warn", msg: "could not close the run store", error: String(error) }));
      await cluster?.close().catch((error: unknown) => logger({ level: "warn", msg: "could not leave the deployment cleanly", error: String(error) }));
      await threadStore.close().catch((error: unknown) => logger({ level: "warn", msg: "could not close the thread store", error: String(error) }));
      await checkpointer.close().catch((error: unknown) => logger({ level: "warn", msg: "could not close the checkpointer", error: String(error) }));
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
    threads,
    graphs,
    projectWatcher,
    router,
    httpServer,
    wss: ws.wss,
    model,
    authSource: auth?.source ?? null,
    broadcastReconnect: () => ws.broadcastReconnectNotification(),
    close,
  };
}

/** Joins the deployment (imported only then: a single process loads none of it). Fails as a StorageError naming what does not answer. */
async function openClusterNode(
  cluster: NonNullable<RillConfig["cluster"]>,
  databaseUrl: string,
  limits: RunStoreLimits,
  logger: Logger,
  checkpointer: ServerCheckpointer,
): Promise<ClusterNode> {
  const { ClusterNode } = await import("./cluster/clusterNode");
  try {
    return await ClusterNode.open(cluster, databaseUrl, limits, (line) => logger(line));
  } catch (error) {
    await checkpointer.close().catch(() => undefined);
    throw new StorageError(error instanceof Error ? error.message : String(error));
  }
}
