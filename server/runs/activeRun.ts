// The in-process side of a run that has not ended: its graph, how it was asked to stream, the abort
// controller of its current engine stream, its timers, and the one-shot signal followers wait on.
import type { StreamMode } from "../../lib/graph/types";
import type { StreamableGraph } from "./graphSource";

export class ActiveRun {
  /** Set once the final event is logged; later engine output is dropped. */
  ended = false;
  running = true;
  controller: AbortController | null = null;
  /** True while an engine stream of this run is being read (its last step may still write checkpoints). */
  driving = false;
  /**
   * Settles once its current engine stream stopped (never rejects): an aborted engine first waits for
   * its checkpoint writes to reach the saver, so once this settled the run's checkpoints are committed.
   */
  engineStopped: Promise<void> | null = null;
  /** Stopped at a shutdown but not ended in the (durable) store: the next process continues it; its checkpoints stay. */
  detached = false;
  /** Its final status is stored (committed, with a durable store). */
  endCommitted = false;
  /** onRunStopped was called for it (once). */
  stopReported = false;
  /** Its newest append to a durable store, committed or not (null with the memory store). */
  commits: PromiseLike<number> | null = null;
  /** A continuation waits on `commits` (or an older append) to wake followers once committed. */
  followingCommits = false;
  timer: NodeJS.Timeout | null = null;
  private waiters: Array<() => void> = [];
  private endedResolve!: () => void;
  /** Resolves once the run's final event is logged. */
  readonly whenEnded: Promise<void> = new Promise((resolve) => (this.endedResolve = resolve));

  constructor(
    readonly runId: string,
    readonly owner: string,
    readonly graph: StreamableGraph,
    /** The modes the client asked for: only these reach the log. */
    readonly requested: ReadonlySet<StreamMode>,
    /** What the engine streams: the requested modes, plus "updates" (where it reports interrupts) for an engine without an outcome. */
    readonly engineModes: StreamMode[],
    readonly configurable: Record<string, unknown>,
    readonly recursionLimit: number | undefined,
    /** Whether the engine streams subgraphs' events too (their parts then carry a namespace). */
    readonly subgraphs = false,
  ) {}

  /** Calls `wake` once, after the next append (or when the run ends). */
  onNextAppend(wake: () => void): void {
    this.waiters.push(wake);
  }

  markEnded(): void {
    this.ended = true;
    this.endedResolve();
  }

  notifyAppended(): void {
    if (this.waiters.length === 0) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  setTimer(ms: number, onFire: () => void): void {
    this.clearTimer();
    if (!Number.isFinite(ms) || ms <= 0) return;
    this.timer = setTimeout(onFire, ms);
    this.timer.unref();
  }

  clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
