// Runs on threads: which run each thread has going (in this process), the thread's status as a projection
// of its runs, and double texting — what a run started on a thread that is running does, LangGraph's
// multitaskStrategy: "reject" (CONFLICT naming the running run), "enqueue" (starts once it has ended),
// "interrupt" (cancels it, keeping what it did), "rollback" (cancels it and drops its checkpoints).
// A thread whose run waits at an interrupt is not busy: a new run on it supersedes (cancels) that run.
// In a deployment (server/cluster/) a thread's run may be going on another process, or queued: the run
// leases in PostgreSQL say so (RunsElsewhere.threadRun), and admitting a new run's lease refuses it while
// its thread has another (ThreadBusyError), so two processes never both start a run on one thread.
import { RunRequestError } from "../runs/runErrors";
import { newRunId } from "../runs/runId";
import type { RunManager, RunsElsewhere, StartRequest } from "../runs/runManager";
import { isPromise, settle, then, type MaybePromise } from "../runs/maybePromise";
import type { RunStatusChange, RunRecord } from "../runs/runStore";
import { dropCheckpointsAfter } from "./checkpointRollback";
import type { ThreadStatus, ThreadStore } from "./threadStore";
import type { BaseCheckpointSaver, CheckpointTuple } from "../../lib/graph/checkpoint/base";
import { ThreadBusyError } from "../runs/stores/durable/deploymentErrors";

import type { MultitaskStrategy } from "./threadIds";

export { MULTITASK_STRATEGIES, type MultitaskStrategy } from "./threadIds";

/** A thread's run that has not ended, as this process knows it. */
interface ThreadRun {
  runId: string;
  threadId: string;
  status: "running" | "interrupted";
  /** The checkpoint it started from (rollback drops what came after); undefined: the thread had none. */
  startedFrom: string | undefined;
  /** Started elsewhere and continued here (queued, taken over, left by a restart): where it started from is found from its checkpoints. */
  adopted?: true;
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

function busyError(threadId: string, runId: string): RunRequestError {
  return new RunRequestError(
    "CONFLICT",
    `thread "${threadId}" is busy with run "${runId}"; wait for it to end, cancel it, or start with ` +
      `multitaskStrategy "enqueue" (runs after it), "interrupt" (cancels it, keeps its progress) or "rollback" (cancels it and drops its checkpoints)`,
  );
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
        if (strategy === "reject") throw busyError(threadId, current.runId);
        if (strategy !== "enqueue") this.options.runs().cancel(current.runId, `${strategy === "rollback" ? "rolled back" : "interrupted"} by a new run on its thread (multitaskStrategy "${strategy}")`);
        await current.stopped;
        if (strategy === "rollback") await this.rollBackCurrent(current, saver());
        continue; // whoever got the thread meanwhile, look again
      }
      if (current && !current.ended) {
        // Waiting at an interrupt: superseded by the new run (rollback also drops what it did).
        this.options.runs().cancel(current.runId, `superseded by a new run on its thread (multitaskStrategy "${strategy}")`);
        await current.stopped;
        if (strategy === "rollback") await this.rollBackCurrent(current, saver());
        continue;
      }
      if (current) {
        // Ended; its engine is stopping. Start once it has stopped: its last checkpoints come first.
        await current.stopped;
        continue;
      }
      const elsewhere = this.options.runs().elsewhere;
      if (elsewhere) {
        const other = await elsewhere.threadRun(threadId);
        if (this.byThread.has(threadId)) continue; // a start here took the thread meanwhile: look again
        if (other) {
          await this.settleElsewhere(elsewhere, threadId, other, strategy, saver);
          continue;
        }
      }
      // No await from here to the start: no other start can slip in between (in a deployment, a start on
      // another process may: the lease's admission refuses one of the two, and it looks again).
      try {
        return await this.startNow(request, owner, identity, head);
      } catch (error) {
        if (error instanceof ThreadBusyError) continue;
        throw error;
      }
    }
  }

  /**
   * The thread's run goes on elsewhere in the deployment (another process executes it, or it is queued):
   * applies `strategy` as for a run here, and resolves once the run has ended (or throws CONFLICT).
   */
  private async settleElsewhere(
    elsewhere: RunsElsewhere,
    threadId: string,
    other: { runId: string; status: "running" | "interrupted" },
    strategy: MultitaskStrategy,
    saver: () => BaseCheckpointSaver | undefined,
  ): Promise<void> {
    if (other.status === "running") {
      if (strategy === "reject") throw busyError(threadId, other.runId);
      if (strategy === "enqueue") return elsewhere.whenEnded(other.runId);
    }
    const reason =
      other.status === "interrupted"
        ? `superseded by a new run on its thread (multitaskStrategy "${strategy}")`
        : `${strategy === "rollback" ? "rolled back" : "interrupted"} by a new run on its thread (multitaskStrategy "${strategy}")`;
    await this.options.runs().cancel(other.runId, reason);
    await elsewhere.whenEnded(other.runId);
    if (strategy === "rollback") await this.rollBackRun(threadId, other.runId, saver());
  }

  /** Registers a run on a thread and starts it (synchronously; registered first, so no status change of it is missed). */
  startNow(request: StartRequest & { threadId: string }, owner: string, identity: string | null, startedFrom: string | undefined): MaybePromise<RunRecord> {
    // The client's runId names a run started meanwhile (a resent start): join it, as runs.start does.
    if (request.runId !== undefined) {
      const runs = this.options.runs();
      const existing = runs.get(request.runId);
      const join = () => then(runs.start(request, owner, identity), (started) => started.record);
      if (isPromise(existing)) return Promise.resolve(existing).then((found) => (found ? join() : this.register(request, owner, identity, startedFrom)));
      if (existing) return join();
    }
    return this.register(request, owner, identity, startedFrom);
  }

  private register(request: StartRequest & { threadId: string }, owner: string, identity: string | null, startedFrom: string | undefined): MaybePromise<RunRecord> {
    const runId = request.runId ?? newRunId();
    let markStopped!: () => void;
    const stopped = new Promise<void>((resolve) => (markStopped = resolve));
    const run: ThreadRun = { runId, threadId: request.threadId, status: "running", startedFrom, ended: false, stopped, markStopped };
    this.byThread.set(run.threadId, run);
    this.byRun.set(runId, run);
    this.setThreadStatus(run.threadId, "busy");
    const runs = this.options.runs();
    return settle(
      () => runs.start({ ...request, runId }, owner, identity),
      (started) => {
        // Queued for a worker (a deployment): it goes on elsewhere, and the deployment tracks it (its lease).
        if (started.record.executor === undefined && runs.elsewhere) this.forget(run);
        return started.record;
      },
      (error) => {
        this.forget(run);
        // Another process's run holds the thread: its status is that run's.
        if (!(error instanceof ThreadBusyError)) this.setThreadStatus(run.threadId, "idle");
        throw error;
      },
    );
  }

  private forget(run: ThreadRun): void {
    this.byRun.delete(run.runId);
    if (this.byThread.get(run.threadId) === run) this.byThread.delete(run.threadId);
    run.markStopped();
  }

  /** Cancels the thread's run, if any, and waits for its engine to stop (thread deletion). */
  async stop(threadId: string, reason: string): Promise<void> {
    const run = this.byThread.get(threadId);
    if (!run) return;
    if (!run.ended) this.options.runs().cancel(run.runId, reason);
    await run.stopped;
  }

  /**
   * RunManager's onStatusChange: the thread's status follows its run's, wherever the run was started (a
   * run continued here, started on another process or before a restart, is adopted as this process's).
   * A run on a thread of its own (`threadId` its run id: runs.start without a thread) has no thread record.
   */
  statusChanged(runId: string, change: RunStatusChange, threadId?: string): void {
    let run = this.byRun.get(runId);
    if (!run) {
      if (threadId === undefined || threadId === runId) return;
      if (change.status !== "running" && change.status !== "interrupted") {
        this.setThreadStatus(threadId, change.status === "error" ? "error" : "idle");
        return;
      }
      run = this.adopt(runId, threadId);
    }
    if (change.status === "running" || change.status === "interrupted") {
      run.status = change.status;
      this.setThreadStatus(run.threadId, change.status === "running" ? "busy" : "interrupted");
      return;
    }
    run.ended = true;
    this.setThreadStatus(run.threadId, change.status === "error" ? "error" : "idle");
  }

  /** A run executed here that was started elsewhere: tracked as one started here (double texting sees it). */
  private adopt(runId: string, threadId: string): ThreadRun {
    let markStopped!: () => void;
    const stopped = new Promise<void>((resolve) => (markStopped = resolve));
    const run: ThreadRun = { runId, threadId, status: "running", startedFrom: undefined, adopted: true, ended: false, stopped, markStopped };
    this.byRun.set(runId, run);
    if (!this.byThread.has(threadId)) this.byThread.set(threadId, run);
    return run;
  }

  /** RunManager's onRunLeft: the run goes on in another process (or the next one); this process forgets it. */
  runLeft(runId: string): void {
    const run = this.byRun.get(runId);
    if (run) this.forget(run);
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

  /**
   * Rolls back a run another process executed: what it made starts after the parent of its first
   * checkpoint (each checkpoint names its run: metadata.run_id); nothing when it saved none.
   */
  private async rollBackRun(threadId: string, runId: string, saver: BaseCheckpointSaver | undefined): Promise<void> {
    if (!saver) return;
    let first: CheckpointTuple | undefined;
    for await (const tuple of saver.list({ configurable: { thread_id: threadId, checkpoint_ns: "" } }, { filter: { run_id: runId } })) first = tuple;
    if (!first) return;
    const startedFrom = first.parentConfig?.configurable?.checkpoint_id as string | undefined;
    await this.rollBack({ runId, threadId, startedFrom }, saver);
  }

  /** Rolls back the thread's run of this process (an adopted one: as one of another process's). */
  private rollBackCurrent(run: ThreadRun, saver: BaseCheckpointSaver | undefined): Promise<void> {
    return run.adopted ? this.rollBackRun(run.threadId, run.runId, saver) : this.rollBack(run, saver);
  }

  private async rollBack(run: Pick<ThreadRun, "runId" | "threadId" | "startedFrom">, saver: BaseCheckpointSaver | undefined): Promise<void> {
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
