// Parts b and c of `npm run bench:durable` (issue 16): what the durable run stores cost.
//
// (b) Run-log append throughput: RUNS runs at once, each logging EVENTS_PER_RUN custom events through
//     the run manager (engine part -> JSON -> store append -> followers woken), a few events per run per
//     tick as a streaming graph produces them; timed until every run's final status is committed. The
//     SQLite store (a file in a temp dir) and PostgreSQL (DATABASE_URL, else a database of its own on
//     127.0.0.1:5432) against the memory store. Goal: durable ≥ 0.5x the memory store's events/s.
//     The store alone (appends, no manager) is printed beside it.
// (c) Start-up: a store holding STORED_RUNS finished runs (LOG_EVENTS events each) and INTERRUPTED_RUNS
//     interrupted runs; time from createRillServer() to the first runs.list answered. Goal: < 1 s.
import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { z } from "zod";
import type { RunStore, RunStoreLimits } from "../server/runs/runStore";
import { MemoryRunStore } from "../server/runs/stores/memory/memoryRunStore";
import { openSqliteRunStore } from "../server/runs/stores/sqlite/sqliteRunStore";
import { openPostgresRunStore } from "../server/runs/stores/postgres/postgresRunStore";
import { RunManager } from "../server/runs/runManager";
import type { GraphSource, RunnableGraph, StreamableGraph } from "../server/runs/graphSource";
import type { StreamPart } from "../lib/graph/types";
import { median } from "./medianTimer";

const RUNS = 100;
const EVENTS_PER_RUN = 2_000;
const EVENTS_PER_TICK = 8;
const ROUNDS = 7;
const STORED_RUNS = 1_000;
const INTERRUPTED_RUNS = 100;
const LOG_EVENTS = 50;
const GOAL_THROUGHPUT = 0.5;
const GOAL_STARTUP_MS = 1_000;

const limits: RunStoreLimits = {
  maxEventsPerRun: 100_000,
  maxBytesPerRun: 64 * 1024 * 1024,
  maxRuns: 100_000,
  maxTotalBytes: 8 * 1024 * 1024 * 1024,
  maxAgeMs: 3_600_000,
};

function eventOf(n: number): StreamPart {
  return ["custom", { n, token: `token ${n} of the stream` }];
}

/** A graph that yields EVENTS_PER_RUN custom events, EVENTS_PER_TICK a turn of the event loop. */
const ticking: RunnableGraph = {
  id: "ticking",
  input: z.object({}),
  graph(): StreamableGraph {
    return {
      reportsOutcome: true,
      stream() {
        let resolveOutcome!: (value: { status: "done"; interrupts: [] }) => void;
        const outcome = new Promise<{ status: "done"; interrupts: [] }>((resolve) => (resolveOutcome = resolve));
        async function* parts(): AsyncGenerator<StreamPart> {
          for (let n = 1; n <= EVENTS_PER_RUN; n++) {
            yield eventOf(n);
            if (n % EVENTS_PER_TICK === 0) await new Promise((resolve) => setImmediate(resolve));
          }
          resolveOutcome({ status: "done", interrupts: [] });
        }
        return Object.assign(parts(), { outcome });
      },
    };
  },
};

const source: GraphSource = { get: (id) => (id === "ticking" ? ticking : undefined), ids: () => ["ticking"] };

/** Events per second through the run manager: RUNS runs at once, until every final status is committed. */
async function managerThroughput(store: RunStore): Promise<number> {
  const manager = new RunManager({
    store,
    graphs: source,
    limits: { maxConcurrentRuns: RUNS + 1, maxRunsPerClient: RUNS + 1, runTimeoutMs: 0, interruptTimeoutMs: 0, maxRecursionLimit: 100 },
    pacing: { highWaterBytes: 1 << 20, maxBufferedBytes: 1 << 24, slowTimeoutMs: 10_000 },
    resumeCommand: (value) => value,
  });
  const started = performance.now();
  const ids: string[] = [];
  for (let i = 0; i < RUNS; i++) ids.push((await manager.start({ graphId: "ticking", input: {}, streamMode: ["custom"] }, `c${i % 10}`)).record.metadata.run_id);
  for (const id of ids) await manager.whenEnded(id);
  const seconds = (performance.now() - started) / 1000;
  manager.close();
  await store.close();
  return (RUNS * (EVENTS_PER_RUN + 1)) / seconds;
}

/** Events per second of bare appends (no manager): RUNS runs, EVENTS_PER_TICK events per run per tick. */
async function storeThroughput(store: RunStore): Promise<number> {
  const ids = Array.from({ length: RUNS }, (_, i) => `bench-${process.pid}-${Math.random().toString(36).slice(2)}-${i}`);
  for (const id of ids) await store.create({ run_id: id, graph_id: "g", stream_mode: ["custom"], created_at: "" }, {});
  const texts = Array.from({ length: EVENTS_PER_RUN }, (_, n) => JSON.stringify(eventOf(n + 1)));
  const started = performance.now();
  let last: unknown = null;
  for (let n = 0; n < EVENTS_PER_RUN; n += EVENTS_PER_TICK) {
    for (const id of ids) for (let k = n; k < n + EVENTS_PER_TICK && k < EVENTS_PER_RUN; k++) last = store.append(id, texts[k]!);
    await new Promise((resolve) => setImmediate(resolve));
  }
  await last;
  const seconds = (performance.now() - started) / 1000;
  for (const id of ids) await store.append(id, JSON.stringify(["status", { status: "done" }]));
  await store.close();
  return (RUNS * EVENTS_PER_RUN) / seconds;
}

/** Fills a store with STORED_RUNS finished runs and INTERRUPTED_RUNS interrupted ones. */
async function fill(store: RunStore): Promise<void> {
  const pending: unknown[] = [];
  for (let i = 0; i < STORED_RUNS + INTERRUPTED_RUNS; i++) {
    const id = `stored-${i}-${Math.random().toString(36).slice(2, 10)}`;
    await store.create({ run_id: id, graph_id: "approval", stream_mode: ["updates"], created_at: new Date().toISOString() }, { topic: "x" }, undefined, "gone:1:0");
    for (let n = 1; n <= LOG_EVENTS; n++) pending.push(store.append(id, JSON.stringify(eventOf(n))));
    const status = i < STORED_RUNS ? { status: "done" } : { status: "interrupted", interrupts: [{ id: `i${i}`, value: { question: "ok?" } }] };
    pending.push(store.append(id, JSON.stringify(["status", status])));
  }
  await Promise.all(pending);
  await store.close();
}

/** Milliseconds from createRillServer() to the first runs.list answered, on `storage`. */
async function startupMs(storage: { kind: "sqlite" | "postgres"; dataDir: string; databaseUrl?: string }): Promise<{ ms: number; runs: number }> {
  const { createRillServer } = await import("../server/rillServer");
  const { createTRPCClient, httpLink } = await import("@trpc/client");
  const started = performance.now();
  const server = await createRillServer({
    next: false,
    env: { ...process.env, OPENAI_API_KEY: "", OPENAI_BASE_URL: "" },
    config: { port: 0, host: "127.0.0.1", logLevel: "error", storeMaxRuns: 100_000, storage: { ...storage, databaseUrl: storage.databaseUrl } },
  });
  const client = createTRPCClient<import("../server/router").AppRouter>({ links: [httpLink({ url: `${server.url}/api/trpc` })] });
  const listed = await client.runs.list.query({ limit: 200, status: "interrupted" });
  const ms = performance.now() - started;
  await server.close();
  return { ms, runs: listed.length };
}

async function postgresUrl(): Promise<{ url: string; cleanup: () => Promise<void> } | null> {
  const { createTestDatabase } = await import("../lib/graph/checkpoint/postgres/test/testDatabase");
  const db = await createTestDatabase().catch(() => null);
  return db === null ? null : { url: db.url, cleanup: db.drop };
}

/** Runs parts b and c; returns true when every goal measured is met. */
export async function durableRunStoreBench(): Promise<boolean> {
  const dir = mkdtempSync(join(tmpdir(), "rill-bench-runs-"));
  const pg = await postgresUrl();
  let ok = true;
  const goal = (label: string, value: string, met: boolean, goalText: string) => {
    if (!met) ok = false;
    console.log(`  ${label.padEnd(44)} ${value.padStart(12)}   goal ${goalText}   ${met ? "met" : "NOT MET"}`);
  };
  try {
    console.log(
      `run logs: ${RUNS} runs at once, ${EVENTS_PER_RUN.toLocaleString("en")} events each, ${EVENTS_PER_TICK} per run per tick; ` +
        `${ROUNDS} rounds, the stores taking turns within each (load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores)`,
    );
    // Each round measures every store back to back, so a change of machine load hits them alike; the
    // goal is checked on the median of the rounds' ratios.
    let round = 0;
    const kinds: Array<{ label: string; open: () => Promise<RunStore> | RunStore }> = [
      { label: "memory", open: () => new MemoryRunStore(limits) },
      { label: "SQLite", open: () => openSqliteRunStore(join(dir, `r${++round}`), limits) },
    ];
    if (pg) kinds.push({ label: "PostgreSQL", open: () => openPostgresRunStore(pg.url, limits) });
    const managed = new Map<string, number[]>(kinds.map((k) => [k.label, []]));
    const bare = new Map<string, number[]>(kinds.map((k) => [k.label, []]));
    for (let r = 0; r < ROUNDS; r++) {
      for (const kind of kinds) managed.get(kind.label)!.push(await managerThroughput(await kind.open()));
      for (const kind of kinds) bare.get(kind.label)!.push(await storeThroughput(await kind.open()));
    }
    for (const kind of kinds) {
      const m = median(managed.get(kind.label)!);
      const b = median(bare.get(kind.label)!);
      console.log(`  ${kind.label.padEnd(11)} ${Math.round(m).toLocaleString("en").padStart(10)} events/s through the run manager, ${Math.round(b).toLocaleString("en").padStart(10)} bare appends/s (medians)`);
    }
    const memoryRounds = managed.get("memory")!;
    for (const kind of kinds.slice(1)) {
      const ratio = median(managed.get(kind.label)!.map((value, i) => value / memoryRounds[i]!));
      goal(`(b) ${kind.label} / memory, through the run manager`, `${ratio.toFixed(2)}x`, ratio >= GOAL_THROUGHPUT, `≥ ${GOAL_THROUGHPUT}x`);
    }
    if (!pg) console.log("  PostgreSQL: skipped (no server at 127.0.0.1:5432)");

    console.log(`start-up: ${STORED_RUNS.toLocaleString("en")} finished runs (${LOG_EVENTS} events each) and ${INTERRUPTED_RUNS} interrupted runs stored`);
    const sqliteDir = join(dir, "startup");
    await fill(await openSqliteRunStore(sqliteDir, limits));
    const sqliteStart = await startupMs({ kind: "sqlite", dataDir: sqliteDir });
    goal(`(c) SQLite: serving (${sqliteStart.runs} interrupted listed)`, `${Math.round(sqliteStart.ms)} ms`, sqliteStart.ms < GOAL_STARTUP_MS && sqliteStart.runs === INTERRUPTED_RUNS, `< ${GOAL_STARTUP_MS} ms`);
    if (pg) {
      const fresh = await postgresUrl();
      if (fresh) {
        try {
          await fill(await openPostgresRunStore(fresh.url, limits));
          const pgStart = await startupMs({ kind: "postgres", dataDir: "", databaseUrl: fresh.url });
          goal(`(c) PostgreSQL: serving (${pgStart.runs} interrupted listed)`, `${Math.round(pgStart.ms)} ms`, pgStart.ms < GOAL_STARTUP_MS && pgStart.runs === INTERRUPTED_RUNS, `< ${GOAL_STARTUP_MS} ms`);
        } finally {
          await fresh.cleanup();
        }
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await pg?.cleanup();
  }
  return ok;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exit((await durableRunStoreBench()) ? 0 : 1);
