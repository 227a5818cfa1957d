// Runs on threads: which run each thread has going (in this process), the thread's status as a projection
// of its runs, and double texting — what a run started on a thread that is running does, LangGraph's
// multitaskStrategy: "reject" (CONFLICT naming the running run), "enqueue" (starts once it has ended),
// "interrupt" (cancels it, keeping what it did), "rollback" (cancels it and drops its checkpoints).
// A thread whose run waits at an interrupt is not busy: a new run on it supersedes (cancels) that run.
import { RunRequestError } from "../runs/runErrors";
import { newRunId } from "../runs/runId";
import type { RunManager, StartRequest } from "../runs/runManager";
import type { RunStatusChange, RunRecord } from "../runs/runStore";
import { dropCheckpointsAfter } from "./checkpointRollback";
import type { ThreadStatus, ThreadStore } from "./threadStore";
import type { BaseCheckpointSaver } from "../../lib/graph/checkpoint/base";

import type { MultitaskStrategy } from "./threadIds";

export { MULTITASK_STRATEGIES, type MultitaskStrategy } from "./threadIds";

/** A thread's run that has not ended, as this process knows it. */
interface ThreadRun {
  runId: string;
  threadId: string;
  status: "running" | "interrupted";
  /** The checkpoint it started from (rollback drops what came after); undefined: the thread had none. */
  startedFrom: string | undefined;
  ended: boolean;
  /** Resolves once the run has ended and its engine stream has stopped (it writes no more checkpoints). */
  stopped: Promise<void>;
  markStopped: () => void;
}

export interface ThreadRunsOptions {
  store: ThreadStore;
  runs: () => RunManager;
  log?: (line: { level: "info" | "warn" | "error"; msg: string; [key: string]: unknown }) => void;
}

export class ThreadRuns {
  private readonly byThread = new Map<string, ThreadRun>();
  private readonly byRun = new Map<string, ThreadRun>();
  /** Status writes per thread, in order (a store may answer later than the next change comes). */
  private readonly writes = new Map<string, Promise<unknown>>();

  constructor(private readonly options: ThreadRunsOptions) {}

  /** The run a thread has going in this process, if any. */
  current(threadId: string): { runId: string; status: "running" | "interrupted" } | undefined {
    const run = this.byThread.get(threadId);
    return run && { runId: run.runId, status: run.status };
  }

  /**
   * Starts `request` on its thread (request.threadId), applying `strategy` when the thread is running.
   * `headOf` reads the thread's latest checkpoint id (read again after any wait). Throws RunRequestError.
   */
  async start(
    request: StartRequest & { threadId: string },
    owner: string,
    identity: string | null,
    strategy: MultitaskStrategy,
    saver: () => BaseCheckpointSaver | undefined,
    headOf: () => Promise<string | undefined>,
  ): Promise<RunRecord> {
    const { threadId } = request;
    for (;;) {
      const head = await headOf();
      const current = this.byThread.get(threadId);
      if (current && current.status === "running" && !current.ended) {
        if (strategy === "reject") {
          throw new RunRequestError(
            "CONFLICT",
            `thread "${threadId}" is busy with run "${current.runId}"; wait for it to end, cancel it, or start with ` +
              `multitaskStrategy "enqueue" (runs after it), "interrupt" (cancels it, keeps its progress) or "rollback" (cancels it and drops its checkpoints)`,
          );
        }
        if (strategy !== "enqueue") this.options.runs().cancel(current.runId, `${strategy === "rollback" ? "rolled back" : "interrupted"} by a new run on its thread (multitaskStrategy "${strategy}")`);
        await current.stopped;
        if (strategy === "rollback") await this.rollBack(current, saver());
        continue; // whoever got the thread meanwhile, look again
      }
      if (current && !current.ended) {
        // Waiting at an interrupt: superseded by the new run (rollback also drops what it did).
        this.options.runs().cancel(current.runId, `superseded by a new run on its thread (multitaskStrategy "${strategy}")`);
        await current.stopped;
        if (strategy === "rollback") await this.rollBack(current, saver());
        continue;
      }
      if (current) {
        // Ended; its engine is stopping. Start once it has stopped: its last checkpoints come first.
        await current.stopped;
        continue;
      }
      // No await from here to the start: no other start can slip in between.
      return this.startNow(request, owner, identity, head);
    }
  }

  /** Registers a run on a thread and starts it (synchronously; registered first, so no status change of it is missed). */
  startNow(request: StartRequest & { threadId: string }, owner: string, identity: string | null, startedFrom: string | undefined): RunRecord {
    // The client's runId names a run started meanwhile (a resent start): join it, as runs.start does.
    if (request.runId !== undefined && this.options.runs().get(request.runId)) return this.options.runs().start(request, owner, identity).record;
    const runId = request.runId ?? newRunId();
    let markStopped!: () => void;
    const stopped = new Promise<void>((resolve) => (markStopped = resolve));
    const run: ThreadRun = { runId, threadId: request.threadId, status: "running", startedFrom, ended: false, stopped, markStopped };
    this.byThread.set(run.threadId, run);
    this.byRun.set(runId, run);
    this.setThreadStatus(run.threadId, "busy");
    try {
      return this.options.runs().start({ ...request, runId }, owner, identity).record;
    } catch (error) {
      this.byRun.delete(runId);
      this.byThread.delete(run.threadId);
      markStopped();
      this.setThreadStatus(run.threadId, "idle");
      throw error;
    }
  }

  /** Cancels the thread's run, if any, and waits for its engine to stop (thread deletion). */
  async stop(threadId: string, reason: string): Promise<void> {
    const run = this.byThread.get(threadId);
    if (!run) return;
    if (!run.ended) this.options.runs().cancel(run.runId, reason);
    await run.stopped;
  }

  /** RunManager's onStatusChange: the thread's status follows its run's. */
  statusChanged(runId: string, change: RunStatusChange): void {
    const run = this.byRun.get(runId);
    if (!run) return;
    if (change.status === "running" || change.status === "interrupted") {
      run.status = change.status;
      this.setThreadStatus(run.threadId, change.status === "running" ? "busy" : "interrupted");
      return;
    }
    run.ended = true;
    this.setThreadStatus(run.threadId, change.status === "error" ? "error" : "idle");
  }

  /** RunManager's onRunStopped: the run's engine writes no more checkpoints; the thread is free. */
  runStopped(runId: string): void {
    const run = this.byRun.get(runId);
    if (!run) return;
    this.byRun.delete(runId);
    if (this.byThread.get(run.threadId) === run) this.byThread.delete(run.threadId);
    run.markStopped();
  }

  /** Waits for the thread's status writes so far: a read after it sees the status the last change set. */
  async settled(threadId: string): Promise<void> {
    await this.writes.get(threadId);
  }

  /** Waits for every thread's status writes so far (a list, a shutdown). */
  async settledAll(): Promise<void> {
    if (this.writes.size > 0) await Promise.all(this.writes.values());
  }

  private async rollBack(run: ThreadRun, saver: BaseCheckpointSaver | undefined): Promise<void> {
    if (!saver) return;
    try {
      await dropCheckpointsAfter(saver, run.threadId, run.startedFrom);
    } catch (error) {
      throw new RunRequestError("PRECONDITION_FAILED", `run "${run.runId}" was cancelled but could not be rolled back: ${(error as Error).message}`);
    }
  }

  private setThreadStatus(threadId: string, status: ThreadStatus): void {
    const at = Date.now();
    const previous = this.writes.get(threadId) ?? Promise.resolve();
    const next = previous
      .then(() => this.options.store.setStatus(threadId, status, at))
      .catch((error: unknown) => this.options.log?.({ level: "warn", msg: "could not record a thread's status", threadId, status, error: String(error) }));
    this.writes.set(threadId, next);
    void next.then(() => {
      if (this.writes.get(threadId) === next) this.writes.delete(threadId);
    });
  }
}
