// The default run store: everything in this process's memory, bounded by RunStoreLimits.
// Appends and reads are O(1) (a log is an array with a moving head); eviction is amortized O(1).
import type { RunMetadata } from "../../runEvent";
import {
  EventsEvictedError,
  isTerminal,
  RunExistsError,
  RunNotFoundError,
  StoreFullError,
  type RunListQuery,
  type RunRecord,
  type RunStatusChange,
  type RunStore,
  type RunStoreLimits,
  type RunStoreStats,
  type StoredEvent,
} from "../../runStore";
import { SerializedEvent } from "../../serializedEvent";

/** One run's events: `events[head..]` are stored, `events[i]` has seq `base + i`. */
interface Entry {
  record: RunRecord;
  /** Immutable and shared with readers: a read copies no event. */
  events: Array<SerializedEvent | null>;
  head: number;
  base: number;
}

const COMPACT_AFTER = 1024;

export class MemoryRunStore implements RunStore {
  readonly limits: RunStoreLimits;
  /** Insertion order = creation order. */
  private readonly runs = new Map<string, Entry>();
  /** Finished runs in the order they ended: the eviction order. */
  private readonly finished = new Map<string, Entry>();
  private totalBytes = 0;
  private totalEvents = 0;

  constructor(limits: RunStoreLimits) {
    this.limits = { ...limits };
  }

  create(metadata: RunMetadata, input: unknown, owner?: string): RunRecord {
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
    this.runs.set(runId, { record, events: [], head: 0, base: 1 });
    return record;
  }

  append(runId: string, json: string): number {
    const entry = this.entry(runId);
    const { record } = entry;
    record.lastSeq += 1;
    entry.events.push(new SerializedEvent(json, record.lastSeq));
    record.bytes += json.length;
    this.totalBytes += json.length;
    this.totalEvents += 1;
    const { maxEventsPerRun, maxBytesPerRun } = this.limits;
    while (this.storedCount(entry) > 1 && (this.storedCount(entry) > maxEventsPerRun || record.bytes > maxBytesPerRun)) {
      this.evictHead(entry);
    }
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
    return entry.events.slice(from - entry.base, end - entry.base + 1) as SerializedEvent[];
  }

  setStatus(runId: string, change: RunStatusChange, now = Date.now()): RunRecord {
    const entry = this.entry(runId);
    const { record } = entry;
    record.status = change.status;
    record.updatedAt = now;
    record.interrupts = change.status === "interrupted" ? change.interrupts : undefined;
    if (change.error) record.error = change.error;
    if (change.reason !== undefined) record.reason = change.reason;
    if (isTerminal(change.status)) {
      record.endedAt ??= now;
      this.finished.set(runId, entry);
    }
    return record;
  }

  get(runId: string): RunRecord | undefined {
    return this.runs.get(runId)?.record;
  }

  list(query: RunListQuery = {}): RunRecord[] {
    const limit = query.limit ?? Infinity;
    const out: RunRecord[] = [];
    const all = [...this.runs.values()];
    for (let i = all.length - 1; i >= 0 && out.length < limit; i--) {
      const { record } = all[i]!;
      if (query.status && record.status !== query.status) continue;
      if (query.graphId && record.metadata.graph_id !== query.graphId) continue;
      if (query.owner !== undefined && record.owner !== query.owner) continue;
      out.push(record);
    }
    return out;
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

  private storedCount(entry: Entry): number {
    return entry.events.length - entry.head;
  }

  private evictHead(entry: Entry): void {
    const { json } = entry.events[entry.head]!;
    entry.events[entry.head] = null;
    entry.head += 1;
    entry.record.firstSeq += 1;
    entry.record.bytes -= json.length;
    this.totalBytes -= json.length;
    this.totalEvents -= 1;
    if (entry.head >= COMPACT_AFTER && entry.head * 2 >= entry.events.length) {
      entry.events = entry.events.slice(entry.head);
      entry.base += entry.head;
      entry.head = 0;
    }
  }

  /** Over the total budget: drop finished runs oldest first, then the growing run's oldest events. */
  private reclaim(growing: Entry): void {
    while (this.totalBytes > this.limits.maxTotalBytes && this.dropOldestFinished(growing)) {
      // keep dropping
    }
    while (this.totalBytes > this.limits.maxTotalBytes && this.storedCount(growing) > 1) {
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
    this.totalBytes -= entry.record.bytes;
    this.totalEvents -= this.storedCount(entry);
  }
}
