// Where runs and their event logs live. The run manager writes through this interface and subscribers
// read through it, so a durable store (SQLite, PostgreSQL, ...) replaces the in-memory one without
// touching either. Each implementation lives in its own folder under stores/ and must pass the shared
// cases in stores/runStore.cases.ts.
//
// The log is the single source of truth. A run's metadata is its event 0 (kept with the record, sent
// first to every subscriber); status changes are ["status", …] events and a failure an ["error", …]
// event, and the record's status, interrupts, reason, error and endedAt are a projection of them
// (runProjection.ts): there is no separate status write.
//
// Methods answer a value or a promise of one (MaybePromise): the memory store answers synchronously,
// and callers chain without an await when the answer is at hand. A durable store group-commits appends
// (the events of one tick in one transaction); what it answers from read(), get() and list() is committed.
//
// Events are stored as their JSON text: it is what goes on the wire (serialized once, sent to every
// subscriber as is), what a durable store would persist, and what the byte limits count (plus what a
// store spends to hold it: the memory store counts bytes of memory, measured).
import type { Interrupt, TaskError } from "../../lib/graph/types";
import { formatEventId } from "../../lib/run/eventId";
import type { RunStatus } from "../../lib/run/runStatus";
import type { MaybePromise } from "./maybePromise";
import type { RunMetadata } from "./runEvent";

export interface StoredEvent {
  /** 1, 2, 3, ... within the run; never reused, never reordered. */
  seq: number;
  /** The RunEvent as JSON text. */
  json: string;
}

/**
 * What a run was started with besides its input: its `configurable` (its thread, a fork's `checkpoint_id`
 * and the client's keys) and its recursion limit. Every continuation of the run (a restart, a takeover by
 * another process, a queued run's worker) runs with exactly this.
 */
export interface RunStart {
  configurable: Record<string, unknown>;
  recursionLimit?: number;
}

export interface RunRecord {
  metadata: RunMetadata;
  /** The validated input the run was started with. */
  input: unknown;
  /**
   * What the run was started with besides its input (kept with its head, never shown to clients); absent
   * for a run stored by an earlier Rill, which is continued with its thread only.
   */
  start?: RunStart;
  /** The identity that started the run, when the server has auth: only it sees the run. */
  owner?: string;
  /**
   * The process executing the run (processInstanceId(): `<hostname>:<pid>:<start time>`), set when it
   * starts and when a restarted process takes over a run a dead one left running.
   */
  executor?: string;
  status: RunStatus;
  /** While "interrupted": what the interrupted nodes asked. */
  interrupts?: Interrupt[];
  /** When status is "error". */
  error?: TaskError;
  /** Why the run was cancelled, when it was. */
  reason?: string;
  /** Epoch milliseconds of the last status change. */
  updatedAt: number;
  /** Epoch milliseconds at which the run reached done, error or cancelled. */
  endedAt?: number;
  /** Seq of the newest event (0 before the first). */
  lastSeq: number;
  /** Seq of the oldest event still stored; `lastSeq + 1` when none is. Older ones were evicted. */
  firstSeq: number;
  /** Bytes the events still stored take, as the store counts them (at least their JSON's length). */
  bytes: number;
}

export interface RunStatusChange {
  status: RunStatus;
  interrupts?: Interrupt[];
  error?: TaskError;
  reason?: string;
  /** Set on the "running" event a restarted process logs when it continues a run a dead one left running. */
  resumed?: true;
  /** With resumed, in a deployment: the process that took the run over. */
  worker?: string;
}

export interface RunStoreLimits {
  /** Events kept per run; older ones are evicted first. */
  maxEventsPerRun: number;
  /** Bytes of events kept per run (as the store counts them: memory used); older events are evicted first. */
  maxBytesPerRun: number;
  /** Runs kept in all; finished runs are dropped oldest first to make room. */
  maxRuns: number;
  /** Bytes kept over all runs (events, records, inputs): finished runs go first, then the oldest events of the run that grows. */
  maxTotalBytes: number;
  /** A finished run is dropped this long after it ended. */
  maxAgeMs: number;
}

export interface RunListQuery {
  status?: RunStatus;
  graphId?: string;
  /** Only the runs of this identity. */
  owner?: string;
  /** Newest first; at most this many. */
  limit?: number;
}

export interface RunStoreStats {
  runs: number;
  activeRuns: number;
  events: number;
  bytes: number;
}

export interface RunStore {
  readonly limits: RunStoreLimits;
  /** True when runs outlive this process (a restart finds them): the manager then leaves them for the next one at shutdown. */
  readonly durable: boolean;
  /**
   * Registers a new run (status "running"), owned by the identity `owner` when given and executed by
   * `executor`, started with `start` (kept with the run for its continuations). Throws (or rejects with)
   * RunExistsError, or StoreFullError when every stored run is active.
   */
  create(metadata: RunMetadata, input: unknown, owner?: string, executor?: string, start?: RunStart): MaybePromise<RunRecord>;
  /**
   * Appends one event and answers its seq once it is stored (committed, for a durable store). A
   * ["status", …] or ["error", …] event also changes the record (runProjection.ts); `now` is when
   * (epoch ms). May evict this run's oldest events or finished runs to stay in limits.
   */
  append(runId: string, json: string, now?: number): MaybePromise<number>;
  /**
   * Up to `max` events with seq > `afterSeq`, in order. Throws RunNotFoundError for an unknown run and
   * EventsEvictedError when events right after `afterSeq` were evicted (never silently skips them).
   */
  read(runId: string, afterSeq: number, max: number): MaybePromise<StoredEvent[]>;
  get(runId: string): MaybePromise<RunRecord | undefined>;
  list(query?: RunListQuery): MaybePromise<RunRecord[]>;
  /** Records that `executor` now executes the run (a restarted process taking over a run left running). */
  claim(runId: string, executor: string): MaybePromise<RunRecord>;
  /** Runs not ended (running or interrupted), oldest first: what a restarted process finds. */
  unfinished(): MaybePromise<RunRecord[]>;
  /** Drops finished runs older than `maxAgeMs`; returns the ids dropped. Active runs are never dropped. */
  sweep(now?: number): MaybePromise<string[]>;
  stats(): RunStoreStats;
  /** Commits what is pending and lets go of files and connections. */
  close(): MaybePromise<void>;
}

export class RunNotFoundError extends Error {
  override name = "RunNotFoundError";
  constructor(readonly runId: string) {
    super(`run "${runId}" not found (unknown id, or dropped from the run store after it ended)`);
  }
}

export class RunExistsError extends Error {
  override name = "RunExistsError";
  constructor(readonly runId: string) {
    super(`run "${runId}" already exists`);
  }
}

export class StoreFullError extends Error {
  override name = "StoreFullError";
  constructor(readonly maxRuns: number) {
    super(`the run store holds ${maxRuns} runs (RILL_STORE_MAX_RUNS) and none of them has ended`);
  }
}

export class EventsEvictedError extends Error {
  override name = "EventsEvictedError";
  constructor(
    readonly runId: string,
    /** The first seq the reader asked for. */
    readonly requestedSeq: number,
    /** The oldest seq still stored. */
    readonly firstSeq: number,
  ) {
    super(
      `run "${runId}": events ${requestedSeq}..${firstSeq - 1} were evicted from the run log ` +
        `(limits: RILL_STORE_MAX_EVENTS_PER_RUN, RILL_STORE_MAX_BYTES_PER_RUN, RILL_STORE_MAX_TOTAL_BYTES); ` +
        `the oldest event still available is ${formatEventId(runId, firstSeq)}`,
    );
  }
}
