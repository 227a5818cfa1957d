// Group commit: operations made in the same tick are committed together, in the order they were made,
// in one transaction. `add` resolves (or rejects) once the transaction holding the operation has
// committed (or failed). One commit runs at a time; what arrives meanwhile forms the next batch.
// A batch that reaches `maxBatch` operations is committed without waiting for the tick to end.

interface Queued<Op> {
  op: Op;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class GroupCommit<Op> {
  private pending: Queued<Op>[] = [];
  private scheduled = false;
  private inFlight: Promise<void> | null = null;

  constructor(
    /** Commits every operation of the batch in one transaction, or throws (then none is committed). */
    private readonly commit: (ops: Op[]) => void | Promise<void>,
    private readonly maxBatch = 1024,
  ) {}

  /** Queues `op`; resolves after the transaction holding it committed. */
  add(op: Op): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ op, resolve, reject });
      if (this.pending.length >= this.maxBatch && this.inFlight === null) void this.run();
      else this.schedule();
    });
  }

  /** True while something is queued or committing. */
  get busy(): boolean {
    return this.pending.length > 0 || this.inFlight !== null;
  }

  /** Resolves when everything queued so far has been committed (or has failed). */
  async drain(): Promise<void> {
    while (this.busy) {
      if (this.inFlight !== null) await this.inFlight;
      else await this.run();
    }
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (this.inFlight === null && this.pending.length > 0) void this.run();
    });
  }

  private run(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    const done = (async () => {
      try {
        await this.commit(batch.map((q) => q.op));
        for (const q of batch) q.resolve();
      } catch (error) {
        for (const q of batch) q.reject(error);
      }
    })();
    this.inFlight = done.then(() => {
      this.inFlight = null;
      if (this.pending.length > 0) this.schedule();
    });
    return this.inFlight;
  }
}
