// This process as one of a deployment (DATABASE_URL + REDIS_URL): opens the shared run store, keeps its
// leases (renewed every RILL_LEASE_MS / 5, with its presence), takes over the runs of processes whose
// leases expired, carries cancels between processes (Redis pub/sub, and the lease's cancel column as
// the fallback), and follows runs executed elsewhere (streamWatcher.ts). Nothing here runs for a
// single process: without REDIS_URL the server never imports it.
import type { Redis } from "ioredis";
import type pg from "pg";
import { createPool } from "../../lib/graph/checkpoint/postgres/connection";
import { isTerminalStatus } from "../../lib/run/runStatus";
import type { ClusterConfig } from "../config";
import type { RunManager, RunQueue, RunsElsewhere } from "../runs/runManager";
import type { RunRecord, RunStoreLimits } from "../runs/runStore";
import { openPostgresRunStore } from "../runs/stores/postgres/postgresRunStore";
import { ClusterRunStore } from "./clusterRunStore";
import { connectRedis, createRedis, describeRedis } from "./redisClients";
import { RunEventStreams } from "./runEventStreams";
import { RunLeases, type QueuedStart } from "./runLeases";
import { StreamWatcher } from "./streamWatcher";

type Log = (line: { level: "info" | "warn" | "error"; msg: string; [key: string]: unknown }) => void;

/** On the control channel: cancel a run (its executor acts), or runs were handed back (everyone looks now). */
type ControlMessage = { cancel: { runId: string; reason: string } } | { handedBack: number } | { queued: number };

/** How long a cancel asked of another process waits for the run to end before answering its record as it is. */
const CANCEL_WAIT_MS = 10_000;

export class ClusterNode {
  readonly store: ClusterRunStore;
  readonly elsewhere: RunsElsewhere;
  /** The run queue: an API-only process queues every run; any other queues those it has no slot for. */
  readonly queue: RunQueue;
  private manager: RunManager | null = null;
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<void> | null = null;
  private closed = false;

  private constructor(
    readonly config: ClusterConfig,
    private readonly pool: pg.Pool,
    private readonly redis: Redis,
    private readonly subscriber: Redis,
    private readonly watcher: StreamWatcher,
    readonly leases: RunLeases,
    store: ClusterRunStore,
    private readonly log: Log,
  ) {
    this.store = store;
    this.elsewhere = {
      onNextAppend: (runId, wake, afterSeq) => {
        this.watcher.watch(runId, afterSeq, wake);
        return true;
      },
      cancel: (record, reason) => this.cancelElsewhere(record, reason),
      followed: store.followed,
      threadRun: (threadId) => this.threadRun(threadId),
      whenEnded: (runId) => this.whenEnded(runId),
    };
    this.queue = {
      queues: (running) => config.role === "api" || running >= this.concurrency,
      dequeue: (runId) => leases.dequeue(runId),
      queuesResumes: config.role === "api",
      admitsRuns: true,
      resume: async (runId, _threadId, value) => {
        await leases.requeue(runId, { resume: { value } });
        const message: ControlMessage = { queued: 1 };
        await this.redis.publish(this.controlChannel, JSON.stringify(message)).catch(() => undefined);
      },
      create: async (metadata, input, start, owner) => {
        const record = await store.createQueued(metadata, input, start, owner);
        // Workers look at once (else on their next look, within RILL_LEASE_MS / 5).
        const message: ControlMessage = { queued: 1 };
        await this.redis.publish(this.controlChannel, JSON.stringify(message)).catch(() => undefined);
        return record;
      },
    };
    // A run ended here: a slot is free, so look for a queued run now.
    store.onEnded = () => {
      if (this.config.role !== "api") void this.tick();
    };
    // This process hung past its lease and woke: its commit was refused, another process executes the run.
    store.onRefused = (runId) => {
      this.log({ level: "warn", msg: "deployment: this process's lease of a run was taken over (it was not renewed in time); its events were refused and it stopped executing the run", runId });
      this.manager?.letGo(runId, "another process of the deployment took the run over");
    };
  }

  /** How many runs this process executes at once: RILL_WORKER_CONCURRENCY, else the manager's RILL_MAX_RUNS share. */
  private get concurrency(): number {
    const max = this.manager?.maxConcurrentRuns ?? Number.MAX_SAFE_INTEGER;
    return this.config.workerConcurrency > 0 ? Math.min(this.config.workerConcurrency, max) : max;
  }

  /** Connects to PostgreSQL (migrating it) and Redis; fails naming whichever does not answer. */
  static async open(config: ClusterConfig, databaseUrl: string, limits: RunStoreLimits, log: Log): Promise<ClusterNode> {
    const redis = createRedis(config.redisUrl, `rill:${config.instanceId}`);
    const blocking = createRedis(config.redisUrl, `rill:${config.instanceId}:follow`);
    const subscriber = createRedis(config.redisUrl, `rill:${config.instanceId}:control`);
    const pool = createPool(databaseUrl);
    try {
      await Promise.all([connectRedis(redis, config.redisUrl), connectRedis(blocking, config.redisUrl), connectRedis(subscriber, config.redisUrl)]);
      const leases = new RunLeases(pool, config.instanceId, config.leaseMs, config.role !== "api");
      const streams = new RunEventStreams(redis, config.redisPrefix);
      const store = new ClusterRunStore(streams, leases, log);
      const inner = await openPostgresRunStore(databaseUrl, limits, undefined, {
        sharedDatabase: true,
        onCommitted: (runId, events) => store.committed(runId, events),
        fence: { worker: config.instanceId, generationOf: (runId) => leases.generationOf(runId) },
        admission: { instance: config.instanceId, limit: () => leases.maxRuns() },
        onRefused: (runId) => store.refused(runId),
      });
      store.attach(inner);
      const watcher = new StreamWatcher(blocking, redis, config.redisPrefix, (runId, events) => store.received(runId, events));
      return new ClusterNode(config, pool, redis, subscriber, watcher, leases, store, log);
    } catch (error) {
      redis.disconnect();
      blocking.disconnect();
      subscriber.disconnect();
      await pool.end().catch(() => undefined);
      throw error;
    }
  }

  private get controlChannel(): string {
    return `${this.config.redisPrefix}control`;
  }

  /** Starts executing for the deployment: renewing, taking over, and listening for cancels. */
  async start(manager: RunManager): Promise<void> {
    this.manager = manager;
    // RILL_MAX_RUNS is deployment-wide: running and queued runs of every process, counted in PostgreSQL.
    this.leases.maxRuns = () => manager.maxConcurrentRuns;
    this.subscriber.on("message", (_channel: string, text: string) => {
      const message = JSON.parse(text) as ControlMessage;
      if ("cancel" in message) {
        if (this.store.mine.has(message.cancel.runId)) void this.cancelHere(message.cancel.runId, message.cancel.reason);
      } else void this.tick();
    });
    await this.subscriber.subscribe(this.controlChannel);
    await this.tick();
    this.timer = setInterval(() => void this.tick(), Math.max(50, Math.floor(this.config.leaseMs / 5)));
    this.timer.unref();
  }

  /** One look: renew what this process holds (acting on cancels, letting go of what others took), then take expired leases. */
  private tick(): Promise<void> {
    if (this.ticking || this.closed || !this.manager) return this.ticking ?? Promise.resolve();
    this.ticking = this.look(this.manager).finally(() => (this.ticking = null));
    return this.ticking;
  }

  private async look(manager: RunManager): Promise<void> {
    try {
      // Only runs held before the renewal was sent can be missing from its answer because another process
      // took them: one whose lease was written meanwhile (a run starting now) may be missing for that alone.
      const before = [...this.store.mine];
      const held = await this.leases.renew();
      const still = new Set<string>();
      for (const lease of held) {
        still.add(lease.runId);
        if (lease.cancel !== null) void this.cancelHere(lease.runId, lease.cancel);
      }
      for (const runId of before) {
        if (still.has(runId) || !this.store.mine.has(runId)) continue;
        // Another process holds it now (this one was presumed dead): stop executing it here.
        this.log({ level: "warn", msg: "deployment: another process took a run over (this process's lease was not renewed in time); stopped executing it here", runId });
        this.store.forget(runId);
        manager.letGo(runId, "another process of the deployment took the run over");
      }
      // An API-only process executes nothing: queued runs and expired leases are the workers'.
      if (manager.isDraining || this.config.role === "api") return;
      const room = Math.max(0, this.concurrency - manager.runningCount);
      for (const lease of await this.leases.takeExpired(room)) await this.takeOver(lease.runId, lease.cancel, lease.start);
    } catch (error) {
      this.log({ level: "warn", msg: "deployment: lease renewal or takeover failed (PostgreSQL unreachable?)", error: String(error) });
    }
  }

  private async takeOver(runId: string, cancel: string | null, start: QueuedStart | null): Promise<void> {
    const manager = this.manager!;
    try {
      // As the database has it now (not yet this process's: get() reloads it); continueTaken claims it.
      const record = await manager.store.get(runId);
      if (!record || isTerminalStatus(record.status)) {
        this.store.forget(runId);
        await this.leases.release(runId);
        return;
      }
      // A queued resume of a run this process holds parked: let the parked one go first (its lease was requeued).
      if (start?.resume) manager.letGo(runId, "its resume was queued");
      const started = start !== null ? await manager.startQueued(record, start) : await manager.continueTaken(record);
      if (!started) {
        this.store.forget(runId);
        await this.leases.release(runId);
        return;
      }
      if (cancel !== null) await this.cancelHere(runId, cancel);
    } catch (error) {
      this.store.forget(runId);
      this.log({ level: "error", msg: "deployment: could not take a run over", runId, error: String(error) });
    }
  }

  private async cancelHere(runId: string, reason: string): Promise<void> {
    try {
      await this.manager?.cancel(runId, reason);
    } catch (error) {
      this.log({ level: "warn", msg: "deployment: a cancel asked by another process failed", runId, error: String(error) });
    }
  }

  /** Asks the executor to cancel; answers the record once the run has ended (or as it is after CANCEL_WAIT_MS). */
  private async cancelElsewhere(record: RunRecord, reason: string): Promise<RunRecord> {
    const runId = record.metadata.run_id;
    const holder = await this.leases.requestCancel(runId, reason);
    if (holder === null) return (await this.store.get(runId)) ?? record;
    const message: ControlMessage = { cancel: { runId, reason } };
    await this.redis.publish(this.controlChannel, JSON.stringify(message)).catch(() => undefined);
    const deadline = Date.now() + CANCEL_WAIT_MS;
    let current: RunRecord = record;
    for (;;) {
      current = (await this.store.get(runId)) ?? current;
      if (isTerminalStatus(current.status) || Date.now() > deadline) return current;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(0, deadline - Date.now()));
        this.watcher.watch(runId, current.lastSeq, () => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /**
   * The run going on a thread in the deployment (its lease). A run's lease is written before its record
   * (ClusterRunStore.create), so a lease without a record is a run being started: its record is waited for
   * (up to RILL_LEASE_MS; then the thread counts as busy with it), unless the lease expires first (its
   * process died between the two). An expired lease without a record, and a lease whose run has ended (left
   * behind), are dropped.
   */
  private async threadRun(threadId: string): Promise<{ runId: string; status: "running" | "interrupted" } | undefined> {
    /** The run whose record is waited for, until when, and the pause between looks (doubling up to 100 ms). */
    let waitingFor: string | undefined;
    let until = 0;
    let pause = 2;
    for (;;) {
      const lease = await this.leases.threadRun(threadId);
      if (!lease) return undefined;
      const record = await this.store.get(lease.runId);
      if (record) {
        if (!isTerminalStatus(record.status)) return { runId: lease.runId, status: lease.status };
      } else if (!lease.expired) {
        if (waitingFor !== lease.runId) {
          waitingFor = lease.runId;
          until = Date.now() + this.config.leaseMs;
          this.log({ level: "info", msg: "deployment: a thread's run has a lease and no record yet (it is being started); waiting for its record", runId: lease.runId, threadId });
        }
        if (Date.now() >= until) return { runId: lease.runId, status: lease.status };
        pause = Math.min(pause * 2, 100);
        await new Promise<void>((resolve) => setTimeout(resolve, pause));
        continue;
      }
      await this.leases.dropEnded(lease.runId);
    }
  }

  /** Resolves once the run has ended, wherever it executes (woken by its events, through Redis or the log). */
  private async whenEnded(runId: string): Promise<void> {
    for (;;) {
      const record = await this.store.get(runId);
      if (!record || isTerminalStatus(record.status)) return;
      await new Promise<void>((resolve) => this.watcher.watch(runId, record.lastSeq, resolve));
    }
  }

  /** /readyz: PostgreSQL and Redis answer. Null when ready, else what does not answer. */
  async notReady(): Promise<string | null> {
    const problems: string[] = [];
    const within = <T>(promise: Promise<T>) =>
      Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error("no answer within 2000 ms")), 2000).unref())]);
    await Promise.all([
      within(this.pool.query("SELECT 1")).catch((error: unknown) => problems.push(`PostgreSQL (DATABASE_URL): ${(error as Error).message}`)),
      within(this.redis.ping()).catch((error: unknown) =>
        problems.push(`Redis at ${describeRedis(this.config.redisUrl)} (REDIS_URL): ${(error as Error).message}`),
      ),
    ]);
    return problems.length > 0 ? problems.join("; ") : null;
  }

  /**
   * A graceful shutdown: when other processes are there to take them, hands this one's runs back (their
   * leases expire now) instead of waiting out RILL_LEASE_MS. Answers how many were handed back.
   */
  async handBack(): Promise<number> {
    // No more looks from here (a look would renew the leases handed back, its own message included).
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.ticking;
    try {
      await this.leases.leave();
      if ((await this.leases.otherWorkers()) === 0) return 0;
      const handedBack = await this.leases.handBack();
      const message: ControlMessage = { handedBack };
      // The others look at once (else on their next look, within RILL_LEASE_MS / 5).
      if (handedBack > 0) await this.redis.publish(this.controlChannel, JSON.stringify(message)).catch(() => undefined);
      return handedBack;
    } catch (error) {
      this.log({ level: "warn", msg: "deployment: could not hand runs back (they are taken over once their leases expire)", error: String(error) });
      return 0;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.watcher.close();
    this.subscriber.disconnect();
    this.redis.disconnect();
    await this.pool.end().catch(() => undefined);
  }
}
