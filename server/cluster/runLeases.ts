// Who executes which run, in PostgreSQL (rill_run_leases, schema version 2): a process executing a run
// holds its lease and renews it every RILL_LEASE_MS / 5; a lease not renewed for RILL_LEASE_MS (its
// process died) is taken by another process with SELECT … FOR UPDATE SKIP LOCKED, so exactly one
// takes each. A run has a lease from its start until it ends (interrupted runs keep theirs: whoever
// holds it waits for the resume). The `cancel` column asks the holder to cancel the run; it sees it
// on its next renewal, or at once through Redis (clusterNode.ts).
// Fencing: each time a lease changes hands (acquired, queued, taken over) it gets a new `generation`
// (one sequence for all); the process remembers the generation it holds of each run, and its commits
// write a run's events only while the lease still has it (postgresRunLog.ts), so a process that hung past
// its lease and wakes cannot log into a run another process took over.
import type pg from "pg";
import { NotAdmittedError, ThreadBusyError } from "../runs/stores/durable/deploymentErrors";
import { busyThreads, countAdmitted } from "../runs/stores/postgres/leaseAdmission";

/**
 * The leases of worker $1, locked in run id order (as a run store commit locks them, postgresRunLog.ts): two
 * statements locking the same rows in different orders can deadlock, and PostgreSQL then aborts one of them.
 */
const HELD_IN_ORDER = "run_id IN (SELECT run_id FROM rill_run_leases WHERE worker = $1 ORDER BY run_id FOR UPDATE)";

export interface HeldLease {
  runId: string;
  /** A cancel asked by another process, with its reason. */
  cancel: string | null;
  /** A queued run (never started yet): what starting it needs, as it was queued with (ClusterRunStore.createQueued). */
  start: QueuedStart | null;
}

/**
 * A queued lease's `start` column: what a worker needs besides the run's record. The run's configurable and
 * recursion limit are in its record (RunRecord.start, the one source of truth); a lease queued by an
 * earlier Rill carries them here, read only when the record has none.
 */
export interface QueuedStart {
  configurable?: Record<string, unknown>;
  recursionLimit?: number;
  /** A queued resume of an interrupted run: the value to resume it with. */
  resume?: { value: unknown };
}

/**
 * A queued run's lease: no worker (''), and an expiry a thousand years back, so that workers take queued
 * runs before expired ones, and in the order they were queued (ORDER BY expires_at). A new run's queued
 * lease is written with its record, in the run store's commit (postgresRunLog.ts); requeue() writes this.
 */
const QUEUED_EXPIRY = "clock_timestamp() - interval '1000 years'";

export class RunLeases {
  constructor(
    private readonly pool: pg.Pool,
    readonly worker: string,
    readonly leaseMs: number,
    /** Whether this process executes runs (not RILL_ROLE=api): only such processes announce their presence in rill_workers. */
    private readonly executes = true,
  ) {}

  /** The lease generation this process holds of each run it executes (what its commits are fenced with). */
  private readonly generations = new Map<string, string>();

  /** The generation of the run's lease this process holds; undefined when it holds none. */
  generationOf(runId: string): string | undefined {
    return this.generations.get(runId);
  }

  /** Forgets the run's lease here (another process holds it now, or it ended). */
  forget(runId: string): void {
    this.generations.delete(runId);
  }

  /** The deployment-wide RILL_MAX_RUNS: new runs' leases are admitted within it (ClusterNode sets it from the run manager). */
  maxRuns: () => number = () => Number.MAX_SAFE_INTEGER;

  /** Acquisitions gathered for the next statement, and whether one is in flight. */
  private gathering: Array<{ runId: string; admit: boolean; threadId?: string; resolve(): void; reject(error: unknown): void }> = [];
  private acquiring = false;

  /**
   * Holds the run's lease (a new run, or one this process takes: resume or cancel of an interrupted run).
   * Grouped like the run store's commits: the runs starting in one tick (or while the previous statement
   * is in flight) get their leases in one statement, so 200 runs starting at once are a few round trips.
   */
  acquire(runId: string, admit = false, threadId?: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.gathering.push({ runId, admit, threadId, resolve, reject });
      if (this.gathering.length === 1 && !this.acquiring) setImmediate(() => void this.acquireGathered());
    });
  }

  private async acquireGathered(): Promise<void> {
    const batch = this.gathering;
    this.gathering = [];
    if (batch.length === 0) return;
    this.acquiring = true;
    let client: pg.PoolClient | null = null;
    try {
      let granted = batch;
      if (batch.some((item) => item.admit)) {
        // New runs count against the deployment's RILL_MAX_RUNS: counted and written under the admission lock.
        client = await this.pool.connect();
        await client.query("BEGIN");
        const count = await countAdmitted(client);
        const limit = this.maxRuns();
        // A new run's thread must have no run going on another process (double texting, deployment-wide).
        const threaded = batch.filter((item) => item.admit && item.threadId !== undefined) as Array<{ runId: string; threadId: string }>;
        const busy = new Map((await busyThreads(client, threaded)).map((b) => [b.runId, b]));
        let room = Math.max(0, limit - count);
        granted = [];
        for (const item of batch) {
          const onBusyThread = item.admit ? busy.get(item.runId) : undefined;
          if (onBusyThread) item.reject(new ThreadBusyError(item.runId, onBusyThread.threadId, onBusyThread.busyWith));
          else if (!item.admit || room-- > 0) granted.push(item);
          else item.reject(new NotAdmittedError(item.runId, count, limit));
        }
      }
      // One row per run even when a run is asked twice in a batch (ON CONFLICT cannot touch a row twice).
      const threads = new Map(granted.map((item) => [item.runId, item.threadId ?? null]));
      const runIds = [...threads.keys()];
      const { rows } = await (client ?? this.pool).query<{ run_id: string; generation: string }>(
        "INSERT INTO rill_run_leases (run_id, worker, expires_at, thread_id) SELECT r, $2, now() + $3 * interval '1 millisecond', t " +
          "FROM unnest($1::text[], $4::text[]) AS v(r, t) " +
          "ON CONFLICT (run_id) DO UPDATE SET worker = EXCLUDED.worker, expires_at = EXCLUDED.expires_at, cancel = NULL, generation = EXCLUDED.generation, " +
          "thread_id = coalesce(EXCLUDED.thread_id, rill_run_leases.thread_id) RETURNING run_id, generation",
        [runIds, this.worker, this.leaseMs, runIds.map((runId) => threads.get(runId))],
      );
      if (client) await client.query("COMMIT");
      for (const row of rows) this.generations.set(row.run_id, row.generation);
      for (const item of granted) item.resolve();
    } catch (error) {
      if (client) await client.query("ROLLBACK").catch(() => undefined);
      for (const item of batch) item.reject(error);
    } finally {
      client?.release();
      this.acquiring = false;
      if (this.gathering.length > 0) void this.acquireGathered();
    }
  }

  /**
   * Renews every lease this process holds, and its own presence (rill_workers); answers the leases (one
   * taken by another process is not among them).
   */
  async renew(): Promise<HeldLease[]> {
    if (!this.executes) {
      // An API-only process is nobody to hand runs to; it may hold a lease for a moment (ending a queued run).
      const { rows } = await this.pool.query<{ run_id: string; cancel: string | null }>(
        `UPDATE rill_run_leases SET expires_at = now() + $2 * interval '1 millisecond' WHERE ${HELD_IN_ORDER} RETURNING run_id, cancel`,
        [this.worker, this.leaseMs],
      );
      return rows.map((row) => ({ runId: row.run_id, cancel: row.cancel, start: null }));
    }
    const { rows } = await this.pool.query<{ run_id: string; cancel: string | null }>(
      "WITH seen AS (INSERT INTO rill_workers (worker, expires_at) VALUES ($1, now() + $2 * interval '1 millisecond') " +
        "ON CONFLICT (worker) DO UPDATE SET expires_at = EXCLUDED.expires_at) " +
        `UPDATE rill_run_leases SET expires_at = now() + $2 * interval '1 millisecond' WHERE ${HELD_IN_ORDER} RETURNING run_id, cancel`,
      [this.worker, this.leaseMs],
    );
    return rows.map((row) => ({ runId: row.run_id, cancel: row.cancel, start: null }));
  }

  /**
   * Queues an existing run (an interrupted one to resume): its lease becomes a queued one, whoever held it
   * (the holder lets the run go on its next renewal, not finding it among its leases).
   */
  async requeue(runId: string, start: QueuedStart): Promise<void> {
    await this.pool.query(
      `INSERT INTO rill_run_leases (run_id, worker, expires_at, start) VALUES ($1, '', ${QUEUED_EXPIRY}, $2) ` +
        "ON CONFLICT (run_id) DO UPDATE SET worker = '', expires_at = EXCLUDED.expires_at, start = EXCLUDED.start, cancel = NULL, generation = EXCLUDED.generation, parked = false",
      [runId, JSON.stringify(start)],
    );
  }

  /** Takes a run off the queue; false when it is not queued (a worker took it). */
  async dequeue(runId: string): Promise<boolean> {
    const { rowCount } = await this.pool.query("DELETE FROM rill_run_leases WHERE run_id = $1 AND worker = ''", [runId]);
    return (rowCount ?? 0) > 0;
  }

  /** Takes up to `limit` expired leases (their process died or let them go), each by one process only. */
  async takeExpired(limit: number): Promise<HeldLease[]> {
    if (limit <= 0) return [];
    // `start` is cleared as the run is taken: a worker that dies before its first checkpoint leaves a run
    // that the next one continues as any other (from its input: RunManager.continueTaken).
    const { rows } = await this.pool.query<{ run_id: string; cancel: string | null; start: string | null; generation: string }>(
      "WITH expired AS (SELECT run_id, start FROM rill_run_leases WHERE expires_at < now() ORDER BY expires_at LIMIT $3 FOR UPDATE SKIP LOCKED) " +
        "UPDATE rill_run_leases l SET worker = $1, expires_at = now() + $2 * interval '1 millisecond', start = NULL, " +
        "generation = nextval('rill_run_lease_generation') FROM expired WHERE l.run_id = expired.run_id RETURNING l.run_id, l.cancel, expired.start, l.generation",
      [this.worker, this.leaseMs, limit],
    );
    for (const row of rows) this.generations.set(row.run_id, row.generation);
    return rows.map((row) => ({ runId: row.run_id, cancel: row.cancel, start: row.start === null ? null : (JSON.parse(row.start) as QueuedStart) }));
  }

  /** Lets go of a run's lease: it ended. */
  async release(runId: string): Promise<void> {
    this.generations.delete(runId);
    await this.pool.query("DELETE FROM rill_run_leases WHERE run_id = $1 AND worker = $2", [runId, this.worker]);
  }

  /** Hands every lease of this process back at once (a graceful shutdown): other processes take them on their next look. */
  async handBack(): Promise<number> {
    const { rowCount } = await this.pool.query("UPDATE rill_run_leases SET expires_at = '-infinity' WHERE worker = $1", [this.worker]);
    return rowCount ?? 0;
  }

  /** Asks the lease's holder to cancel the run; answers the holder, or null when the run has no lease (not running). */
  async requestCancel(runId: string, reason: string): Promise<string | null> {
    const { rows } = await this.pool.query<{ worker: string }>("UPDATE rill_run_leases SET cancel = $2 WHERE run_id = $1 RETURNING worker", [runId, reason]);
    return rows[0]?.worker ?? null;
  }

  /**
   * A run going on the thread in the deployment (its lease), if any: running or queued, else interrupted
   * (parked); `expired`: nobody holds it now (its holder stopped renewing it, or the run is queued).
   */
  async threadRun(threadId: string): Promise<{ runId: string; status: "running" | "interrupted"; expired: boolean } | undefined> {
    const { rows } = await this.pool.query<{ run_id: string; parked: boolean; expired: boolean }>(
      "SELECT run_id, parked, expires_at < now() AS expired FROM rill_run_leases WHERE thread_id = $1 ORDER BY parked LIMIT 1",
      [threadId],
    );
    const row = rows[0];
    return row && { runId: row.run_id, status: row.parked ? "interrupted" : "running", expired: row.expired };
  }

  /** Drops the lease of a run that has ended (left behind by a process that died between the two). */
  async dropEnded(runId: string): Promise<void> {
    this.generations.delete(runId);
    await this.pool.query("DELETE FROM rill_run_leases WHERE run_id = $1", [runId]);
  }

  /** Other live processes of the deployment (renewing their presence): is there anyone to hand runs to? */
  async otherWorkers(): Promise<number> {
    const { rows } = await this.pool.query<{ n: string }>("SELECT count(*) AS n FROM rill_workers WHERE worker <> $1 AND expires_at > now()", [this.worker]);
    return Number(rows[0]?.n ?? 0);
  }

  /** This process leaves the deployment (a shutdown). */
  async leave(): Promise<void> {
    await this.pool.query("DELETE FROM rill_workers WHERE worker = $1", [this.worker]);
  }
}
