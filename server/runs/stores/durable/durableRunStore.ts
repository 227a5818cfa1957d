// A run store whose runs outlive the process: records and logs in a database (a RunLogBackend: SQLite
// or PostgreSQL), the same contract and retention limits as the memory store.
//
// - Group commit: what is created, appended, evicted or dropped in one tick goes to the database in
//   one transaction (after the tick, setImmediate); while a commit is in flight (PostgreSQL), or for as
//   long as the last one took (SQLite, at most 20 ms), the next ticks' work gathers and goes in the
//   following one. append() answers once its event is committed.
// - Readers see only what is committed: read() stops at the run's last committed seq, so a follower
//   never sends an event a crash could take back.
// - In memory: every run's record (bounded by maxRuns; the record is the projection of the log), and
//   for runs executing here the sizes of their events (for the byte limit) and their newest committed
//   events (RecentEvents, for live followers). A finished run's log lives only in the database.
// - Bytes are counted as the events' JSON length (UTF-16 units), plus each run's head (metadata and
//   input) as JSON.
import { isTerminalStatus } from "../../../../lib/run/runStatus";
import { isPromise, settle, type MaybePromise } from "../../maybePromise";
import type { RunMetadata } from "../../runEvent";
import { applyToRecord, projectedKind } from "../../runProjection";
import {
  EventsEvictedError,
  RunExistsError,
  RunNotFoundError,
  StoreFullError,
  type RunListQuery,
  type RunRecord,
  type RunStart,
  type RunStore,
  type RunStoreLimits,
  type RunStoreStats,
  type StoredEvent,
} from "../../runStore";
import { SerializedEvent } from "../../serializedEvent";
import { LeaseLostError, NotAdmittedError, ThreadBusyError } from "./deploymentErrors";
import { RecentEvents } from "./recentEvents";
import { emptyBatch, isEmptyBatch, type CommitBatch, type RunLogBackend, type StoredRun } from "./runLogBackend";
import { listNewestFirst } from "../runListing";

/** What never changes about a run (`start`: absent in a head an earlier Rill wrote). */
interface RunHead {
  metadata: RunMetadata;
  input: unknown;
  owner?: string;
  start?: RunStart;
}

/** The projection, rewritten as it changes. */
type RunState = Omit<RunRecord, "metadata" | "input" | "owner" | "start">;

interface Run {
  record: RunRecord;
  position: number;
  /** What the head (metadata, input) counts, in the total. */
  fixedBytes: number;
  /** Seq of the newest committed event: readers stop there. */
  committedSeq: number;
  /** Sizes of the stored events firstSeq..lastSeq, for runs executing here (null otherwise: they do not grow). */
  sizes: number[] | null;
  sizesHead: number;
  recent: RecentEvents | null;
  /** Events appended and not yet committed: the next chunk, and then `recent`. */
  uncommitted: SerializedEvent[];
  /** In this tick's batch: it has events, or its state row changed. */
  inBatch: boolean;
  /** The state row must be rewritten (the projection or the executor changed). */
  stateChanged: boolean;
  /** A commit refused its writes (fencing: another process holds its lease): nothing more of it is written. */
  refused: boolean;
  /** A queued run its commit did not admit (the deployment was at RILL_MAX_RUNS, or its thread busy elsewhere): never written. */
  notAdmitted?: { count: number; limit: number } | { threadId: string; busyWith: string };
}

interface Deferred {
  promise: Promise<void>;
  resolve(): void;
  reject(error: unknown): void;
}

function deferred(): Deferred {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => {});
  return { promise, resolve, reject };
}

/** A synchronous commit shorter than this is followed by the next at once (after the next tick's work). */
const MIN_GATHER_MS = 1;
/** The longest a synchronous commit makes the next wait (its followers' added latency). */
const MAX_GATHER_MS = 20;

/**
 * What append() answers: the seq, once the commit holding it is done. A thenable, not a promise: it costs
 * nothing until someone waits on it, and one nobody waits on never reports an unhandled rejection (the
 * run manager waits on a run's newest append only; commits complete in order).
 */
class CommitTicket implements PromiseLike<number> {
  constructor(
    private readonly commit: Promise<void>,
    private readonly seq: number,
    private readonly run: Run,
  ) {}

  then<A = number, B = never>(onCommitted?: ((seq: number) => A | PromiseLike<A>) | null, onFailed?: ((error: unknown) => B | PromiseLike<B>) | null): Promise<A | B> {
    return this.commit.then(() => this.committedSeq()).then(onCommitted, onFailed);
  }

  private committedSeq(): number {
    if (this.run.refused) throw new LeaseLostError(this.run.record.metadata.run_id);
    return this.seq;
  }
}

/** What a deployment (server/cluster/) hooks into; nothing of it is used by a store of one process. */
export interface DurableStoreHooks {
  /** Told of each run's events once committed, in order, per commit (live events go to other processes from here). */
  onCommitted?: (runId: string, events: readonly SerializedEvent[]) => void;
  /** Other processes write to the same database: creation positions come from the clock. */
  sharedDatabase?: boolean;
  /**
   * Fencing: the lease generation this process holds of a run it executes (undefined: not fenced). Each
   * commit writes a run's events and state only while that lease is still this process's (`worker`).
   */
  fence?: { worker: string; generationOf(runId: string): string | undefined };
  /** The deployment-wide RILL_MAX_RUNS: queued runs are admitted in their commit (runLogBackend.ts's Admission). */
  admission?: { instance: string; limit(): number };
  /** Told of a run whose writes a commit refused (its lease is another process's now): its appends reject with LeaseLostError. */
  onRefused?: (runId: string) => void;
}

function recordOfRow(row: StoredRun): RunRecord {
  const head = JSON.parse(row.head) as RunHead;
  const state = JSON.parse(row.state) as RunState;
  const record: RunRecord = { metadata: head.metadata, input: head.input, ...state };
  if (row.tail && row.tail.lastSeq >= record.lastSeq) Object.assign(record, row.tail);
  if (head.owner !== undefined) record.owner = head.owner;
  if (head.start !== undefined) record.start = head.start;
  return record;
}

function stateOf(record: RunRecord): string {
  const { metadata: _metadata, input: _input, owner: _owner, start: _start, ...state } = record;
  return JSON.stringify(state);
}

export class DurableRunStore implements RunStore {
  readonly limits: RunStoreLimits;
  readonly durable = true;
  /** Creation order. */
  private readonly runs = new Map<string, Run>();
  /** Finished runs in the order they ended: the eviction order. */
  private readonly finished = new Map<string, Run>();
  private nextPosition = 1;
  private totalBytes = 0;
  private totalEvents = 0;
  private batch: CommitBatch = emptyBatch();
  private dirty = new Set<Run>();
  private pending: Deferred | null = null;
  private committing = false;
  private closed = false;
  /** Transactions committed so far (group commit: one per tick with work). */
  commits = 0;

  private constructor(
    private readonly backend: RunLogBackend,
    limits: RunStoreLimits,
    private readonly hooks: DurableStoreHooks,
  ) {
    this.limits = { ...limits };
  }

  /** Opens a store on `backend`, loading every stored run's record. */
  static async open(backend: RunLogBackend, limits: RunStoreLimits, hooks: DurableStoreHooks = {}): Promise<DurableRunStore> {
    const store = new DurableRunStore(backend, limits, hooks);
    store.load(await backend.load());
    return store;
  }

  /**
   * Reads one run's record again from the database (another process of a deployment changed it), replacing
   * what this process held; undefined when the database has no such run (it is then forgotten here too).
   */
  async reload(runId: string): Promise<RunRecord | undefined> {
    if (!this.backend.loadRun) throw new Error(`the run store (${this.backend.where}) cannot reload one run`);
    const row = await this.backend.loadRun(runId);
    const old = this.runs.get(runId);
    if (old) {
      this.runs.delete(runId);
      this.finished.delete(runId);
      this.dirty.delete(old);
      old.inBatch = false;
      this.totalBytes -= old.record.bytes + old.fixedBytes;
      this.totalEvents -= this.count(old);
    }
    if (!row) return undefined;
    const run = this.loadRow(row);
    if (isTerminalStatus(run.record.status)) this.finished.set(runId, run);
    return run.record;
  }

  /** The record this process holds for a run, without asking the database (it may be stale for a run executed elsewhere). */
  cached(runId: string): RunRecord | undefined {
    return this.runs.get(runId)?.record;
  }

  get where(): string {
    return this.backend.where;
  }

  private load(stored: StoredRun[]): void {
    const ended: Run[] = [];
    for (const row of stored) {
      const run = this.loadRow(row);
      if (isTerminalStatus(run.record.status)) ended.push(run);
    }
    ended.sort((a, b) => (a.record.endedAt ?? 0) - (b.record.endedAt ?? 0));
    for (const run of ended) this.finished.set(run.record.metadata.run_id, run);
  }

  /** list() as the database has it now, every process's runs (a deployment), without touching what this process holds. */
  async listStored(query: RunListQuery = {}): Promise<RunRecord[]> {
    if (this.backend.list) return (await this.backend.list(query)).map(recordOfRow);
    const rows = await this.backend.load();
    return listNewestFirst(
      rows.map((row) => ({ record: recordOfRow(row) })),
      query,
    );
  }

  private loadRow(row: StoredRun): Run {
    const record = recordOfRow(row);
    const run = this.newRun(record, row.position, row.head.length);
    run.committedSeq = record.lastSeq;
    this.runs.set(record.metadata.run_id, run);
    this.totalBytes += run.fixedBytes + record.bytes;
    this.totalEvents += record.lastSeq - record.firstSeq + 1;
    this.nextPosition = Math.max(this.nextPosition, row.position + 1);
    return run;
  }

  private newRun(record: RunRecord, position: number, fixedBytes: number): Run {
    return { record, position, fixedBytes, committedSeq: 0, sizes: null, sizesHead: 0, recent: null, uncommitted: [], inBatch: false, stateChanged: false, refused: false };
  }

  create(metadata: RunMetadata, input: unknown, owner?: string, executor?: string, start?: RunStart): MaybePromise<RunRecord> {
    const record = this.insert(metadata, input, owner, executor, start);
    return this.schedule().then(() => record);
  }

  /**
   * A run queued for a deployment's workers (PostgreSQL): its record (`start` in its head, as any run's) and
   * its queued lease (`leaseStart`: the lease's `start` JSON) in one transaction, so no crash leaves one
   * without the other.
   */
  createQueued(metadata: RunMetadata, input: unknown, start: RunStart, leaseStart: string, owner?: string): Promise<RunRecord> {
    const record = this.insert(metadata, input, owner, undefined, start);
    const run = this.runs.get(metadata.run_id)!;
    this.batch.queued.push({ runId: metadata.run_id, start: leaseStart, threadId: metadata.thread_id ?? metadata.run_id });
    return this.schedule().then(() => {
      const refused = run.notAdmitted;
      if (refused && "busyWith" in refused) throw new ThreadBusyError(metadata.run_id, refused.threadId, refused.busyWith);
      if (refused) throw new NotAdmittedError(metadata.run_id, refused.count, refused.limit);
      return record;
    });
  }

  /** A new run's record, in memory and in the next commit. */
  private insert(metadata: RunMetadata, input: unknown, owner: string | undefined, executor: string | undefined, start?: RunStart): RunRecord {
    this.checkOpen();
    const runId = metadata.run_id;
    if (this.runs.has(runId)) throw new RunExistsError(runId);
    this.sweep();
    while (this.runs.size >= this.limits.maxRuns) {
      if (!this.dropOldestFinished()) throw new StoreFullError(this.limits.maxRuns);
    }
    const now = Date.now();
    const record: RunRecord = { metadata, input, status: "running", updatedAt: now, lastSeq: 0, firstSeq: 1, bytes: 0 };
    if (owner !== undefined) record.owner = owner;
    if (executor !== undefined) record.executor = executor;
    if (start !== undefined) record.start = start;
    const head: RunHead = { metadata, input };
    if (owner !== undefined) head.owner = owner;
    if (start !== undefined) head.start = start;
    const headJson = JSON.stringify(head);
    // Several processes share one database (a deployment): positions from the clock, so theirs interleave in time.
    if (this.hooks.sharedDatabase) this.nextPosition = Math.max(this.nextPosition, Date.now() * 1000);
    const run = this.newRun(record, this.nextPosition++, headJson.length);
    run.sizes = [];
    run.recent = new RecentEvents();
    this.runs.set(runId, run);
    this.totalBytes += run.fixedBytes;
    this.batch.inserts.push({ runId, position: run.position, head: headJson, state: stateOf(record) });
    if (this.totalBytes > this.limits.maxTotalBytes) this.reclaim(null);
    return record;
  }

  append(runId: string, json: string, now = Date.now()): MaybePromise<number> {
    this.checkOpen();
    const run = this.entry(runId);
    // Stored events are joined by newlines (eventChunks.ts); JSON.stringify never writes a raw one.
    if (json.includes("\n")) throw new TypeError(`run "${runId}": an event's JSON has a raw newline; store JSON.stringify's output`);
    const { record } = run;
    record.lastSeq += 1;
    const seq = record.lastSeq;
    const size = json.length;
    record.bytes += size;
    this.totalBytes += size;
    this.totalEvents += 1;
    run.sizes ??= [];
    run.sizes.push(size);
    run.uncommitted.push(new SerializedEvent(json, seq));
    if (projectedKind(json) !== null) {
      if (applyToRecord(record, json, now)) this.finished.set(runId, run);
      run.stateChanged = true;
    }
    this.markDirty(run);
    const { maxEventsPerRun, maxBytesPerRun } = this.limits;
    while (this.count(run) > 1 && (this.count(run) > maxEventsPerRun || record.bytes > maxBytesPerRun)) this.evictHead(run);
    if (this.totalBytes > this.limits.maxTotalBytes) this.reclaim(run);
    return new CommitTicket(this.schedule(), seq, run);
  }

  read(runId: string, afterSeq: number, max: number): MaybePromise<StoredEvent[]> {
    const run = this.entry(runId);
    const { record } = run;
    const from = Math.max(afterSeq, 0) + 1;
    if (from < record.firstSeq) throw new EventsEvictedError(runId, from, record.firstSeq);
    const end = Math.min(run.committedSeq, afterSeq + max);
    if (end < from) return [];
    if (run.recent && from >= run.recent.firstSeq) return run.recent.read(from, end);
    return this.backend.read(runId, from, end);
  }

  get(runId: string): RunRecord | undefined {
    return this.runs.get(runId)?.record;
  }

  list(query: RunListQuery = {}): RunRecord[] {
    return listNewestFirst(this.runs.values(), query);
  }

  claim(runId: string, executor: string): MaybePromise<RunRecord> {
    this.checkOpen();
    const run = this.entry(runId);
    run.record.executor = executor;
    run.stateChanged = true;
    this.markDirty(run);
    run.recent ??= new RecentEvents();
    const committed = this.schedule();
    if (run.sizes !== null) return committed.then(() => run.record);
    // It grows again here: the byte limit needs the sizes of what an earlier process stored.
    return settle(
      () => this.backend.eventSizes(runId, run.record.firstSeq),
      async (sizes) => {
        run.sizes = sizes;
        run.sizesHead = 0;
        await committed;
        return run.record;
      },
      (error) => {
        throw error;
      },
    );
  }

  unfinished(): RunRecord[] {
    const out: RunRecord[] = [];
    for (const { record } of this.runs.values()) if (!isTerminalStatus(record.status)) out.push(record);
    return out;
  }

  sweep(now = Date.now()): string[] {
    const dropped: string[] = [];
    for (const [runId, run] of this.finished) {
      if (now - (run.record.endedAt ?? now) < this.limits.maxAgeMs) break;
      this.drop(runId, run);
      dropped.push(runId);
    }
    if (dropped.length > 0) void this.schedule();
    return dropped;
  }

  stats(): RunStoreStats {
    return { runs: this.runs.size, activeRuns: this.runs.size - this.finished.size, events: this.totalEvents, bytes: this.totalBytes };
  }

  /** Commits what is pending, then closes the database. */
  async close(): Promise<void> {
    if (this.closed) return;
    while (this.pending || this.committing) await (this.pending?.promise ?? new Promise((resolve) => setImmediate(resolve))).catch(() => {});
    this.closed = true;
    await this.backend.close();
  }

  private checkOpen(): void {
    if (this.closed) throw new Error(`the run store (${this.backend.where}) is closed`);
  }

  private entry(runId: string): Run {
    const run = this.runs.get(runId);
    if (!run) throw new RunNotFoundError(runId);
    return run;
  }

  private count(run: Run): number {
    return run.record.lastSeq - run.record.firstSeq + 1;
  }

  private markDirty(run: Run): void {
    if (run.inBatch) return;
    run.inBatch = true;
    this.dirty.add(run);
  }

  private evictHead(run: Run): void {
    const { record } = run;
    const sizes = run.sizes!;
    const size = sizes[run.sizesHead] ?? 0;
    run.sizesHead += 1;
    if (run.sizesHead >= 1024 && run.sizesHead * 2 >= sizes.length) {
      run.sizes = sizes.slice(run.sizesHead);
      run.sizesHead = 0;
    }
    record.firstSeq += 1;
    record.bytes -= size;
    this.totalBytes -= size;
    this.totalEvents -= 1;
    this.batch.evictions.push({ runId: record.metadata.run_id, beforeSeq: record.firstSeq });
  }

  /** Over the total budget: drop finished runs oldest first, then the growing run's oldest events. */
  private reclaim(growing: Run | null): void {
    while (this.totalBytes > this.limits.maxTotalBytes && this.dropOldestFinished(growing ?? undefined)) {
      // keep dropping
    }
    while (growing && this.totalBytes > this.limits.maxTotalBytes && this.count(growing) > 1) this.evictHead(growing);
  }

  private dropOldestFinished(except?: Run): boolean {
    for (const [runId, run] of this.finished) {
      if (run === except) continue;
      this.drop(runId, run);
      return true;
    }
    return false;
  }

  private drop(runId: string, run: Run): void {
    this.runs.delete(runId);
    this.finished.delete(runId);
    this.dirty.delete(run);
    this.totalBytes -= run.record.bytes + run.fixedBytes;
    this.totalEvents -= this.count(run);
    // Created in this very batch (rare: it ended and was dropped within one tick): it never reaches the
    // database, so that no part of a batch has to see what another part inserts.
    const inserted = this.batch.inserts.findIndex((insert) => insert.runId === runId);
    if (inserted >= 0) this.batch.inserts.splice(inserted, 1);
    else this.batch.drops.push(runId);
  }

  /** Runs whose writes a commit's fence refused: their appends reject from now on, and the deployment is told. */
  private refuse(runIds: readonly string[], fenced: Map<string, Run>): void {
    for (const runId of runIds) {
      const run = fenced.get(runId);
      if (!run || run.refused) continue;
      run.refused = true;
      this.hooks.onRefused?.(runId);
    }
  }

  /** Queued runs their commit did not admit: forgotten here (nothing of them was written); their createQueued rejects. */
  private notAdmitted(runIds: readonly string[], why: { count: number; limit: number } | { threadId: string; busyWith: string }): void {
    for (const runId of runIds) {
      const run = this.runs.get(runId);
      if (!run) continue;
      run.notAdmitted = "busyWith" in why ? { threadId: why.threadId, busyWith: why.busyWith } : { count: why.count, limit: why.limit };
      this.runs.delete(runId);
      this.finished.delete(runId);
      this.dirty.delete(run);
      this.totalBytes -= run.record.bytes + run.fixedBytes;
      this.totalEvents -= this.count(run);
    }
  }

  /** The promise of the commit that will hold what was just done. */
  private schedule(): Promise<void> {
    if (!this.pending) {
      this.pending = deferred();
      if (!this.committing) setImmediate(() => this.flush());
    }
    return this.pending.promise;
  }

  private flush(): void {
    const done = this.pending;
    if (!done || this.committing) return;
    this.pending = null;
    const batch = this.batch;
    this.batch = emptyBatch();
    const reached: Array<readonly [Run, SerializedEvent[]]> = [];
    const fence = this.hooks.fence;
    const fenced: Map<string, Run> | null = fence ? new Map() : null;
    for (const run of this.dirty) {
      run.inBatch = false;
      const { record } = run;
      const runId = record.metadata.run_id;
      if (fenced) {
        const generation = fence!.generationOf(runId);
        if (generation !== undefined) {
          (batch.fence ??= { worker: fence!.worker, runs: [] }).runs.push({ runId, generation });
          fenced.set(runId, run);
        }
      }
      if (run.stateChanged) {
        run.stateChanged = false;
        batch.states.push({ runId, state: stateOf(record), status: record.status });
      }
      const events = run.uncommitted;
      if (events.length === 0) continue;
      run.uncommitted = [];
      reached.push([run, events]);
      let text = events[0]!.json;
      for (let i = 1; i < events.length; i++) text += "\n" + events[i]!.json;
      batch.chunks.push({ runId, firstChunkSeq: events[0]!.seq, lastSeq: events[events.length - 1]!.seq, firstSeq: record.firstSeq, bytes: record.bytes, text });
    }
    this.dirty = new Set();
    if (isEmptyBatch(batch)) return done.resolve();
    const { admission } = this.hooks;
    if (admission) batch.admission = { limit: admission.limit(), instance: admission.instance };
    this.committing = true;
    const started = performance.now();
    const result = settle(
      () => this.backend.commit(batch),
      (answer) => {
        this.commits += 1;
        const { onCommitted } = this.hooks;
        if (answer?.refused) this.refuse(answer.refused, fenced!);
        if (answer?.notAdmitted) this.notAdmitted(answer.notAdmitted.runIds, answer.notAdmitted);
        for (const busy of answer?.threadBusy ?? []) this.notAdmitted([busy.runId], busy);
        for (const [run, events] of reached) {
          if (events.length === 0 || run.refused) continue;
          onCommitted?.(run.record.metadata.run_id, events);
          run.committedSeq = events[events.length - 1]!.seq;
          if (run.recent) for (const event of events) run.recent.push(event);
          if (isTerminalStatus(run.record.status) && run.committedSeq === run.record.lastSeq) {
            // Ended and all committed: its log lives in the database only.
            run.recent = null;
            run.sizes = null;
          }
        }
        done.resolve();
      },
      (error) => done.reject(error),
    );
    const next = () => {
      this.committing = false;
      if (this.pending) this.flush();
    };
    if (isPromise(result)) void result.then(next, next);
    else {
      // A synchronous database (SQLite) blocks while it commits; an asynchronous one (PostgreSQL) lets
      // the next ticks' work gather meanwhile. Do the same for the synchronous one: what arrives within
      // as long as the commit took goes in the next transaction together (bounded by MAX_GATHER_MS).
      const took = performance.now() - started;
      if (took < MIN_GATHER_MS) next();
      else setTimeout(next, Math.min(took, MAX_GATHER_MS));
    }
  }
}
