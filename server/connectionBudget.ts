// What one connection may ask of the server per unit of time, so that no client can crowd out the
// others: calls a second (a token bucket holding one second's worth, refilled continuously) and
// subscriptions replaying a run's log at once. One per WebSocket connection; over HTTP, one per TCP
// connection (keep-alive requests share it). Batch size is tRPC's own `maxBatchSize`, set on both adapters.
import { performance } from "node:perf_hooks";

export interface ConnectionLimits {
  /** RILL_MAX_CALLS_PER_SECOND */
  maxCallsPerSecond: number;
  /** RILL_MAX_REPLAYS_PER_CONNECTION */
  maxReplays: number;
  /** RILL_MAX_BATCH_SIZE (enforced by tRPC's adapters; kept here to name it in their error). */
  maxBatchSize: number;
}

export class ConnectionBudget {
  private tokens: number;
  private refilledAt: number;
  private replays = 0;

  constructor(
    readonly limits: ConnectionLimits,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = limits.maxCallsPerSecond;
    this.refilledAt = now();
  }

  /** Spends one call; false when the connection is over RILL_MAX_CALLS_PER_SECOND. */
  takeCall(): boolean {
    const now = this.now();
    const rate = this.limits.maxCallsPerSecond;
    this.tokens = Math.min(rate, this.tokens + ((now - this.refilledAt) / 1000) * rate);
    this.refilledAt = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Counts a replay in; false (and not counted) when the connection already runs its limit of them. */
  beginReplay(): boolean {
    if (this.replays >= this.limits.maxReplays) return false;
    this.replays += 1;
    return true;
  }

  endReplay(): void {
    this.replays = Math.max(0, this.replays - 1);
  }

  get replaying(): number {
    return this.replays;
  }
}

export function tooManyCallsMessage(limits: ConnectionLimits): string {
  return `this connection made more than ${limits.maxCallsPerSecond} calls in a second, the limit per connection (RILL_MAX_CALLS_PER_SECOND=${limits.maxCallsPerSecond}); slow down`;
}

export function tooManyReplaysMessage(limits: ConnectionLimits): string {
  return `this connection has ${limits.maxReplays} subscriptions replaying a run's log, the limit per connection (RILL_MAX_REPLAYS_PER_CONNECTION=${limits.maxReplays}); try again when one has caught up`;
}

/** (Over HTTP tRPC refuses the batch before there is a context: the value is then in system.info's limits.maxBatchSize.) */
export function batchTooLargeMessage(maxBatchSize: number | undefined): string {
  const value = maxBatchSize === undefined ? " (its value: system.info limits.maxBatchSize)" : `=${maxBatchSize}`;
  return `a batch of more calls than this server takes in one message (RILL_MAX_BATCH_SIZE${value}); send fewer calls at once`;
}
