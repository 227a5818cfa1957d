// Counts the subscriptions being served, so a shutdown can wait (bounded) until each has delivered its
// run's final event instead of cutting them off mid-stream.
export class SubscriptionTracker {
  private open = 0;
  private waiters: Array<() => void> = [];

  get count(): number {
    return this.open;
  }

  opened(): void {
    this.open += 1;
  }

  closed(): void {
    this.open -= 1;
    if (this.open === 0) {
      const waiters = this.waiters;
      this.waiters = [];
      for (const wake of waiters) wake();
    }
  }

  /** Resolves when no subscription is open, or after `timeoutMs`; true if drained. */
  drained(timeoutMs: number): Promise<boolean> {
    if (this.open === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== wake);
        resolve(false);
      }, timeoutMs);
      const wake = () => {
        clearTimeout(timer);
        resolve(true);
      };
      this.waiters.push(wake);
    });
  }
}
