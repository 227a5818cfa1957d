// The external store React reads a run from. Events are folded into the mutable RunData as they arrive
// (cheap, any rate); subscribers are told at most once per animation frame, with a fresh immutable
// RunView of counters, so React renders per frame rather than per token. A timer backs up
// requestAnimationFrame, which does not fire in hidden tabs.
import type { WireRunEvent } from "./wireTypes";
import { applyRunEvent, createRunData, type ClientRunStatus, type RunData } from "./runStore";

export interface RunView {
  /** The mutable run; read its lists only up to the counts in this view. */
  readonly run: RunData;
  readonly frame: number;
  readonly status: ClientRunStatus;
  readonly runId: string | null;
  readonly eventCount: number;
  readonly tokenCount: number;
  readonly valuesCount: number;
  readonly updatesCount: number;
  readonly messagesVersion: number;
  readonly customCount: number;
  readonly tasksVersion: number;
  /** Tasks in the timeline (the diagram counts them). */
  readonly taskCount: number;
  /** The timeline's right end at this frame (see RunData.timelineEnd). */
  readonly timelineEnd: number;
  readonly nodesVersion: number;
  readonly metaVersion: number;
  /** Why the run could not start or the subscription failed (bad input, unknown run, ...). */
  readonly failure: string | null;
  /** How this tab got its events: "live", or restored from this tab's storage then resumed after an id. */
  readonly resumedAfter: string | null;
  readonly restoredCount: number;
}

const FALLBACK_FLUSH_MS = 100;

export class LiveRunStore {
  private run: RunData = createRunData();
  private view: RunView;
  private frame = 0;
  private failure: string | null = null;
  private resumedAfter: string | null = null;
  private restoredCount = 0;
  private readonly listeners = new Set<() => void>();
  private rafHandle: number | null = null;
  private timerHandle: ReturnType<typeof setTimeout> | null = null;

  constructor() {
    this.view = this.makeView();
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  readonly getSnapshot = (): RunView => this.view;

  get data(): RunData {
    return this.run;
  }

  /** Folds one event in; false when it was a duplicate. Rendering follows on the next frame. */
  ingest(id: string, event: WireRunEvent): boolean {
    const applied = applyRunEvent(this.run, id, event, performance.timeOrigin + performance.now());
    if (applied) this.schedule();
    return applied;
  }

  /** Starts over for a new run (or a fresh join); renders at once. */
  reset(status: ClientRunStatus = "idle"): void {
    this.run = createRunData();
    this.run.status = status;
    this.failure = null;
    this.resumedAfter = null;
    this.restoredCount = 0;
    this.flush();
  }

  /** Applies events this tab saved before a reload, without rendering each one. */
  restore(events: ReadonlyArray<readonly [string, WireRunEvent, number]>): void {
    for (const [id, event, receivedAt] of events) applyRunEvent(this.run, id, event, receivedAt);
    this.restoredCount = events.length;
    this.resumedAfter = this.run.lastEventId;
    this.flush();
  }

  setStatus(status: ClientRunStatus): void {
    this.run.status = status;
    this.run.versions.meta++;
    this.schedule();
  }

  setFailure(message: string | null): void {
    this.failure = message;
    this.schedule();
  }

  /** Renders now instead of on the next frame. */
  flush(): void {
    this.cancelScheduled();
    this.frame++;
    this.view = this.makeView();
    for (const listener of this.listeners) listener();
  }

  dispose(): void {
    this.cancelScheduled();
    this.listeners.clear();
  }

  private schedule(): void {
    if (this.rafHandle !== null || this.timerHandle !== null) return;
    if (typeof requestAnimationFrame === "function") this.rafHandle = requestAnimationFrame(() => this.flush());
    this.timerHandle = setTimeout(() => this.flush(), FALLBACK_FLUSH_MS);
  }

  private cancelScheduled(): void {
    if (this.rafHandle !== null) cancelAnimationFrame(this.rafHandle);
    if (this.timerHandle !== null) clearTimeout(this.timerHandle);
    this.rafHandle = null;
    this.timerHandle = null;
  }

  private makeView(): RunView {
    const run = this.run;
    return {
      run,
      frame: this.frame,
      status: run.status,
      runId: run.runId,
      eventCount: run.events.length,
      tokenCount: run.tokenCount,
      valuesCount: run.values.length,
      updatesCount: run.updates.length,
      messagesVersion: run.versions.messages,
      customCount: run.custom.length,
      tasksVersion: run.versions.tasks,
      taskCount: run.tasks.length,
      timelineEnd: run.timelineEnd,
      nodesVersion: run.versions.nodes,
      metaVersion: run.versions.meta,
      failure: this.failure,
      resumedAfter: this.resumedAfter,
      restoredCount: this.restoredCount,
    };
  }
}
