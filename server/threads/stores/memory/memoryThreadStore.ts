// Threads in this process's memory (RILL_STORE=memory): gone with the process, as its checkpoints are.
// A Map keeps insertion order, which is creation order: list() walks it from the newest end.
import { ThreadExistsError, type NewThread, type ThreadListQuery, type ThreadRecord, type ThreadStatus, type ThreadStore } from "../../threadStore";

export class MemoryThreadStore implements ThreadStore {
  private readonly threads = new Map<string, ThreadRecord>();
  /** Where each thread is in `order` (an id deleted and created again is only counted at its new place). */
  private readonly positions = new Map<string, number>();
  /** Creation order (oldest first); stale entries are skipped, and compacted away once they are half of it. */
  private order: string[] = [];
  private stale = 0;

  async create(thread: NewThread): Promise<ThreadRecord> {
    if (this.threads.has(thread.threadId)) throw new ThreadExistsError(thread.threadId);
    const at = thread.createdAt ?? Date.now();
    const record: ThreadRecord = {
      threadId: thread.threadId,
      graphId: thread.graphId,
      ...(thread.owner !== undefined ? { owner: thread.owner } : {}),
      createdAt: at,
      updatedAt: at,
      metadata: { ...thread.metadata },
      status: "idle",
    };
    this.threads.set(record.threadId, record);
    this.positions.set(record.threadId, this.order.length);
    this.order.push(record.threadId);
    return copy(record);
  }

  async get(threadId: string): Promise<ThreadRecord | undefined> {
    const record = this.threads.get(threadId);
    return record && copy(record);
  }

  async setStatus(threadId: string, status: ThreadStatus, at = Date.now()): Promise<boolean> {
    const record = this.threads.get(threadId);
    if (!record) return false;
    record.status = status;
    record.updatedAt = at;
    return true;
  }

  async touch(threadId: string, at = Date.now()): Promise<boolean> {
    const record = this.threads.get(threadId);
    if (!record) return false;
    record.updatedAt = at;
    return true;
  }

  async list(query: ThreadListQuery): Promise<ThreadRecord[]> {
    const out: ThreadRecord[] = [];
    let skip = query.offset ?? 0;
    for (let i = this.order.length - 1; i >= 0 && out.length < query.limit; i--) {
      const id = this.order[i]!;
      if (this.positions.get(id) !== i) continue;
      const record = this.threads.get(id)!;
      if ((query.graphId !== undefined && record.graphId !== query.graphId)) continue;
      if (query.status !== undefined && record.status !== query.status) continue;
      if (query.owner !== undefined && record.owner !== query.owner) continue;
      if (skip > 0) {
        skip -= 1;
        continue;
      }
      out.push(copy(record));
    }
    return out;
  }

  async count(): Promise<number> {
    return this.threads.size;
  }

  async oldest(limit: number, statuses: readonly ThreadStatus[]): Promise<ThreadRecord[]> {
    const out: ThreadRecord[] = [];
    for (let i = 0; i < this.order.length && out.length < limit; i++) {
      const id = this.order[i]!;
      if (this.positions.get(id) !== i) continue;
      const record = this.threads.get(id)!;
      if (statuses.includes(record.status)) out.push(copy(record));
    }
    return out;
  }

  async delete(threadId: string): Promise<boolean> {
    if (!this.threads.delete(threadId)) return false;
    this.positions.delete(threadId);
    this.stale += 1;
    if (this.stale * 2 > this.order.length) {
      this.order = this.order.filter((id, i) => this.positions.get(id) === i);
      this.order.forEach((id, i) => this.positions.set(id, i));
      this.stale = 0;
    }
    return true;
  }

  async close(): Promise<void> {}
}

function copy(record: ThreadRecord): ThreadRecord {
  return { ...record, metadata: { ...record.metadata } };
}
