// The run store of one process of a deployment: the PostgreSQL durable store for the runs this process
// executes (it holds their leases: appends, group commits, live reads from memory as with one process),
// and for every other run the database as it is now: records reloaded, events read from the run's Redis
// stream when it holds them from the follower's position on, else from the log in PostgreSQL.
import { isTerminalStatus } from "../../lib/run/runStatus";
import type { MaybePromise } from "../runs/maybePromise";
import type { RunMetadata } from "../runs/runEvent";
import { RunNotFoundError, type RunListQuery, type RunRecord, type RunStart, type RunStore, type RunStoreLimits, type RunStoreStats, type StoredEvent } from "../runs/runStore";
import type { FollowedLog } from "../runs/followRun";
import { RunRequestError } from "../runs/runErrors";
import { applyToRecord, projectedKind } from "../runs/runProjection";
import type { SerializedEvent } from "../runs/serializedEvent";
import { NotAdmittedError, ThreadBusyError } from "../runs/stores/durable/deploymentErrors";
import type { DurableRunStore } from "../runs/stores/durable/durableRunStore";
import type { RunEventStreams } from "./runEventStreams";
import type { QueuedStart, RunLeases } from "./runLeases";

const STATUS_PREFIX = '["status",{"status":"';

const MAX_FOLLOWED_RECORDS = 10_000;
/** Events read ahead from Redis kept over all followed runs (a few MB at most). */
const MAX_READ_AHEAD_EVENTS = 20_000;

/**
 * The events from the first on while their seqs follow each other. A run's Redis stream can miss an event
 * in the middle: its executor hung between committing it and adding it to the stream, and the process
 * that took the run over added later ones first (ids only grow, so the late add is refused).
 */
function contiguous(events: StoredEvent[]): StoredEvent[] {
  for (let i = 1; i < events.length; i++) if (events[i]!.seq !== events[i - 1]!.seq + 1) return events.slice(0, i);
  return events;
}

/** A followed run's record, moved on by one of its events read from Redis. */
function applyEvent(record: RunRecord, event: StoredEvent): void {
  if (event.seq <= record.lastSeq) return;
  record.lastSeq = event.seq;
  if (projectedKind(event.json) !== null) applyToRecord(record, event.json, Date.now());
}

export class ClusterRunStore implements RunStore {
  readonly durable = true;
  /** Runs this process holds the lease of: it executes them (or keeps them interrupted). */
  readonly mine = new Set<string>();
  private inner!: DurableRunStore;
  /** Called when a run executed here has ended (its slot is free). */
  onEnded: () => void = () => undefined;

  constructor(
    private readonly streams: RunEventStreams,
    private readonly leases: RunLeases,
    private readonly log: (line: { level: "warn"; msg: string; runId?: string; error?: string }) => void,
  ) {}

  /** The durable store underneath (opened with onCommitted → this.committed). */
  attach(inner: DurableRunStore): void {
    this.inner = inner;
  }

  get limits(): RunStoreLimits {
    return this.inner.limits;
  }

  get where(): string {
    return this.inner.where;
  }

  /** The durable store's onCommitted: live events to Redis; a run that ended lets go of its lease. */
  committed(runId: string, events: readonly SerializedEvent[]): void {
    this.streams.publish(runId, events);
    const last = events[events.length - 1]!;
    for (const event of events) {
      if (!event.json.startsWith(STATUS_PREFIX)) continue;
      const status = event.json.slice(STATUS_PREFIX.length, event.json.indexOf('"', STATUS_PREFIX.length));
      if (!isTerminalStatus(status) || event !== last) continue;
      this.mine.delete(runId);
      this.leases
        .release(runId)
        .catch((error: unknown) => this.log({ level: "warn", msg: "could not release a run's lease (it expires)", runId, error: String(error) }))
        .finally(() => this.onEnded());
    }
  }

  async create(metadata: RunMetadata, input: unknown, owner?: string, executor?: string, start?: RunStart): Promise<RunRecord> {
    const runId = metadata.run_id;
    // The lease first: a process dying between the two leaves a lease without a run (dropped when taken),
    // never a running run without a lease (nobody would take it over).
    try {
      await this.leases.acquire(runId, true, metadata.thread_id ?? runId);
    } catch (error) {
      if (error instanceof NotAdmittedError) throw this.deploymentFull(error);
      if (error instanceof ThreadBusyError) throw error;
      // Nothing was written: the run is refused whole.
      throw new RunRequestError(
        "SERVICE_UNAVAILABLE",
        `instance ${this.leases.worker} cannot start runs: PostgreSQL at ${this.inner.where} (DATABASE_URL) does not answer ` +
          `(${(error as Error).message || String(error)}); try again when it does`,
      );
    }
    this.mine.add(runId);
    try {
      return await this.inner.create(metadata, input, owner, executor, start);
    } catch (error) {
      this.mine.delete(runId);
      await this.leases.release(runId).catch(() => undefined);
      throw error;
    }
  }

  /**
   * A run queued for a worker (this process does not execute it): its record and its queued lease in one
   * transaction (the run store's commit), so a crash leaves neither or both: never a run `running` with no
   * lease (nobody would take it), nor a lease whose run a worker cannot find. Resolves once committed.
   */
  async createQueued(metadata: RunMetadata, input: unknown, start: RunStart, owner?: string): Promise<RunRecord> {
    // What the store refuses at once (the run exists, the store is full) is thrown as it is; a failed commit is the database's.
    // `start` goes in the run's head; the lease's says only that it is queued (QueuedStart).
    const queued: QueuedStart = {};
    const committed = this.inner.createQueued(metadata, input, start, JSON.stringify(queued), owner);
    try {
      return await committed;
    } catch (error) {
      if (error instanceof NotAdmittedError) throw this.deploymentFull(error);
      if (error instanceof ThreadBusyError) throw error;
      throw new RunRequestError(
        "SERVICE_UNAVAILABLE",
        `instance ${this.leases.worker} could not queue run ${metadata.run_id}: PostgreSQL at ${this.inner.where} (DATABASE_URL): ` +
          `${(error as Error).message || String(error)}`,
      );
    }
  }

  /** The deployment-wide RILL_MAX_RUNS refused a run: the error names the count, the limit and this instance. */
  private deploymentFull(error: NotAdmittedError): RunRequestError {
    return new RunRequestError(
      "TOO_MANY_REQUESTS",
      `${error.count} runs are running or queued in the deployment, its limit (RILL_MAX_RUNS=${error.limit}); ` +
        `instance ${this.leases.worker} refused the run; try again when one ends`,
    );
  }

  append(runId: string, json: string, now?: number): MaybePromise<number> {
    return this.inner.append(runId, json, now);
  }

  read(runId: string, afterSeq: number, max: number): MaybePromise<StoredEvent[]> {
    if (this.mine.has(runId)) return this.inner.read(runId, afterSeq, max);
    return this.readElsewhere(runId, afterSeq, max);
  }

  /**
   * The entries the stream watcher's last XREAD returned per followed run (contiguous seqs): its woken
   * followers read from here first, without a round trip each.
   */
  private readonly readAhead = new Map<string, StoredEvent[]>();

  private readAheadEvents = 0;

  /** The stream watcher's onEntries. Holds at most MAX_READ_AHEAD_EVENTS in all (the runs read ahead longest ago go first). */
  received(runId: string, events: StoredEvent[]): void {
    if (events.length === 0) return;
    this.dropReadAhead(runId);
    this.readAhead.set(runId, events);
    this.readAheadEvents += events.length;
    while (this.readAheadEvents > MAX_READ_AHEAD_EVENTS) this.dropReadAhead(this.readAhead.keys().next().value!);
  }

  private dropReadAhead(runId: string): void {
    const held = this.readAhead.get(runId);
    if (!held) return;
    this.readAhead.delete(runId);
    this.readAheadEvents -= held.length;
  }

  /** Events after `afterSeq` from the read-ahead, when it holds the next one; else null. */
  private fromReadAhead(runId: string, afterSeq: number, max: number): StoredEvent[] | null {
    const events = this.readAhead.get(runId);
    if (!events) return null;
    const at = afterSeq + 1 - events[0]!.seq;
    if (at < 0 || at >= events.length || events[at]!.seq !== afterSeq + 1) return null;
    return contiguous(events.slice(at, at + max));
  }

  private async readElsewhere(runId: string, afterSeq: number, max: number): Promise<StoredEvent[]> {
    const live = this.fromReadAhead(runId, afterSeq, max) ?? contiguous(await this.streams.range(runId, afterSeq, max).catch(() => [] as StoredEvent[]));
    if (live.length > 0 && live[0]!.seq === afterSeq + 1) {
      const followed = this.followedRecords.get(runId);
      if (followed) for (const event of live) applyEvent(followed, event);
      return live;
    }
    // Redis does not hold what comes next (trimmed, restarted, unreachable, or nothing new): the log does.
    const record = await this.inner.reload(runId);
    if (!record) throw new RunNotFoundError(runId);
    this.remember(runId, record);
    return this.inner.read(runId, afterSeq, max);
  }

  /** Keeps a copy of a followed run's record (at most MAX_FOLLOWED_RECORDS: the oldest go first). */
  private remember(runId: string, record: RunRecord): RunRecord {
    const copy = { ...record };
    this.followedRecords.delete(runId);
    this.followedRecords.set(runId, copy);
    if (this.followedRecords.size > MAX_FOLLOWED_RECORDS) this.followedRecords.delete(this.followedRecords.keys().next().value!);
    return copy;
  }

  /**
   * Records of runs followed here and executed elsewhere, as the events read so far make them (a copy:
   * the durable store's own is left alone). A follower asks for its run's record each time it has read
   * everything: answered from here, not with a query per wait. Stale only in being behind, which costs
   * a wait: the follower then reads again (from the log when Redis has nothing), which refreshes it.
   */
  private readonly followedRecords = new Map<string, RunRecord>();

  readonly followed: FollowedLog = {
    read: (runId, afterSeq, max) => this.read(runId, afterSeq, max),
    get: (runId) => {
      if (this.mine.has(runId)) return this.inner.get(runId);
      const followed = this.followedRecords.get(runId);
      if (!followed) return this.inner.reload(runId).then((record) => record && this.remember(runId, record));
      // Ended: its followers end now; a later one reads the database again.
      if (isTerminalStatus(followed.status)) {
        this.followedRecords.delete(runId);
        this.dropReadAhead(runId);
      }
      return followed;
    },
  };

  get(runId: string): MaybePromise<RunRecord | undefined> {
    if (this.mine.has(runId)) return this.inner.get(runId);
    return this.inner.reload(runId);
  }

  list(query?: RunListQuery): Promise<RunRecord[]> {
    return this.inner.listStored(query);
  }

  /** This process takes the run over (a resume or cancel of an interrupted run, or an expired lease). */
  async claim(runId: string, executor: string): Promise<RunRecord> {
    await this.leases.acquire(runId);
    this.mine.add(runId);
    if (!(await this.inner.reload(runId))) throw new RunNotFoundError(runId);
    return this.inner.claim(runId, executor);
  }

  /** Lets go of a run another process took (its lease is no longer this process's). */
  forget(runId: string): void {
    this.mine.delete(runId);
    this.leases.forget(runId);
  }

  /** Called when a commit refused a run's writes (fenced: another process holds its lease now). */
  onRefused: (runId: string) => void = () => undefined;

  /** The durable store's onRefused: the run is no longer this process's. */
  refused(runId: string): void {
    this.forget(runId);
    this.onRefused(runId);
  }

  unfinished(): RunRecord[] {
    return this.inner.unfinished().filter((record) => this.mine.has(record.metadata.run_id));
  }

  sweep(now?: number): MaybePromise<string[]> {
    return this.inner.sweep(now);
  }

  stats(): RunStoreStats {
    return this.inner.stats();
  }

  close(): MaybePromise<void> {
    return this.inner.close();
  }
}
