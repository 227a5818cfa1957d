// Group commit: operations made in the same tick are committed together, in the order they were made,
// in one transaction. `add` resolves (or rejects) once the transaction holding the operation has
// committed (or failed); `queue` (Rill's engine) costs no promise per operation: it returns the batch the
// operation joined, which the caller asks once, when it needs to know, whether it committed. One commit
// runs at a time; what arrives meanwhile forms the next batch. A batch that reaches `maxBatch`
// operations is committed without waiting for the tick to end. A `pipelined` committer (the SQLite
// commit thread, which commits batches in the order it gets them and refuses those after a failed one)
// is handed the next batch while the previous one is still committing.

/** One transaction's worth of operations; after it ran, `failure` says whether it committed. */
export class Batch<Op> {
  ops: Op[] = [];
  /** What its operations count for toward maxBatch (an operation may stand for several: see `grow`). */
  weight = 0;
  /** Set when the transaction failed (then none of its operations is stored). */
  failure: { error: unknown } | null = null;
  /** Settles (never rejects) once the transaction ran; undefined until someone waits. */
  ran: Promise<void> | undefined;
  private markRan: (() => void) | undefined;
  done = false;

  constructor(private readonly owner: GroupCommit<Op>) {}

  /**
   * Resolves once this batch's transaction ran (committed or failed: see `failure`). `now`: the caller
   * waits for nothing else (a run ending, a "sync" step), so the batch commits at once if nothing is
   * committing, instead of at the end of the tick.
   */
  settled(now = false): Promise<void> {
    if (this.done) return Promise.resolve();
    if (this.ran === undefined) this.ran = new Promise<void>((resolve) => (this.markRan = resolve));
    if (now) this.owner.hurry(this);
    return this.ran;
  }

  finish(failure: { error: unknown } | null): void {
    this.failure = failure;
    this.done = true;
    this.ops = [];
    this.weight = 0;
    this.markRan?.();
  }
}

export class GroupCommit<Op> {
  private pending: Batch<Op>;
  private scheduled = false;
  private inFlight: Promise<void> | null = null;
  /** Start a batch while another commits (set by a committer that orders batches itself). */
  pipelined = false;

  constructor(
    /**
     * Commits every operation of the batch in one transaction, or throws (then none is committed); `full`:
     * the batch reached maxBatch (more are likely coming).
     */
    private readonly commit: (ops: Op[], full: boolean) => void | Promise<void>,
    /** Operations that make a batch commit without waiting for the tick to end. */
    public maxBatch = 1024,
  ) {
    this.pending = new Batch(this);
  }

  /** Queues `op`; resolves after the transaction holding it committed. */
  add(op: Op): Promise<void> {
    const batch = this.queue(op);
    return batch.settled().then(() => {
      if (batch.failure !== null) throw batch.failure.error;
    });
  }

  /** Queues `op` without a promise; returns the batch it joined. */
  queue(op: Op): Batch<Op> {
    const batch = this.pending;
    batch.ops.push(op);
    this.grow(1);
    return batch;
  }

  /** The batch being filled (what `queue` joins now). */
  get current(): Batch<Op> {
    return this.pending;
  }

  /** Counts `weight` more toward maxBatch for the batch being filled (an operation of it took in more). */
  grow(weight = 1): void {
    const batch = this.pending;
    batch.weight += weight;
    if (batch.weight >= this.maxBatch && (this.inFlight === null || this.pipelined)) void this.run();
    else this.schedule();
  }

  /** True while something is queued or committing. */
  get busy(): boolean {
    return this.pending.ops.length > 0 || this.inFlight !== null;
  }

  /** Resolves when everything queued so far has been committed (or has failed). */
  async drain(): Promise<void> {
    while (this.busy) {
      if (this.inFlight !== null && !(this.pipelined && this.pending.ops.length > 0)) await this.inFlight;
      else await this.run();
    }
  }

  /** Someone waits for `batch`: when it is the one queued and nothing is committing, commit it now. */
  hurry(batch: Batch<Op>): void {
    if (batch === this.pending && (this.inFlight === null || this.pipelined) && batch.ops.length > 0) void this.run();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if ((this.inFlight === null || this.pipelined) && this.pending.ops.length > 0) void this.run();
    });
  }

  private run(): Promise<void> {
    const batch = this.pending;
    this.pending = new Batch(this);
    const done = (async () => {
      try {
        await this.commit(batch.ops, batch.weight >= this.maxBatch);
        batch.finish(null);
      } catch (error) {
        batch.finish({ error });
      }
    })();
    const inFlight: Promise<void> = done.then(() => {
      if (this.inFlight === inFlight) this.inFlight = null;
      if (this.pending.ops.length > 0) this.schedule();
    });
    this.inFlight = inFlight;
    return inFlight;
  }
}
