// Replays share the event loop fairly with live runs. A replay (a subscriber that joined or resumed
// behind the live end of a run's log) has its whole backlog at hand, so without a bound a hundred of
// them would each send hundreds of events per loop turn and hold every live run's subscribers behind
// them for seconds. All replays of the process draw on one budget per loop turn (events, bytes and
// time, whichever runs out first); a replay that finds it spent waits for the next turn, after timers
// and I/O — a live run's next event — have had theirs. Replays waiting are woken together, in the order
// they started waiting, so the budget goes round them in turn. Subscribers that are live (caught up
// with the run) never touch it; they only note that they delivered (noteLiveDelivery), and while live
// runs are being delivered, replays in bulk get a smaller share of the loop (see resetOrRest).
import { performance } from "node:perf_hooks";

/** Live deliveries so far, process-wide (the event loop is): bumped per live message, read by pacers. */
let liveDeliveries = 0;

/** Called by a live subscriber (not a replay) for each message it sends. */
export function noteLiveDelivery(): void {
  liveDeliveries++;
}

export interface ReplayBudget {
  /** Events all replays together may send in one event-loop turn. */
  eventsPerTurn: number;
  /** ...JSON characters. */
  bytesPerTurn: number;
  /** ...milliseconds, from the turn's first replay send. */
  msPerTurn: number;
  /**
   * With several replays waiting and live runs delivered in the last second, replays rest this many
   * times as long as they worked (they get at most 1/(1 + this) of a busy loop); otherwise as long.
   */
  restWhileLive?: number;
}

/** About 1–2 ms of work a turn on this project's machine (see README, bench:stream's fairness figure). */
export const DEFAULT_REPLAY_BUDGET: ReplayBudget = { eventsPerTurn: 128, bytesPerTurn: 128 * 1024, msPerTurn: 1, restWhileLive: 4 };

/** How long after the last live delivery seen replays keep the smaller share. */
const LIVE_WINDOW_MS = 1000;

export class ReplayPacer {
  private events = 0;
  private bytes = 0;
  private turnStartedAt = -1;
  private waiters: Array<() => void> = [];
  private resetScheduled = false;
  private readonly reset = () => {
    this.resetScheduled = false;
    this.events = 0;
    this.bytes = 0;
    this.turnStartedAt = -1;
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  };

  constructor(
    readonly budget: ReplayBudget = DEFAULT_REPLAY_BUDGET,
    /** The clock (milliseconds): performance.now, or a test's. */
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** True while this turn's budget lasts. */
  canSend(): boolean {
    if (this.events >= this.budget.eventsPerTurn || this.bytes >= this.budget.bytesPerTurn) return false;
    return this.turnStartedAt < 0 || this.now() - this.turnStartedAt < this.budget.msPerTurn;
  }

  /** Events this turn's budget has left (time aside): a replay reads no more than this ahead. */
  remainingEvents(): number {
    return Math.max(0, this.budget.eventsPerTurn - this.events);
  }

  /** Records what a replay is about to send. */
  spend(events: number, bytes: number): void {
    if (this.turnStartedAt < 0) this.turnStartedAt = this.now();
    this.events += events;
    this.bytes += bytes;
    this.scheduleReset();
  }

  /** Resolves in the next loop turn, when the budget is renewed (at most one turn away). */
  nextTurn(): Promise<void> {
    return new Promise((resolve) => {
      this.waiters.push(resolve);
      this.scheduleReset();
    });
  }

  private scheduleReset(): void {
    if (this.resetScheduled) return;
    this.resetScheduled = true;
    setImmediate(this.resetOrRest);
  }

  /**
   * After a turn that used the whole budget with several replays waiting, replays rest as long as they
   * worked (at least a timer's millisecond), or `restWhileLive` times as long while live runs are
   * delivered, before the next: together they get at most about half of a busy loop (a fifth, by
   * default, beside live runs), and the rest is left to live runs, I/O and the garbage collector. A lone replay does not
   * rest (a playground tab opening a long finished run gets it at full speed, a slice a turn).
   */
  private readonly resetOrRest = () => {
    if (this.waiters.length > 1 && !this.canSend() && this.turnStartedAt >= 0) {
      const now = this.now();
      const worked = now - this.turnStartedAt;
      setTimeout(this.reset, Math.max(1, Math.ceil(worked * this.restFactor(now))));
    } else {
      this.reset();
    }
  };

  /** Deliveries before this pacer existed do not count. */
  private seenLiveDeliveries = liveDeliveries;
  private liveSeenAt = -Infinity;

  /**
   * 1, or `restWhileLive` while live runs are being delivered: every replayed message costs tRPC's
   * per-message allocations (measured: about 12 KB, a few percent of it kept past a young-generation
   * GC by tRPC's per-event promise race), so the replays' share of the loop sets how often a live
   * run's next event waits behind a scavenge.
   */
  private restFactor(now: number): number {
    if (liveDeliveries !== this.seenLiveDeliveries) {
      this.seenLiveDeliveries = liveDeliveries;
      this.liveSeenAt = now;
    }
    return now - this.liveSeenAt < LIVE_WINDOW_MS ? (this.budget.restWhileLive ?? 1) : 1;
  }
}
