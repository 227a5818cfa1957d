// One graph's superstep loop (the root graph's, or a subgraph's inside a parent task). Every task of a
// step reads the state as of the step's start; the step's writes are applied after all its tasks
// finished, in a fixed order (node name, then Send index), through the reducers.
//
// The loop has no awaits of its own: each phase returns `undefined` when it completed synchronously
// or a promise when some node was asynchronous, and the driver (drive.ts) awaits only then. A graph
// of synchronous nodes therefore runs without allocating a promise per step, and `streamSync` runs
// the very same code.
//
// This file holds the loop's state and the step cycle (nextStep, commitStep); its phases live beside it:
// begin.ts (input or resume), resume.ts (restoring a checkpoint), planning.ts (what runs next),
// runTasks.ts and taskResults.ts (running a step, recording its results), nodeOutput.ts (a node's return
// value), branches.ts (conditional edges), checkpointing.ts (saving), updateState.ts (updateState).
import { INTERRUPT } from "../constants";
import { GraphInterrupt, GraphValueError, recursionError } from "../errors";
import type { Send } from "../send";
import type { CheckpointConfig, CheckpointPendingWrite, CheckpointTuple } from "../checkpoint/base";
import type { ModeFlags } from "../stream/streamSink";
import type { Interrupt, Namespace, StateValues, StreamMode } from "../types";
import { hashHex32 } from "./ids";
import { markInputMessagesSeen } from "./messageScan";
import type { Exits, GraphPlan, PlanNode } from "./plan";
import type { RunShared } from "./runShared";
import { announceStart } from "./debugPayloads";
import { planNextTasks, releaseDeferredTasks, sortForApply, type RouteSource } from "./planning";
import type { Task } from "./task";
import type { ThreadStore } from "./threadStore";
import { GraphDrained } from "../nodeOptions/errors";
import { beginLoop } from "./begin";
import { runBranches } from "./branches";
import { currentCheckpointId, flushDeferredCheckpoint, keepFinishedWrites, persistPendingWrites, saveCheckpoint } from "./checkpointing";
import { collectWrites } from "./nodeOutput";
import { pickKeys } from "./pickKeys";
import { runStepTasks } from "./runTasks";
import { recordHandledFailure, recordTaskResult } from "./taskResults";
import { applyUpdates } from "./updateState";


function noop(): void {}

export interface LoopOptions {
  run: RunShared;
  plan: GraphPlan;
  ns: Namespace;
  checkpointNs: string;
  streams: ModeFlags;
  store: ThreadStore | undefined;
  /** Subgraph loops: the parent task, whose resume values reach the subgraph's interrupted tasks. */
  parentTask?: Task;
  /** The `configurable` its nodes see (before their `checkpoint_ns`); default: the parent loop's, else the run's. */
  configurable?: Record<string, unknown> | null;
}

export type LoopStatus = "running" | "done" | "interrupted" | "drained";

export class PregelLoop {
  readonly run: RunShared;
  readonly plan: GraphPlan;
  readonly ns: Namespace;
  readonly checkpointNs: string;
  readonly streams: ModeFlags;
  readonly writer: (chunk: unknown) => void;
  readonly store: ThreadStore | undefined;
  /** The `configurable` its nodes see (before their `checkpoint_ns`); null when none. */
  readonly configurable: Record<string, unknown> | null;
  state: StateValues = {};
  /** The step the current tasks belong to. */
  step = 0;
  /** The step past which the run fails with GraphRecursionError. */
  stop = 0;
  tasks: Task[] = [];
  status: LoopStatus = "running";
  /** The interrupts that stopped the run (status "interrupted"). */
  interrupts: Interrupt[] = [];
  /** Join and deferred-node barriers (planning.ts), saved with checkpoints. */
  barriers = new Map<string, Set<string>>();
  /** The step's failures, in the order they were recorded (taskResults.ts). */
  failures: unknown[] = [];
  /** The last node that wrote (updateState without asNode writes as it). */
  lastNode: string | undefined = undefined;
  checkpointConfig: CheckpointConfig | undefined = undefined;
  /** The first step after resuming from a checkpoint does not stop again for interruptBefore. */
  skipInterruptBefore = false;
  /** The checkpoint the root loop was asked to start from (config's checkpoint_id, or a subgraph checkpoint's parent). */
  requestedCheckpointId: string | undefined = undefined;
  /** A subgraph loop time-travelling to the checkpoint of its namespace that the run's config named. */
  timeTravelTarget = false;
  /** updateState on a subgraph's namespace: the parent checkpoints its new checkpoint is made under. */
  detachedParents: Record<string, string> | null = null;
  readonly parentTask: Task | undefined;
  /** True for a subgraph's loop (it runs inside a parent task). */
  get isNested(): boolean {
    return this.parentTask !== undefined;
  }

  /** Static interrupts: the compiled ones, or the run's own (`interruptBefore` in the config) at the root. */
  private readonly interruptBefore: ReadonlySet<string>;
  private readonly interruptAfter: ReadonlySet<string>;

  constructor(options: LoopOptions) {
    this.run = options.run;
    this.plan = options.plan;
    this.ns = options.ns;
    this.checkpointNs = options.checkpointNs;
    this.streams = options.streams;
    this.store = options.store;
    this.parentTask = options.parentTask;
    this.configurable = options.configurable !== undefined ? options.configurable : (options.parentTask?.loop.configurable ?? options.run.userConfigurable);
    this.writer = this.streams.custom ? (chunk: unknown) => this.emit("custom", chunk) : noop;
    const config = this.run.config;
    const root = this.parentTask === undefined;
    this.interruptBefore = root && config.interruptBefore ? new Set(config.interruptBefore as string[]) : this.plan.interruptBefore;
    this.interruptAfter = root && config.interruptAfter ? new Set(config.interruptAfter as string[]) : this.plan.interruptAfter;
  }

  emit(mode: StreamMode, chunk: unknown): void {
    this.run.sink.emit(this.ns, mode, chunk);
  }

  /** Loads the thread's checkpoint (if any) and applies the input: a new input, null (continue) or a Command (resume) (begin.ts). */
  begin(input: unknown): void | Promise<void> {
    return beginLoop(this, input);
  }

  // ------------------------------------------------------------------ steps

  /**
   * Whether a step is to run: false when the run finished or stopped at an interrupt. Emits the
   * task-start events of the step. Throws GraphRecursionError past the recursion limit.
   */
  nextStep(): boolean {
    if (this.status !== "running") return false;
    let tasks = this.tasks;
    if (tasks.length === 0 && this.plan.hasDeferred) tasks = this.tasks = releaseDeferredTasks(this, this.barriers);
    if (tasks.length === 0) {
      this.status = "done";
      return false;
    }
    const control = this.run.controlValue;
    if (control !== undefined && control.drainRequested) {
      // RunControl.requestDrain(): the step that ran is checkpointed; finish() throws GraphDrained once saved.
      this.status = "drained";
      this.drainReason = control.drainReason!;
      return false;
    }
    if (this.step > this.stop) throw recursionError(this.run.recursionLimit);
    if (this.skipInterruptBefore) this.skipInterruptBefore = false;
    else if (this.interruptBefore.size > 0 && tasks.some((t) => this.interruptBefore.has(t.name))) {
      this.stopAtStaticInterrupt();
      return false;
    }
    const streams = this.streams;
    const announce = streams.tasks || streams.debug;
    const scanMessages = streams.messages;
    for (const task of tasks) {
      if (task.restored) {
        // Finished before the interrupt this run resumes from: its writes are reused, and its update
        // is streamed again marked as cached (as LangGraph.js does).
        if (streams.updates) this.emit("updates", { [task.name]: task.updatesValue(), __metadata__: { cached: true } });
        continue;
      }
      if (!task.isPush) task.input = task.node.inputKeys === null ? { ...this.state } : pickKeys(this.state, task.node.inputKeys);
      if (scanMessages) markInputMessagesSeen(task.input, this.run.seenMessageIds);
      if (announce) announceStart(this, task);
    }
    return true;
  }

  /** Runs the step's tasks; undefined when all of them finished synchronously. Never rejects (runTasks.ts). */
  runTasks(execute: (loop: PregelLoop, task: Task) => Promise<void> | undefined): Promise<void> | undefined {
    return runStepTasks(this, execute);
  }

  /** Successes held while a step's tasks are being started (runTasks.ts). */
  heldSuccesses: Task[] | null = null;
  /** The first failure while a step's tasks were being started: the run fails once all have started. */
  failAfterStart: { error: unknown } | null = null;

  /** Records a finished task and streams its result, in completion order (taskResults.ts). */
  taskDone(task: Task, output: unknown): void {
    recordTaskResult(this, task, output);
  }

  /** Parses what a node returned into writes and routes (nodeOutput.ts). */
  collectWrites(task: Task, output: unknown): void {
    collectWrites(task, output);
  }

  /** Runs the conditional edges leaving `exits` and appends their destinations to `owner`'s routes (branches.ts). */
  runBranches(exits: Exits, state: StateValues, config: object, owner: { addRoute(dest: string | Send): void }): Promise<void> | undefined {
    return runBranches(this, exits, state, config, owner);
  }

  /** What an `interrupt(value)` call inside `task` does. */
  interrupt(task: Task, value: unknown): unknown {
    if (this.store === undefined) throw new GraphValueError("No checkpointer set", { lc_error_code: "MISSING_CHECKPOINTER" });
    const index = task.interruptCount++;
    if (index < task.resumeValues.length) return task.resumeValues[index];
    throw new GraphInterrupt([{ id: hashHex32(`${task.checkpointNs}:${index}`), value }]);
  }

  // ------------------------------------------------------------------ commit

  /** Applies the step's writes, streams the new values, plans the next step. */
  commitStep(): void {
    let handled = false;
    if (this.handlerTasks !== null) {
      this.tasks = this.tasks.concat(this.handlerTasks);
      this.handlerTasks = null;
      handled = true;
    }
    const tasks = this.tasks;
    if (this.failures.length > 0) {
      persistPendingWrites(this);
      if (this.failures.length === 1) throw this.failures[0];
      throw new AggregateError(this.failures, `Multiple errors occurred during superstep ${this.step}. See the "errors" field of this exception for more details.`);
    }
    let interrupted: Interrupt[] | null = null;
    for (const task of tasks) if (task.interrupts !== null) (interrupted ??= []).push(...task.interrupts);
    if (interrupted !== null) {
      persistPendingWrites(this);
      this.interrupts = interrupted;
      this.status = "interrupted";
      // The tasks that did finish are shown applied (the checkpoint keeps them as pending writes), and so
      // are the writes of a node whose conditional edge interrupted (it returned before the edge ran).
      if (this.streams.values) {
        const finished = sortForApply(tasks.filter((t) => t.finished || t.restored || (t.interrupts !== null && t.writes.length > 0)));
        if (finished.some((t) => t.writes.length > 0)) this.emit("values", this.plan.channels.apply(this.state, finished.map((t) => t.writes)));
      }
      // Only subgraphs stopped at static breakpoints: the root reports it once, after those values.
      if (interrupted.length === 0 && !this.isNested) {
        const chunk = { [INTERRUPT]: [] };
        if (this.streams.updates) this.emit("updates", chunk);
        if (this.streams.values) this.emit("values", chunk);
      }
      return;
    }
    // With a checkpointer, every task's writes are kept with the checkpoint its step started from
    // (history shows them as the tasks' results).
    // (durability "exit" keeps only the checkpoint the run ends with.)
    if (this.store && this.run.durability !== "exit") persistPendingWrites(this);
    const ordered = tasks.length === 1 ? tasks : sortForApply(tasks);
    let next: StateValues;
    if (ordered.length === 1) next = this.plan.channels.apply(this.state, [ordered[0].writes]);
    else next = this.plan.channels.apply(this.state, ordered.map((t) => t.writes));
    for (let i = ordered.length - 1; i >= 0; i--) {
      if (ordered[i].writes.length > 0) {
        this.lastNode = ordered[i].name;
        break;
      }
    }
    // A failed task whose error handler ran goes nowhere (its handler routes instead).
    this.tasks = this.planNext(handled ? ordered.filter((t) => t.nodeError === undefined || t.node.isErrorHandler === true) : ordered);
    const changed = next !== this.state;
    this.state = next;
    if (changed && this.streams.values) this.emit("values", next);
    const stopAfter = this.interruptAfter.size > 0 && ordered.some((t) => this.interruptAfter.has(t.name));
    // LangGraph.js counts the limit in steps taken, whether or not more would follow: a graph that
    // needs exactly `recursionLimit` steps still fails. Like it, the checkpoint is then saved but not streamed.
    const outOfSteps = this.step + 1 > this.stop;
    if (this.store) saveCheckpoint(this, "loop", undefined, !stopAfter && !outOfSteps);
    this.step++;
    if (stopAfter) {
      this.stopAtStaticInterrupt();
      return;
    }
    if (outOfSteps) throw recursionError(this.run.recursionLimit);
  }

  /** interruptBefore/interruptAfter: stop with an empty interrupt list, as LangGraph.js streams it. */
  private stopAtStaticInterrupt(): void {
    this.status = "interrupted";
    this.interrupts = [];
    if (this.isNested) return; // reported by the root graph
    const chunk = { [INTERRUPT]: [] };
    if (this.streams.updates) this.emit("updates", chunk);
    if (this.streams.values) this.emit("values", chunk);
  }

  /** Builds the next step's tasks: Sends first (in order), then triggered nodes sorted by name (planning.ts). */
  planNext(sources: ReadonlyArray<RouteSource>): Task[] {
    return planNextTasks(this, this.barriers, sources);
  }

  // ------------------------------------------------------------------ updateState (updateState.ts)

  /** updateState(): `values` written as if `asNode` returned them, then what follows `asNode` is scheduled. */
  applyUpdate(tuple: CheckpointTuple | undefined, values: StateValues | null, asNode: string | undefined): CheckpointConfig | Promise<CheckpointConfig> {
    return applyUpdates(this, tuple, [{ values, asNode }]);
  }

  /** One superstep of updates (bulkUpdateState). */
  applyUpdates(tuple: CheckpointTuple | undefined, updates: ReadonlyArray<{ values: StateValues | null; asNode: string | undefined }>): CheckpointConfig | Promise<CheckpointConfig> {
    return applyUpdates(this, tuple, updates);
  }

  // ------------------------------------------------------------------ checkpoints (checkpointing.ts)

  /** A step's checkpoint id once drawn, for runs without a checkpointer (currentCheckpointId). */
  stepCheckpoint: { step: number; id: string } | null = null;
  /** durability "exit": the step's checkpoint not saved yet (the state and next tasks are the loop's own). */
  deferredCheckpoint: { step: number; announce: boolean } | null = null;

  /** The id of the checkpoint this step runs from; without a checkpointer, an id drawn once per step. */
  currentCheckpointId(): string {
    return currentCheckpointId(this);
  }

  /** A cancelled step: saves the writes of its tasks that finished, and waits for the saver. */
  keepFinishedWrites(): Promise<void> {
    return keepFinishedWrites(this);
  }

  /** Waits for background checkpoint writes. */
  finish(): Promise<void> | undefined {
    // durability "exit": a subgraph that finished saves no checkpoint of its own (its parent's holds its result),
    // as in LangGraph.js; one that stopped (interrupt, drain) or has a stable namespace (checkpointer: true) does.
    if (this.parentTask !== undefined && this.status === "done" && this.checkpointNs.includes(":")) this.deferredCheckpoint = null;
    else flushDeferredCheckpoint(this);
    let saved: Promise<void> | undefined;
    if (this.pending !== null) {
      const pending = this.pending;
      this.pending = null;
      saved = Promise.all(pending).then(() => this.store?.flush());
    } else saved = this.store?.flush();
    if (this.status !== "drained") return saved;
    const reason = this.drainReason;
    if (saved === undefined) throw new GraphDrained(reason);
    return saved.then(() => {
      throw new GraphDrained(reason);
    });
  }

  // ------------------------------------------------------------------ node options (nodeOptions/)

  /** Why the run drained (status "drained"). */
  drainReason = "";


  /** Error handlers' tasks started during this step (errorHandler.ts): applied with the step's. */
  handlerTasks: Task[] | null = null;
  /** Background work the run awaits before it ends (node cache stores). */
  pending: Array<Promise<unknown>> | null = null;

  addHandlerTask(task: Task): void {
    (this.handlerTasks ??= []).push(task);
    if (this.streams.tasks || this.streams.debug) announceStart(this, task);
  }

  keepPending(work: Promise<unknown>): void {
    (this.pending ??= []).push(work);
  }


  /** A task failed for good and its error handler takes over: the failure is shown, not raised. */
  taskHandled(task: Task, error: unknown): void {
    recordHandledFailure(this, task, error);
  }
}

export type { PlanNode, CheckpointPendingWrite as PendingWrite };
