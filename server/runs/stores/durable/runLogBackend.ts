// What a durable run store keeps in its database, and the one transaction it commits per tick. Each
// database (sqlite/, postgres/) implements RunLogBackend; durableRunStore.ts holds everything else
// (the records, retention, group commit), so both behave alike and pass the same cases.
import type { RunStatus } from "../../../../lib/run/runStatus";
import type { MaybePromise } from "../../maybePromise";
import type { RunListQuery } from "../../runStore";

/**
 * A run as stored: `head` never changes (metadata, input, owner), `state` is the projection, rewritten
 * when it changes (status, interrupts, error, executor); how far its log reaches is in its newest chunk.
 */
export interface StoredRun {
  runId: string;
  /** Creation order, increasing. */
  position: number;
  /** JSON of RunHead. */
  head: string;
  /** JSON of RunState. */
  state: string;
  /** From the run's newest chunk, when it has one (newer than what `state` says). */
  tail?: ChunkTail;
}

/** Where a run's log stood when a chunk was committed. */
export interface ChunkTail {
  lastSeq: number;
  /** The run's oldest kept seq and its events' bytes, after this commit. */
  firstSeq: number;
  bytes: number;
}

/**
 * One run's events of one commit, their JSON texts joined by "\n" (JSON.stringify never writes a raw
 * newline; the store refuses a text with one): one row per run per commit, not one per event.
 */
export interface EventChunk extends ChunkTail {
  runId: string;
  firstChunkSeq: number;
  text: string;
}

export interface StoredLogEvent {
  seq: number;
  json: string;
}

/** Everything of one tick, committed in one transaction, applied in this order. */
export interface CommitBatch {
  inserts: StoredRun[];
  chunks: EventChunk[];
  /** `status`: the run's (a deployment's lease is parked while "interrupted", and goes when the run ends: see Admission). */
  states: Array<{ runId: string; state: string; status: RunStatus }>;
  /** Events of `runId` with seq below `beforeSeq` are deleted (retention). */
  evictions: Array<{ runId: string; beforeSeq: number }>;
  /** Runs deleted with their events (retention: oldest finished, age). */
  drops: string[];
  /** A deployment's admission (PostgreSQL only): see Admission. */
  admission?: Admission;
  /**
   * A deployment's queued runs (server/cluster/runLeases.ts; PostgreSQL only): the queued lease of each run
   * inserted here, `start` its JSON, written in the same transaction as the run's record.
   */
  queued: Array<{ runId: string; start: string; threadId: string }>;
  /**
   * A deployment's fencing (server/cluster/): the events and state rows of these runs are written only
   * while `worker` holds each one's lease with that generation; commit() answers the runs refused.
   */
  fence?: LeaseFence;
}

/**
 * The deployment-wide RILL_MAX_RUNS (server/cluster/): the commit parks and unparks the leases of runs whose
 * state it writes (interrupted or not) and deletes those of runs it ends, and admits the batch's queued
 * runs only while the deployment's running and queued runs (leases not parked) stay within `limit` and
 * their thread has no run going on another process, under one advisory lock for every process. The queued
 * runs it does not admit are neither recorded nor queued: commit() names them.
 */
export interface Admission {
  limit: number;
  /** This process (for the error). */
  instance: string;
}

/** What a commit answers: the runs fencing refused, and the queued runs admission refused. */
export interface CommitAnswer {
  refused?: readonly string[];
  notAdmitted?: { runIds: readonly string[]; count: number; limit: number };
  /** Queued runs not admitted because their thread has a run going elsewhere (that run's id). */
  threadBusy?: ReadonlyArray<{ runId: string; threadId: string; busyWith: string }>;
}

/** The leases a commit's writes depend on: this process (`worker`) and the generation it holds of each run's. */
export interface LeaseFence {
  worker: string;
  runs: Array<{ runId: string; generation: string }>;
}

export interface RunLogBackend {
  /** For messages: the file, or host:port/database. */
  readonly where: string;
  /** Every stored run, in creation order. */
  load(): MaybePromise<StoredRun[]>;
  /**
   * The stored runs `query` asks for, newest first, filtered and limited by the database (a deployment's
   * list, where each call must not load every run). Optional: without it, the rows of load() are filtered.
   */
  list?(query: RunListQuery): MaybePromise<StoredRun[]>;
  /** One stored run (a deployment's other processes change runs): undefined when there is none. Optional. */
  loadRun?(runId: string): MaybePromise<StoredRun | undefined>;
  /** Commits the batch in one transaction; answers what fencing and admission refused (nothing without them). */
  commit(batch: CommitBatch): MaybePromise<CommitAnswer | void>;
  /** Events `from..to` (inclusive) of a run, in order. */
  read(runId: string, from: number, to: number): MaybePromise<StoredLogEvent[]>;
  /** The sizes (at least their JSON's length) of a run's stored events from `from` on, in order. */
  eventSizes(runId: string, from: number): MaybePromise<number[]>;
  close(): MaybePromise<void>;
}

export function emptyBatch(): CommitBatch {
  return { inserts: [], chunks: [], states: [], evictions: [], drops: [], queued: [] };
}

export function isEmptyBatch(batch: CommitBatch): boolean {
  return batch.inserts.length + batch.chunks.length + batch.states.length + batch.evictions.length + batch.drops.length + batch.queued.length === 0;
}
