// LangGraph.js's StreamChannel: a list a streamEvents v3 transformer pushes items into. Read it as an async
// iterable (from the start, waiting for more until the run ends); a named channel (`StreamChannel.remote(name)`)
// also shows each item as a `custom:<name>` protocol event of the run.
const BRAND = Symbol.for("langgraph.stream_channel");

export class StreamChannel<T = unknown> implements AsyncIterable<T> {
  readonly [BRAND] = true;
  private readonly items: T[] = [];
  private waiters: Array<() => void> = [];
  private ended = false;
  private error: unknown = undefined;
  private onPush: ((item: T) => void) | undefined = undefined;

  constructor(readonly channelName?: string) {}

  /** A channel read only through `run.extensions`. */
  static local<T>(): StreamChannel<T> {
    return new StreamChannel<T>();
  }

  /** A channel whose items are also protocol events `custom:<name>`. */
  static remote<T>(name: string): StreamChannel<T> {
    return new StreamChannel<T>(name);
  }

  static isInstance(value: unknown): value is StreamChannel {
    return typeof value === "object" && value !== null && (value as { [BRAND]?: unknown })[BRAND] === true;
  }

  push(item: T): void {
    this.items.push(item);
    this.wake();
    this.onPush?.(item);
  }

  get(index: number): T {
    if (index < 0 || index >= this.items.length) throw new RangeError(`StreamChannel index ${index} out of bounds (size=${this.items.length})`);
    return this.items[index];
  }

  get size(): number {
    return this.items.length;
  }

  get done(): boolean {
    return this.ended;
  }

  close(): void {
    this.ended = true;
    this.wake();
  }

  fail(error: unknown): void {
    this.error = error;
    this.close();
  }

  iterate(startAt = 0): AsyncIterator<T> {
    let cursor = startAt;
    return {
      next: async (): Promise<IteratorResult<T>> => {
        for (;;) {
          if (cursor < this.items.length) return { value: this.items[cursor++], done: false };
          if (this.ended) {
            if (this.error !== undefined) throw this.error;
            return { value: undefined, done: true };
          }
          await new Promise<void>((resolve) => this.waiters.push(resolve));
        }
      },
    };
  }

  toAsyncIterable(startAt = 0): AsyncIterable<T> {
    return { [Symbol.asyncIterator]: () => this.iterate(startAt) };
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return this.iterate();
  }

  /** The run's hook: called with each pushed item (streamTransformers.ts). */
  _wire(onPush: (item: T) => void): void {
    this.onPush = onPush;
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}
