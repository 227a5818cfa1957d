// Replays share the event loop fairly with live runs. A replay (a subscriber that joined or resumed
// behind the live end of a run's log) has its whole backlog at hand, so without a bound a hundred of
// them would each send hundreds of events per loop turn and hold every live run's subscribers behind
// them for seconds. All replays of the process draw on one budget per loop turn (events, bytes and
// time, whichever runs out first); a replay that finds it spent waits for the next turn, after timers
// and I/O — a live run's next event — have had theirs. Replays waiting are woken together, in the order
// they started waiting, so the budget goes round them in turn. Subscribers that are live (caught up
// with the run) never touch it.
import { performance } from "node:perf_hooks";

export interface ReplayBudget {
  /** Events all replays together may send in one event-loop turn. */
  eventsPerTurn: number;
  /** ...JSON characters. */
  bytesPerTurn: number;
  /** ...milliseconds, from the turn's first replay send. */
  msPerTurn: number;
}

/** About 1–2 ms of work a turn on this project's machine (see README, bench:stream's fairness figure). */
export const DEFAULT_REPLAY_BUDGET: ReplayBudget = { eventsPerTurn: 128, bytesPerTurn: 128 * 1024, msPerTurn: 1 };

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

  constructor(readonly budget: ReplayBudget = DEFAULT_REPLAY_BUDGET) {}

  /** True while this turn's budget lasts. */
  canSend(): boolean {
    if (this.events >= this.budget.eventsPerTurn || this.bytes >= this.budget.bytesPerTurn) return false;
    return this.turnStartedAt < 0 || performance.now() - this.turnStartedAt < this.budget.msPerTurn;
  }

  /** Records what a replay is about to send. */
  spend(events: number, bytes: number): void {
    if (this.turnStartedAt < 0) this.turnStartedAt = performance.now();
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
   * worked (at least a timer's millisecond) before the next: together they get at most about half of a
   * busy loop, and the rest is left to live runs, I/O and the garbage collector. A lone replay does not
   * rest (a playground tab opening a long finished run gets it at full speed, a slice a turn).
   */
  private readonly resetOrRest = () => {
    if (this.waiters.length > 1 && !this.canSend() && this.turnStartedAt >= 0) {
      const worked = performance.now() - this.turnStartedAt;
      setTimeout(this.reset, Math.max(1, Math.ceil(worked)));
    } else {
      this.reset();
    }
  };
}
