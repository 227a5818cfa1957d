// Every setting of the run server, from the environment, with its default. (The README's configuration
// table is copied from this block; keep them in step.)
//
// Server
//   PORT                              3000        Port for the app, tRPC over HTTP and the WebSocket (one port).
//   HOST                              127.0.0.1   Interface to listen on. Loopback by default: the server spends your
//                                                 model key and has no auth unless RILL_TOKEN is set. HOST=0.0.0.0 to expose it.
//   NODE_ENV / --dev                  production  `npm run dev` (or --dev, or NODE_ENV=development) serves Next in dev mode with hot reload.
//   RILL_LOG_LEVEL                    info        info | warn | error | silent: what the server logs to stderr.
//   RILL_SHUTDOWN_TIMEOUT_MS          5000        On SIGTERM/SIGINT: how long clients get to receive the final events before sockets are closed.
//   RILL_TEST_GRAPHS                  (unset)     1 = also serve the test-only graphs (token-flood, chat-flood, nested-flood: the UI benchmark).
//   RILL_CONFIG                       (unset)     A langgraph.json (or its folder) to serve instead of the examples; --config wins
//                                                 (read by server/project/configArgument.ts).
//
// Access
//   RILL_TOKEN                        (unset)     Shared secret, or named ones: `alice:s1,bob:s2` (a value with `:` or `,` is such a list).
//                                                 WebSocket clients send it as connectionParams { token } and HTTP clients (the offline model's /v1 too) as
//                                                 `Authorization: Bearer <token>`; others get UNAUTHORIZED. Each name is an identity
//                                                 (a bare token is the identity "default"): a run belongs to the identity that started it.
//   RILL_AUTH_PATH                    (unset)     LangGraph custom auth instead of RILL_TOKEN: `./auth.ts:auth`, a module exporting an
//                                                 Auth from @langchain/langgraph-sdk/auth whose authenticate handler gives each request an identity.
//   RILL_ALLOWED_ORIGINS              (unset)     Comma-separated origins browsers may connect from, or `*`. Unset: same origin only
//                                                 (the Origin header must match the Host header). Requests without Origin (CLI, scripts) pass.
//   RILL_ALLOWED_HOSTS                (unset)     Comma-separated host names (no port) served besides localhost, 127.x.x.x and [::1], or `*`
//                                                 for any. Unset: on a loopback HOST without RILL_TOKEN/RILL_AUTH_PATH only loopback names
//                                                 are served (403 otherwise: DNS rebinding); on other binds or with auth, any.
//
// Runs
//   RILL_MAX_RUNS                     100         Runs running at once in the process (interrupted runs have their own pool, below);
//                                                 in a deployment (REDIS_URL), running and queued runs of all its processes.
//   RILL_MAX_RUNS_PER_CLIENT          10          Runs running at once that one client started. A client is the identity the auth
//                                                 handler gives, else the WebSocket connection (see server/trpc.ts clientKeyOf).
//                                                 (RILL_MAX_RUNS_PER_CONNECTION, the old name, is read when this one is unset.)
//   RILL_RESERVED_RUNS                10% of RILL_MAX_RUNS  The last this many of RILL_MAX_RUNS go only to clients with no run running,
//                                                 so clients holding runs can never take every slot (at most RILL_MAX_RUNS - 1).
//   RILL_MAX_INTERRUPTED_RUNS_PER_CLIENT 10       Interrupted runs one client may have waiting for a resume: a start past it is
//                                                 refused; a run interrupting past it cancels that client's oldest interrupted run.
//                                                 Over all clients at most RILL_STORE_MAX_RUNS - RILL_MAX_RUNS wait (past that the
//                                                 oldest of the client with the most is cancelled), so a start within the run limits
//                                                 always finds a store slot.
//   RILL_RUN_TIMEOUT_MS               600000      A run still running after this long (each stretch between interrupts) is cancelled; 0 = never.
//   RILL_INTERRUPT_TIMEOUT_MS         3600000     An interrupted run not resumed within this long is cancelled; 0 = never.
//   RILL_MAX_RECURSION_LIMIT          1000        Highest config.recursionLimit a client may ask for.
//   RILL_MAX_INPUT_BYTES              262144      Largest run input or resume value, as JSON characters.
//
// Storage (run records and logs, threads, checkpoints)
//   RILL_STORE                        sqlite      memory | sqlite | postgres. Unset: postgres when DATABASE_URL is set, else sqlite.
//   RILL_DATA_DIR                     ./.rill     Where the embedded SQLite store keeps its files (created if missing).
//   DATABASE_URL                      (unset)     postgres://user@host:port/db: keep everything in PostgreSQL (migrated at start-up).
//
// Deployment (several processes on one PostgreSQL and one Redis: server/cluster/)
//   REDIS_URL                         (unset)     redis://host:port/db: with DATABASE_URL, this process joins a deployment (live events
//                                                 and cancels cross processes through Redis; runs are leased in PostgreSQL).
//   RILL_INSTANCE_ID                  host:pid    This process's id: runs.get's `worker`, system.info's `instanceId`.
//   RILL_LEASE_MS                     2500        A run whose executor stops renewing its lease (it died) is taken over this long after.
//   RILL_REDIS_PREFIX                 rill:       Prefix of every Redis key and channel the deployment uses.
//   RILL_ROLE                         all         api: queues runs, executes none; worker: executes queued runs, serves only
//                                                 /healthz and /readyz; all: both (runs start here while it has a free slot).
//   RILL_WORKER_CONCURRENCY           (max runs)  Runs executing in this process at once; more are queued for any worker.
//
// Run logs (retention limits, in every store)
//   RILL_STORE_MAX_EVENTS_PER_RUN     100000      Events kept per run; older ones are evicted (a subscriber that needs them gets a clear error).
//   RILL_STORE_MAX_BYTES_PER_RUN      67108864    Bytes of memory a run's events may take (64 MiB); older events are evicted.
//   RILL_STORE_MAX_RUNS               1000        Runs kept; the oldest finished run is dropped to make room. Must be more than RILL_MAX_RUNS.
//   RILL_STORE_MAX_TOTAL_BYTES        536870912   Bytes of memory all runs' events, records and inputs may take (512 MiB): finished runs go first.
//                                                 Counted as measured (README, configuration): packed logs at their UTF-8 size plus
//                                                 offsets, the newest events as V8 strings plus 96 bytes each, 2 KiB and the input per run.
//   RILL_STORE_MAX_AGE_MS             3600000     A finished run is dropped this long after it ended.
//   RILL_STORE_MAX_THREADS            10000       Threads kept; past it the oldest with no run going (idle or error) are deleted with their checkpoints.
//
// WebSocket
//   RILL_MAX_MESSAGE_BYTES            1048576     Largest message a client may send; larger ones get PAYLOAD_TOO_LARGE
//                                                 (frames over 4x this close the connection with 1009).
//   RILL_MAX_BATCH_SIZE               100         Most calls in one batch (a WebSocket frame, an HTTP batch); a larger batch is refused whole.
//   RILL_MAX_CALLS_PER_SECOND         200         Calls one connection may make a second (a token bucket holding a second's worth);
//                                                 past it: TOO_MANY_REQUESTS.
//   RILL_MAX_REPLAYS_PER_CONNECTION   8           Subscriptions of one connection replaying a run's log at once (joins and resumes
//                                                 that start behind the live end); past it: TOO_MANY_REQUESTS.
//   RILL_WS_HIGH_WATER_BYTES          1048576     A subscriber whose socket holds more unsent bytes than this pauses reading its run's log.
//   RILL_WS_MAX_BUFFERED_BYTES        8388608     ...and is dropped (its client resumes from its lastEventId) past this many,
//   RILL_SLOW_SUBSCRIBER_TIMEOUT_MS   10000       ...or when still over the high-water mark after this long.
//   RILL_WS_PING_MS                   30000       Keep-alive: the server pings a connection quiet for this long...
//   RILL_WS_PONG_WAIT_MS              5000        ...and closes it if no answer comes within this long.
//
// Model (read by lib/llm): OPENAI_API_KEY, OPENAI_BASE_URL, OPENAI_MODEL; none set = the offline model,
// paced by RILL_OFFLINE_DELAY_MS.
//   RILL_OFFLINE_MAX_STREAMS          32          Streamed completions the offline model (/v1) serves at once to outside clients;
//                                                 past it, 429. Rill's own runs calling it are bounded by RILL_MAX_RUNS instead.

import { parseTokens } from "./auth/tokenAuth";
import { hostname } from "node:os";
import { resolve as resolvePath } from "node:path";

export type LogLevel = "info" | "warn" | "error" | "silent";

export interface RillConfig {
  port: number;
  host: string;
  dev: boolean;
  logLevel: LogLevel;
  shutdownTimeoutMs: number;
  testGraphs: boolean;
  token: string | undefined;
  /** A LangGraph auth module, `path[:export]`, relative to the working directory. */
  authPath: string | undefined;
  /** Undefined: same origin only. */
  allowedOrigins: string[] | "*" | undefined;
  /** Host names served besides loopback ones; undefined: see RILL_ALLOWED_HOSTS above. */
  allowedHosts: string[] | "*" | undefined;
  maxRuns: number;
  maxRunsPerClient: number;
  /** Undefined: 10% of maxRuns, rounded down. */
  reservedRuns: number | undefined;
  maxInterruptedRunsPerClient: number;
  runTimeoutMs: number;
  interruptTimeoutMs: number;
  maxRecursionLimit: number;
  maxInputBytes: number;
  storeMaxEventsPerRun: number;
  storeMaxBytesPerRun: number;
  storeMaxRuns: number;
  storeMaxTotalBytes: number;
  storeMaxAgeMs: number;
  storeMaxThreads: number;
  maxMessageBytes: number;
  maxBatchSize: number;
  maxCallsPerSecond: number;
  maxReplaysPerConnection: number;
  wsHighWaterBytes: number;
  wsMaxBufferedBytes: number;
  slowSubscriberTimeoutMs: number;
  wsPingMs: number;
  wsPongWaitMs: number;
  offlineMaxStreams: number;
  /** Where runs, threads and checkpoints are kept. */
  storage: StorageConfig;
  /** Several processes as one deployment (DATABASE_URL and REDIS_URL): server/cluster/. Null for one process. */
  cluster: ClusterConfig | null;
}

export interface ClusterConfig {
  /** REDIS_URL: live events and cancel signals between the processes. */
  redisUrl: string;
  /** RILL_INSTANCE_ID (default hostname:pid): this process, as runs' `worker` and in system.info. */
  instanceId: string;
  /** RILL_LEASE_MS: a run whose executor has not renewed its lease for this long is taken over by another process. */
  leaseMs: number;
  /** RILL_REDIS_PREFIX (default "rill:"): the prefix of every Redis key and channel (tests use their own). */
  redisPrefix: string;
  /** RILL_ROLE (default "all"): "api" queues runs and never executes them, "worker" executes queued runs, "all" does both. */
  role: ClusterRole;
  /** RILL_WORKER_CONCURRENCY: at most this many runs executing in this process at once; 0 (unset) = RILL_MAX_RUNS's share. */
  workerConcurrency: number;
}

export const CLUSTER_ROLES = ["api", "worker", "all"] as const;
export type ClusterRole = (typeof CLUSTER_ROLES)[number];

export type StorageKind = "memory" | "sqlite" | "postgres";

export interface StorageConfig {
  kind: StorageKind;
  /** RILL_DATA_DIR, resolved against the working directory: the SQLite store's folder. */
  dataDir: string;
  /** DATABASE_URL: the PostgreSQL store's database. */
  databaseUrl: string | undefined;
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

type Env = Record<string, string | undefined>;

function text(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === "" ? undefined : value;
}

function integer(env: Env, name: string, fallback: number, { min = 0, max = Number.MAX_SAFE_INTEGER } = {}): number {
  const raw = text(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(`${name} must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(`${name} must be between ${min} and ${max}, got ${value}`);
  return value;
}

function logLevel(env: Env): LogLevel {
  const raw = text(env, "RILL_LOG_LEVEL") ?? "info";
  if (raw === "info" || raw === "warn" || raw === "error" || raw === "silent") return raw;
  throw new ConfigError(`RILL_LOG_LEVEL must be info, warn, error or silent, got "${raw}"`);
}

function origins(env: Env): RillConfig["allowedOrigins"] {
  const raw = text(env, "RILL_ALLOWED_ORIGINS");
  if (raw === undefined) return undefined;
  if (raw === "*") return "*";
  return raw.split(",").map((origin) => {
    const trimmed = origin.trim().replace(/\/+$/, "");
    try {
      return new URL(trimmed).origin;
    } catch {
      throw new ConfigError(`RILL_ALLOWED_ORIGINS: "${trimmed}" is not an origin like https://example.com`);
    }
  });
}

function hosts(env: Env): RillConfig["allowedHosts"] {
  const raw = text(env, "RILL_ALLOWED_HOSTS");
  if (raw === undefined) return undefined;
  if (raw === "*") return "*";
  return raw.split(",").map((entry) => {
    const host = entry.trim().toLowerCase();
    if (host === "" || host.includes("/") || host.includes(" ") || (host.includes(":") && !host.startsWith("["))) {
      throw new ConfigError(`RILL_ALLOWED_HOSTS: "${host}" is not a host name like rill.example (no scheme, no port)`);
    }
    return host;
  });
}

function tokenSpec(env: Env): string | undefined {
  const raw = text(env, "RILL_TOKEN");
  if (raw === undefined) return undefined;
  try {
    parseTokens(raw);
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
  return raw;
}

/** The run slots kept for clients with no run running: RILL_RESERVED_RUNS, else 10% of maxRuns. */
export function reservedRunsOf(config: Pick<RillConfig, "maxRuns" | "reservedRuns">): number {
  return Math.min(config.reservedRuns ?? Math.floor(config.maxRuns / 10), config.maxRuns - 1);
}

export function loadConfig(env: Env = process.env, argv: readonly string[] = []): RillConfig {
  const config = readConfig(env, argv);
  if (config.storeMaxRuns <= config.maxRuns) {
    throw new ConfigError(
      `RILL_STORE_MAX_RUNS (${config.storeMaxRuns}) must be more than RILL_MAX_RUNS (${config.maxRuns}): the difference is how many interrupted runs can wait`,
    );
  }
  return config;
}

function readConfig(env: Env, argv: readonly string[]): RillConfig {
  const perClientName = text(env, "RILL_MAX_RUNS_PER_CLIENT") === undefined && text(env, "RILL_MAX_RUNS_PER_CONNECTION") !== undefined
    ? "RILL_MAX_RUNS_PER_CONNECTION"
    : "RILL_MAX_RUNS_PER_CLIENT";
  return {
    port: integer(env, "PORT", 3000, { max: 65535 }),
    host: text(env, "HOST") ?? "127.0.0.1",
    dev: argv.includes("--dev") || env.NODE_ENV === "development",
    logLevel: logLevel(env),
    shutdownTimeoutMs: integer(env, "RILL_SHUTDOWN_TIMEOUT_MS", 5000),
    testGraphs: text(env, "RILL_TEST_GRAPHS") === "1",
    token: tokenSpec(env),
    authPath: text(env, "RILL_AUTH_PATH"),
    allowedOrigins: origins(env),
    allowedHosts: hosts(env),
    maxRuns: integer(env, "RILL_MAX_RUNS", 100, { min: 1 }),
    maxRunsPerClient: integer(env, perClientName, 10, { min: 1 }),
    reservedRuns: text(env, "RILL_RESERVED_RUNS") === undefined ? undefined : integer(env, "RILL_RESERVED_RUNS", 0),
    maxInterruptedRunsPerClient: integer(env, "RILL_MAX_INTERRUPTED_RUNS_PER_CLIENT", 10, { min: 1 }),
    runTimeoutMs: integer(env, "RILL_RUN_TIMEOUT_MS", 600_000),
    interruptTimeoutMs: integer(env, "RILL_INTERRUPT_TIMEOUT_MS", 3_600_000),
    maxRecursionLimit: integer(env, "RILL_MAX_RECURSION_LIMIT", 1000, { min: 1 }),
    maxInputBytes: integer(env, "RILL_MAX_INPUT_BYTES", 262_144, { min: 2 }),
    storeMaxEventsPerRun: integer(env, "RILL_STORE_MAX_EVENTS_PER_RUN", 100_000, { min: 1 }),
    storeMaxBytesPerRun: integer(env, "RILL_STORE_MAX_BYTES_PER_RUN", 64 * 1024 * 1024, { min: 1 }),
    storeMaxRuns: integer(env, "RILL_STORE_MAX_RUNS", 1000, { min: 1 }),
    storeMaxTotalBytes: integer(env, "RILL_STORE_MAX_TOTAL_BYTES", 512 * 1024 * 1024, { min: 1 }),
    storeMaxAgeMs: integer(env, "RILL_STORE_MAX_AGE_MS", 3_600_000, { min: 1 }),
    storeMaxThreads: integer(env, "RILL_STORE_MAX_THREADS", 10_000, { min: 1 }),
    maxMessageBytes: integer(env, "RILL_MAX_MESSAGE_BYTES", 1024 * 1024, { min: 1024 }),
    maxBatchSize: integer(env, "RILL_MAX_BATCH_SIZE", 100, { min: 1 }),
    maxCallsPerSecond: integer(env, "RILL_MAX_CALLS_PER_SECOND", 200, { min: 1 }),
    maxReplaysPerConnection: integer(env, "RILL_MAX_REPLAYS_PER_CONNECTION", 8, { min: 1 }),
    wsHighWaterBytes: integer(env, "RILL_WS_HIGH_WATER_BYTES", 1024 * 1024, { min: 1 }),
    wsMaxBufferedBytes: integer(env, "RILL_WS_MAX_BUFFERED_BYTES", 8 * 1024 * 1024, { min: 1 }),
    slowSubscriberTimeoutMs: integer(env, "RILL_SLOW_SUBSCRIBER_TIMEOUT_MS", 10_000, { min: 1 }),
    wsPingMs: integer(env, "RILL_WS_PING_MS", 30_000, { min: 100 }),
    wsPongWaitMs: integer(env, "RILL_WS_PONG_WAIT_MS", 5_000, { min: 100 }),
    offlineMaxStreams: integer(env, "RILL_OFFLINE_MAX_STREAMS", 32, { min: 1 }),
    storage: storage(env),
    cluster: cluster(env),
  };
}

function cluster(env: Env): ClusterConfig | null {
  const redisUrl = text(env, "REDIS_URL");
  if (!redisUrl) {
    for (const name of ["RILL_ROLE", "RILL_WORKER_CONCURRENCY"]) {
      if (text(env, name) !== undefined) throw new ConfigError(`${name} applies to a deployment: set REDIS_URL and DATABASE_URL too, or unset ${name}`);
    }
    return null;
  }
  const role = text(env, "RILL_ROLE") ?? "all";
  if (!(CLUSTER_ROLES as readonly string[]).includes(role)) throw new ConfigError(`RILL_ROLE must be one of ${CLUSTER_ROLES.join(", ")}, got "${role}"`);
  if (!/^rediss?:\/\//.test(redisUrl)) throw new ConfigError(`REDIS_URL must be a redis:// or rediss:// URL, got "${redisUrl.replace(/:[^:@/]*@/, ":***@")}"`);
  const databaseUrl = text(env, "DATABASE_URL");
  const store = text(env, "RILL_STORE");
  if (!databaseUrl || (store !== undefined && store !== "postgres")) {
    throw new ConfigError("REDIS_URL makes this process one of a deployment, which keeps its runs in PostgreSQL: set DATABASE_URL (and no other RILL_STORE)");
  }
  return {
    redisUrl,
    instanceId: text(env, "RILL_INSTANCE_ID") ?? `${hostname()}:${process.pid}`,
    leaseMs: integer(env, "RILL_LEASE_MS", 2500, { min: 300, max: 600_000 }),
    redisPrefix: text(env, "RILL_REDIS_PREFIX") ?? "rill:",
    role: role as ClusterRole,
    workerConcurrency: integer(env, "RILL_WORKER_CONCURRENCY", 0, { min: 1, max: 100_000 }),
  };
}

function storage(env: Env): StorageConfig {
  const databaseUrl = text(env, "DATABASE_URL");
  const raw = text(env, "RILL_STORE") ?? (databaseUrl ? "postgres" : "sqlite");
  if (raw !== "memory" && raw !== "sqlite" && raw !== "postgres") {
    throw new ConfigError(`RILL_STORE must be memory, sqlite or postgres, got "${raw}"`);
  }
  if (raw === "postgres" && !databaseUrl) {
    throw new ConfigError("RILL_STORE=postgres needs DATABASE_URL (postgres://user@host:port/database)");
  }
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError(`DATABASE_URL must be a postgres:// or postgresql:// URL, got "${databaseUrl.replace(/:[^:@/]*@/, ":***@")}"`);
  }
  return { kind: raw, dataDir: resolvePath(text(env, "RILL_DATA_DIR") ?? ".rill"), databaseUrl };
}

/** The defaults, as tests and benchmarks start from them. */
export function defaultConfig(): RillConfig {
  return loadConfig({}, []);
}
