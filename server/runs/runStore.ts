// Where runs and their event logs live. The run manager writes through this interface and subscribers
// read through it, so a durable store (SQLite, Redis streams, ...) can replace the in-memory one without
// touching either. Each implementation lives in its own folder under stores/ and must pass the shared
// cases in stores/runStore.cases.ts.
//
// Events are stored as their JSON text: it is what goes on the wire (serialized once, sent to every
// subscriber as is), what a durable store would persist, and what the byte limits count (plus what a
// store spends to hold it: the memory store counts bytes of memory, measured).
import type { Interrupt, TaskError } from "../../lib/graph/types";
import { formatEventId } from "../../lib/run/eventId";
import type { RunStatus } from "../../lib/run/runStatus";
import type { RunMetadata } from "./runEvent";

export interface StoredEvent {
  /** 1, 2, 3, ... within the run; never reused, never reordered. */
  seq: number;
  /** The RunEvent as JSON text. */
  json: string;
}

export interface RunRecord {
  metadata: RunMetadata;
  /** The validated input the run was started with. */
  input: unknown;
  /** The identity that started the run, when the server has auth: only it sees the run. */
  owner?: string;
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
  /** Registers a new run (status "running"), owned by `owner` when given. Throws RunExistsError, or StoreFullError when every stored run is active. */
  create(metadata: RunMetadata, input: unknown, owner?: string): RunRecord;
  /** Appends one event and returns its seq. May evict this run's oldest events or finished runs to stay in limits. */
  append(runId: string, json: string): number;
  /**
   * Up to `max` events with seq > `afterSeq`, in order. Throws RunNotFoundError for an unknown run and
   * EventsEvictedError when events right after `afterSeq` were evicted (never silently skips them).
   */
  read(runId: string, afterSeq: number, max: number): StoredEvent[];
  setStatus(runId: string, change: RunStatusChange, now?: number): RunRecord;
  get(runId: string): RunRecord | undefined;
  list(query?: RunListQuery): RunRecord[];
  /** Drops finished runs older than `maxAgeMs`; returns the ids dropped. Active runs are never dropped. */
  sweep(now?: number): string[];
  stats(): RunStoreStats;
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
