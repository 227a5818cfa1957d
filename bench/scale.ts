// npm run bench:scale — a deployment's cost and failover (issue 17), in one run on this machine:
//
//   200 concurrent runs of "ticks" (server/cluster/test/clusterTarget.ts: 200 custom events each, as fast
//   as the process goes), each started over tRPC and followed to its end, on:
//   - memory:   one process, the in-memory store (the single-process default without a database),
//   - PostgreSQL, no Redis: one process with the PostgreSQL run store and checkpoints (what durability costs),
//   - 1 process: one process of a deployment (PostgreSQL run store + Redis streams), followed on it,
//   - 2 processes: started on A and followed on B (every event crosses: A's commit → Redis → B).
//   Reports events/s (received by the subscribers, over the wall time of the whole load), emit→receive
//   p50/p99 (each event carries its emit time), and the processes' peak RSS (VmHWM).
//   Then failover: a run executing on A, followed on B; A is SIGKILLed; the time until B's subscriber
//   gets the ["status", { resumed: true }] event (the default lease, RILL_LEASE_MS=2500).
//
// Goals: the cross-process deployment ≥ 0.5x the in-memory throughput; failover < 3 s. Exit code 1 when
// a goal fails. Needs PostgreSQL (DATABASE_URL, else 127.0.0.1:5432: a database of its own) and Redis
// (REDIS_URL, else 127.0.0.1:6379: a key prefix of its own).
import { readFileSync } from "node:fs";
import { loadavg, availableParallelism } from "node:os";
import { createTestDatabase } from "../lib/graph/checkpoint/postgres/test/testDatabase";
import { parseEventId } from "../lib/run/eventId";
import { startClusterProcess, type ClusterProcess } from "../server/cluster/test/clusterProcess";
import { testRedisPrefix } from "../server/cluster/test/testRedis";
import { connect, type TestClient } from "../server/test/harness";

const RUNS = Number(process.env.SCALE_RUNS ?? 200);
const TICKS = 200;
const GOAL_THROUGHPUT = 0.5;
const GOAL_FAILOVER_MS = 3000;

const LIMITS = {
  RILL_MAX_RUNS: String(RUNS + 50),
  RILL_MAX_RUNS_PER_CLIENT: String(RUNS + 50),
  RILL_STORE_MAX_RUNS: String(RUNS * 20),
  RILL_MAX_CALLS_PER_SECOND: "1000000",
  RILL_MAX_BATCH_SIZE: String(RUNS + 50),
  RILL_MAX_REPLAYS_PER_CONNECTION: String(RUNS + 50),
  TICK_TIMES: "1",
};

interface Result {
  label: string;
  eventsPerSecond: number;
  p50: number;
  p99: number;
  rss: string;
}

function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}

/** Starts RUNS runs on `start`, follows each on `follow` (the same, or another process), to their ends. */
async function load(start: TestClient, follow: TestClient): Promise<{ events: number; seconds: number; latencies: number[] }> {
  const latencies: number[] = [];
  let events = 0;
  const began = performance.now();
  const one = (i: number) =>
    new Promise<void>((resolve, reject) => {
      const onData = (tracked: { id: string; data: unknown }) => {
        const [mode, chunk] = tracked.data as [string, { at?: number; status?: string }];
        if (mode === "custom" && chunk.at !== undefined) {
          latencies.push(performance.timeOrigin + performance.now() - chunk.at);
          events += 1;
        }
      };
      const callbacks = { onData, onError: reject, onComplete: resolve };
      if (start === follow) {
        start.trpc.runs.stream.subscribe({ graphId: "ticks", input: { total: TICKS }, streamMode: ["custom"], runId: `bench-${process.pid}-${i}-${Math.round(began)}` }, callbacks);
        return;
      }
      // Started on A: once A has reported it (its metadata event), followed on B from there.
      const first = start.trpc.runs.stream.subscribe(
        { graphId: "ticks", input: { total: TICKS }, streamMode: ["custom"] },
        {
          onData: (tracked) => {
            first.unsubscribe();
            const runId = parseEventId(tracked.id)!.runId;
            follow.trpc.runs.stream.subscribe({ runId, lastEventId: tracked.id }, callbacks);
          },
          onError: reject,
        },
      );
    });
  await Promise.all(Array.from({ length: RUNS }, (_, i) => one(i)));
  const seconds = (performance.now() - began) / 1000;
  if (events !== RUNS * TICKS) throw new Error(`received ${events} events, expected ${RUNS * TICKS}`);
  return { events, seconds, latencies };
}

async function setup(label: string, envs: Array<Record<string, string>>, crossing: boolean): Promise<Result> {
  const processes: ClusterProcess[] = await Promise.all(envs.map((env) => startClusterProcess({ ...LIMITS, TICK_MS: "0", ...env })));
  const clients = processes.map((p) => connect(p));
  try {
    // A warm-up load (JIT, connection pools), then the measured one.
    const start = clients[0]!;
    const follow = crossing ? clients[1]! : start;
    await load(start, follow);
    const { events, seconds, latencies } = await load(start, follow);
    latencies.sort((a, b) => a - b);
    const result: Result = {
      label,
      eventsPerSecond: events / seconds,
      p50: quantile(latencies, 0.5),
      p99: quantile(latencies, 0.99),
      rss: processes.map((p) => `${peakRssMb(p.pid).toFixed(0)} MB`).join(" + "),
    };
    console.log(
      `  ${label.padEnd(34)} ${result.eventsPerSecond.toFixed(0).padStart(8)} events/s   p50 ${result.p50.toFixed(1).padStart(6)} ms   p99 ${result.p99.toFixed(1).padStart(7)} ms   peak RSS ${result.rss}`,
    );
    return result;
  } finally {
    for (const client of clients) await client.close();
    await Promise.all(processes.map((p) => p.stop()));
  }
}

async function failover(env: Record<string, string>): Promise<number> {
  const [a, b] = await Promise.all([
    startClusterProcess({ ...env, RILL_INSTANCE_ID: "bench-fail-a", TICK_MS: "20" }),
    startClusterProcess({ ...env, RILL_INSTANCE_ID: "bench-fail-b", TICK_MS: "20" }),
  ]);
  const onA = connect(a);
  const onB = connect(b);
  try {
    let killedAt = 0;
    const moved = new Promise<number>((resolve, reject) => {
      const first = onA.trpc.runs.stream.subscribe(
        { graphId: "ticks", input: { total: TICKS }, streamMode: ["custom"] },
        {
          onData: (tracked) => {
            first.unsubscribe();
            onB.trpc.runs.stream.subscribe(
              { runId: parseEventId(tracked.id)!.runId, lastEventId: tracked.id },
              {
                onData: ({ data }) => {
                  const [mode, chunk] = data as [string, { tick?: number; resumed?: boolean }];
                  if (mode === "custom" && chunk.tick === 30 && killedAt === 0) {
                    killedAt = performance.now();
                    void a.kill();
                  }
                  if (mode === "status" && chunk.resumed) resolve(performance.now() - killedAt);
                },
                onError: reject,
              },
            );
          },
          onError: reject,
        },
      );
    });
    const ms = await moved;
    console.log(`  failover: SIGKILL of the executor → B's subscriber has the "resumed" status event: ${ms.toFixed(0)} ms (RILL_LEASE_MS default 2500)`);
    return ms;
  } finally {
    await onA.close();
    await onB.close();
    await Promise.all([a.kill(), b.stop()]);
  }
}

const database = process.env.DATABASE_URL ? { url: process.env.DATABASE_URL, drop: async () => undefined } : await createTestDatabase();
const redis = await testRedisPrefix();
if (!database || !redis) {
  console.error("bench:scale needs PostgreSQL and Redis (DATABASE_URL / 127.0.0.1:5432, REDIS_URL / 127.0.0.1:6379)");
  process.exit(2);
}
console.log(`bench:scale — ${RUNS} concurrent runs × ${TICKS} events; ${availableParallelism()} cores, load average ${loadavg().map((l) => l.toFixed(2)).join(" ")}`);
const cluster = { DATABASE_URL: database.url, REDIS_URL: redis.url, RILL_REDIS_PREFIX: redis.prefix };
try {
  const memory = await setup("memory (1 process, default)", [{ RILL_STORE: "memory" }], false);
  // Where a deployment's cost lies: PostgreSQL (run store and checkpoints) without Redis, one process.
  const durable = await setup("PostgreSQL store, 1 process, no Redis", [{ DATABASE_URL: database.url, RILL_STORE: "postgres" }], false);
  const one = await setup("deployment, 1 process", [{ ...cluster, RILL_INSTANCE_ID: "bench-1" }], false);
  const two = await setup("deployment, 2 processes (A → B)", [
    { ...cluster, RILL_INSTANCE_ID: "bench-2a" },
    { ...cluster, RILL_INSTANCE_ID: "bench-2b" },
  ], true);
  const failoverMs = await failover(cluster);
  const ratioOne = one.eventsPerSecond / memory.eventsPerSecond;
  const ratioTwo = two.eventsPerSecond / memory.eventsPerSecond;
  console.log(
    `  throughput vs memory: PostgreSQL without Redis ${(durable.eventsPerSecond / memory.eventsPerSecond).toFixed(2)}x, ` +
      `deployment 1 process ${ratioOne.toFixed(2)}x, 2 processes ${ratioTwo.toFixed(2)}x (goal ≥ ${GOAL_THROUGHPUT}x)`,
  );
  console.log(`  load average after: ${loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  const failed = ratioTwo < GOAL_THROUGHPUT || failoverMs >= GOAL_FAILOVER_MS;
  if (failed) console.log("  a goal was missed");
  process.exitCode = failed ? 1 : 0;
} finally {
  await redis.cleanup();
  await database.drop();
}
