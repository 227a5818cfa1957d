// Keeps the number of threads within RILL_STORE_MAX_THREADS: past it, the oldest threads (by creation)
// that have no run going (idle or error) are deleted with their checkpoints, a batch at a time, after the
// creation that went over (never in its way). Threads with a run running or waiting at an interrupt stay.
// The count is read from the store once, then kept here.
import type { ThreadRecord, ThreadStore } from "./threadStore";

const SWEEP_BATCH = 100;

export interface ThreadRetentionOptions {
  store: ThreadStore;
  maxThreads: number;
  /** Deletes the thread, its checkpoints too; false to keep it (a run just started on it). */
  drop(record: ThreadRecord): Promise<boolean>;
  log?: (line: { level: "info" | "warn" | "error"; msg: string; [key: string]: unknown }) => void;
}

export class ThreadRetention {
  private count: number | undefined;
  private sweeping: Promise<void> | null = null;

  constructor(private readonly options: ThreadRetentionOptions) {}

  created(): void {
    if (this.count !== undefined) this.count += 1;
    if (this.count === undefined || this.count > this.options.maxThreads) this.sweep();
  }

  deleted(): void {
    if (this.count !== undefined) this.count -= 1;
  }

  /** Resolves once a sweep under way has finished (tests). */
  async settled(): Promise<void> {
    await this.sweeping;
  }

  private sweep(): void {
    this.sweeping ??= this.evict()
      .catch((error: unknown) => this.options.log?.({ level: "warn", msg: "could not drop old threads", error: String(error) }))
      .finally(() => (this.sweeping = null));
  }

  private async evict(): Promise<void> {
    const { store, maxThreads } = this.options;
    this.count ??= await store.count();
    let dropped = 0;
    while (this.count > maxThreads) {
      const candidates = await store.oldest(Math.min(SWEEP_BATCH, this.count - maxThreads), ["idle", "error"]);
      let progress = false;
      for (const record of candidates) if (await this.options.drop(record)) (progress = true), (dropped += 1);
      if (!progress) break; // every old thread has a run going: they stay, over the limit, until they end
    }
    if (dropped > 0) this.options.log?.({ level: "info", msg: "dropped the oldest threads (RILL_STORE_MAX_THREADS)", count: dropped, maxThreads });
  }
}
