// The queue between a run and its consumer. Bounded: the run awaits `waitForSpace()` before each
// superstep, so a slow consumer slows the run down instead of growing memory (LangGraph.js queues
// without limit). The bound is checked between supersteps, so at most `maxBuffered` plus one step's
// chunks are ever held.

/** Default for `maxBufferedChunks`: large enough that fast consumers never make the run wait. */
export const DEFAULT_MAX_BUFFERED_CHUNKS = 1024;

type Waiter<T> = { resolve: (result: IteratorResult<T>) => void; reject: (error: unknown) => void };

export class StreamBuffer<T> implements AsyncIterableIterator<T> {
  private items: T[] = [];
  private head = 0;
  private waiter: Waiter<T> | null = null;
  private spaceWaiter: (() => void) | null = null;
  private spacePromise: Promise<void> | null = null;
  private finished = false;
  private failure: { error: unknown } | null = null;
  /** Highest number of unread chunks ever held (tests assert the bound with it). */
  peakBuffered = 0;

  constructor(
    readonly maxBuffered: number = DEFAULT_MAX_BUFFERED_CHUNKS,
    /** Called when the consumer stops early (`break`, `return()`): the run should cancel. */
    private readonly onCancel?: (reason: unknown) => void,
  ) {}

  get size(): number {
    return this.items.length - this.head;
  }

  get closed(): boolean {
    return this.finished;
  }

  push(item: T): void {
    if (this.finished) return;
    const waiter = this.waiter;
    if (waiter !== null) {
      this.waiter = null;
      waiter.resolve({ value: item, done: false });
      return;
    }
    this.items.push(item);
    const size = this.items.length - this.head;
    if (size > this.peakBuffered) this.peakBuffered = size;
  }

  /** True when the producer should wait before starting more work. */
  get full(): boolean {
    return this.items.length - this.head > this.maxBuffered;
  }

  /**
   * Resolves once the consumer has read the buffer down to half the bound (hysteresis avoids
   * ping-pong), the buffer closed, or `signal` aborted. Every waiter shares one promise.
   */
  waitForSpace(signal?: AbortSignal): Promise<void> {
    if (this.spacePromise === null) {
      this.spacePromise = new Promise((resolve) => {
        this.spaceWaiter = resolve;
      });
    }
    if (!signal) return this.spacePromise;
    if (signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const onAbort = () => resolve();
      signal.addEventListener("abort", onAbort, { once: true });
      this.spacePromise!.then(() => {
        signal.removeEventListener("abort", onAbort);
        resolve();
      });
    });
  }

  close(): void {
    if (this.finished) return;
    this.finished = true;
    this.settleWaiter();
    this.releaseProducer();
  }

  fail(error: unknown): void {
    if (this.finished) return;
    this.finished = true;
    this.failure = { error };
    this.settleWaiter();
    this.releaseProducer();
  }

  next(): Promise<IteratorResult<T>> {
    if (this.head < this.items.length) {
      const value = this.take();
      if (this.spaceWaiter !== null && this.items.length - this.head <= this.maxBuffered >> 1) this.releaseProducer();
      return Promise.resolve({ value, done: false });
    }
    this.releaseProducer();
    if (this.finished) {
      if (this.failure) {
        const { error } = this.failure;
        this.failure = null;
        return Promise.reject(error);
      }
      return Promise.resolve({ value: undefined, done: true });
    }
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
    });
  }

  /** Synchronous read for `streamSync`: the next buffered chunk, or undefined when empty. */
  shift(): { value: T } | undefined {
    if (this.head >= this.items.length) return undefined;
    return { value: this.take() };
  }

  /** Removes the head chunk (the caller checked there is one); a long-consumed prefix is dropped so the array does not only grow. */
  private take(): T {
    const value = this.items[this.head]!;
    this.items[this.head] = undefined as T;
    this.head++;
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head > 4096 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return value;
  }

  /** The consumer left the loop (`break`, `return`) or threw into it: drop what is queued and stop the run. */
  private cancelByConsumer(reason: unknown): void {
    if (this.finished) return;
    this.finished = true;
    this.items = [];
    this.head = 0;
    this.releaseProducer();
    this.onCancel?.(reason);
  }

  return(reason?: unknown): Promise<IteratorResult<T>> {
    this.cancelByConsumer(reason);
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(error?: unknown): Promise<IteratorResult<T>> {
    this.cancelByConsumer(error);
    return Promise.reject(error);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private settleWaiter(): void {
    const waiter = this.waiter;
    if (waiter === null) return;
    this.waiter = null;
    if (this.failure) {
      const { error } = this.failure;
      this.failure = null;
      waiter.reject(error);
    } else {
      waiter.resolve({ value: undefined, done: true });
    }
  }

  private releaseProducer(): void {
    const resolve = this.spaceWaiter;
    if (resolve !== null) {
      this.spaceWaiter = null;
      this.spacePromise = null;
      resolve();
    }
  }
}
