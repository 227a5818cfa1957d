// The default run store: everything in this process's memory, bounded by RunStoreLimits, counted in
// bytes of memory used (eventSegments.ts: compact packed logs, measured overheads; a run's record and
// input count too). Appends are O(1) amortized, reads O(log segments + events read), eviction O(1) amortized.
import { isTerminalStatus } from "../../../../lib/run/runStatus";
import type { RunMetadata } from "../../runEvent";
import { applyToRecord } from "../../runProjection";
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
import { EventSegments } from "./eventSegments";
import { listNewestFirst } from "../runListing";

interface Entry {
  record: RunRecord;
  log: EventSegments;
  /** What the record, its metadata and input take (counted in the total, not in the run's event bytes). */
  fixedBytes: number;
}

/** Measured: a run's record, metadata and map entries, besides its input. */
export const RUN_OVERHEAD = 2048;

/** An upper bound of what the validated input holds: its JSON at 2 bytes a character, plus object overheads. */
function inputBytes(input: unknown): number {
  try {
    return 2 * (JSON.stringify(input)?.length ?? 0);
  } catch {
    return 0;
  }
}

export class MemoryRunStore implements RunStore {
  readonly limits: RunStoreLimits;
  readonly durable = false;
  /** Insertion order = creation order. */
  private readonly runs = new Map<string, Entry>();
  /** Finished runs in the order they ended: the eviction order. */
  private readonly finished = new Map<string, Entry>();
  private totalBytes = 0;
  private totalEvents = 0;

  constructor(limits: RunStoreLimits) {
    this.limits = { ...limits };
  }

  create(metadata: RunMetadata, input: unknown, owner?: string, executor?: string, start?: RunStart): RunRecord {
    const runId = metadata.run_id;
    if (this.runs.has(runId)) throw new RunExistsError(runId);
    this.sweep();
    while (this.runs.size >= this.limits.maxRuns) {
      if (!this.dropOldestFinished()) throw new StoreFullError(this.limits.maxRuns);
    }
    const record: RunRecord = {
      metadata,
      input,
      status: "running",
      updatedAt: Date.now(),
      lastSeq: 0,
      firstSeq: 1,
      bytes: 0,
    };
    if (owner !== undefined) record.owner = owner;
    if (executor !== undefined) record.executor = executor;
    if (start !== undefined) record.start = start;
    const fixedBytes = RUN_OVERHEAD + inputBytes(input) + (start !== undefined ? inputBytes(start) : 0);
    this.runs.set(runId, { record, log: new EventSegments(1), fixedBytes });
    this.totalBytes += fixedBytes;
    if (this.totalBytes > this.limits.maxTotalBytes) this.reclaim(null);
    return record;
  }

  append(runId: string, json: string, now = Date.now()): number {
    const entry = this.entry(runId);
    const { record, log } = entry;
    record.lastSeq += 1;
    this.totalBytes += log.append(json);
    this.totalEvents += 1;
    record.bytes = log.bytes;
    if (applyToRecord(record, json, now)) this.ended(runId, entry);
    const { maxEventsPerRun, maxBytesPerRun } = this.limits;
    while (log.count > 1 && (log.count > maxEventsPerRun || log.bytes > maxBytesPerRun)) this.evictHead(entry);
    if (this.totalBytes > this.limits.maxTotalBytes) this.reclaim(entry);
    return record.lastSeq;
  }

  read(runId: string, afterSeq: number, max: number): StoredEvent[] {
    const entry = this.entry(runId);
    const { record } = entry;
    const from = Math.max(afterSeq, 0) + 1;
    // Seqs start at 1 and are contiguous, so a gap before firstSeq can only be evicted events.
    if (from < record.firstSeq) throw new EventsEvictedError(runId, from, record.firstSeq);
    const end = Math.min(record.lastSeq, afterSeq + max);
    if (end < from) return [];
    return entry.log.read(from, end - from + 1);
  }

  /** The run's final status event was appended: it may now be evicted, and what is left is packed. */
  private ended(runId: string, entry: Entry): void {
    if (this.finished.has(runId)) return;
    this.finished.set(runId, entry);
    // Nothing more will be appended: pack what is left as strings.
    this.totalBytes -= entry.log.bytes;
    entry.log.seal();
    this.totalBytes += entry.log.bytes;
    entry.record.bytes = entry.log.bytes;
  }

  claim(runId: string, executor: string): RunRecord {
    const { record } = this.entry(runId);
    record.executor = executor;
    return record;
  }

  unfinished(): RunRecord[] {
    const out: RunRecord[] = [];
    for (const { record } of this.runs.values()) if (!isTerminalStatus(record.status)) out.push(record);
    return out;
  }

  close(): void {}

  get(runId: string): RunRecord | undefined {
    return this.runs.get(runId)?.record;
  }

  list(query: RunListQuery = {}): RunRecord[] {
    return listNewestFirst(this.runs.values(), query);
  }

  sweep(now = Date.now()): string[] {
    const dropped: string[] = [];
    for (const [runId, entry] of this.finished) {
      if (now - (entry.record.endedAt ?? now) < this.limits.maxAgeMs) break;
      this.drop(runId, entry);
      dropped.push(runId);
    }
    return dropped;
  }

  stats(): RunStoreStats {
    return {
      runs: this.runs.size,
      activeRuns: this.runs.size - this.finished.size,
      events: this.totalEvents,
      bytes: this.totalBytes,
    };
  }

  private entry(runId: string): Entry {
    const entry = this.runs.get(runId);
    if (!entry) throw new RunNotFoundError(runId);
    return entry;
  }

  private evictHead(entry: Entry): void {
    this.totalBytes -= entry.log.evictOldest();
    this.totalEvents -= 1;
    entry.record.firstSeq = entry.log.firstSeq;
    entry.record.bytes = entry.log.bytes;
  }

  /** Over the total budget: drop finished runs oldest first, then the growing run's oldest events. */
  private reclaim(growing: Entry | null): void {
    while (this.totalBytes > this.limits.maxTotalBytes && this.dropOldestFinished(growing ?? undefined)) {
      // keep dropping
    }
    while (growing && this.totalBytes > this.limits.maxTotalBytes && growing.log.count > 1) {
      this.evictHead(growing);
    }
  }

  private dropOldestFinished(except?: Entry): boolean {
    for (const [runId, entry] of this.finished) {
      if (entry === except) continue;
      this.drop(runId, entry);
      return true;
    }
    return false;
  }

  private drop(runId: string, entry: Entry): void {
    this.runs.delete(runId);
    this.finished.delete(runId);
    this.totalBytes -= entry.log.bytes + entry.fixedBytes;
    this.totalEvents -= entry.log.count;
  }
}
