// One graph's superstep loop (the root graph's, or a subgraph's inside a parent task). Every task of a
// step reads the state as of the step's start; the step's writes are applied after all its tasks
// finished, in a fixed order (node name, then Send index), through the reducers.
//
// The loop has no awaits of its own: each phase returns `undefined` when it completed synchronously
// or a promise when some node was asynchronous, and the driver (drive.ts) awaits only then. A graph
// of synchronous nodes therefore runs without allocating a promise per step, and `streamSync` runs
// the very same code.
import { isCommand, type Command } from "../command";
import { COPY, END, INTERRUPT, PULL, PUSH, START } from "../constants";
import { EmptyInputError, GraphInterrupt, GraphValueError, InvalidUpdateError, ParentCommand, recursionError } from "../errors";
import type { Send } from "../send";
import type { StateChannels, Write } from "../channels/stateChannels";
import type { CheckpointConfig, CheckpointMetadata, CheckpointPendingWrite, CheckpointTuple } from "../checkpoint/base";
import { makeCheckpoint, readCheckpoint, type SavedTask } from "../checkpoint/checkpointFields";
import type { ModeFlags } from "../stream/streamSink";
import type { Interrupt, Namespace, StateValues, StreamMode, TaskResultPayload } from "../types";
import { checkpointId, hashHex32 } from "./ids";
import { emitOutputMessages, markInputMessagesSeen } from "./messageScan";
import type { Exits, GraphPlan, PlanNode } from "./plan";
import type { RunShared } from "./runShared";
import { ancestorCheckpoints, announceResult, announceStart, checkpointPayloadConfig, emitCheckpoint } from "./debugPayloads";
import { RouteList, addGotoTasks, planNextTasks, releaseDeferredTasks, sortForApply, type RouteSource } from "./planning";
import { NO_WRITES, Task, type TaskPath } from "./task";
import { functionalOf, restoreFunctionalState, setFunctional, type SavedFunctionalResume } from "../func/functionalState";
import { ThreadStore } from "./threadStore";
import { GraphDrained } from "../nodeOptions/errors";

export const WRITES = "__writes__";
export const ROUTES = "__routes__";
export const RESUME = "__resume__";
export const ERROR = "__error__";
/** `updateState(config, values, INPUT)`: record `values` as a run's input. */
const INPUT = "__input__";


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
  state: StateValues = {};
  /** The step the current tasks belong to. */
  step = 0;
  private stop = 0;
  tasks: Task[] = [];
  status: LoopStatus = "running";
  /** The interrupts that stopped the run (status "interrupted"). */
  interrupts: Interrupt[] = [];
  private barriers = new Map<string, Set<string>>();
  private failures: unknown[] = [];
  private lastNode: string | undefined = undefined;
  checkpointConfig: CheckpointConfig | undefined = undefined;
  /** updateState on a subgraph's namespace: the parent checkpoints its new checkpoint is made under. */
  detachedParents: Record<string, string> | null = null;
  /** The checkpoint the root loop was asked to start from (config's checkpoint_id, or a subgraph checkpoint's parent). */
  private requestedCheckpointId: string | undefined = undefined;
  /** A subgraph loop time-travelling to the checkpoint of its namespace that the run's config named. */
  private timeTravelTarget = false;
  /** The first step after resuming from a checkpoint does not stop again for interruptBefore. */
  private skipInterruptBefore = false;
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
    this.writer = this.streams.custom ? (chunk: unknown) => this.emit("custom", chunk) : noop;
    const config = this.run.config;
    const root = this.parentTask === undefined;
    this.interruptBefore = root && config.interruptBefore ? new Set(config.interruptBefore as string[]) : this.plan.interruptBefore;
    this.interruptAfter = root && config.interruptAfter ? new Set(config.interruptAfter as string[]) : this.plan.interruptAfter;
  }

  emit(mode: StreamMode, chunk: unknown): void {
    this.run.sink.emit(this.ns, mode, chunk);
  }

  // ------------------------------------------------------------------ begin

  /** Loads the thread's checkpoint (if any) and applies the input: a new input, null (continue) or a Command (resume). */
  begin(input: unknown): void | Promise<void> {
    const store = this.store;
    if (store === undefined) return this.beginWith(undefined, input, false);
    if (this.parentTask !== undefined) {
      const stableNs = stableNamespace(this.checkpointNs);
      const target = this.run.subgraphTargets?.get(stableNs);
      if (target !== undefined) {
        this.run.subgraphTargets!.delete(stableNs);
        this.timeTravelTarget = true;
        return then(store.load(target), (tuple) => this.beginWith(tuple, input, false));
      }
      const replayBefore = this.replayCursor(stableNs);
      return then(replayBefore === undefined ? store.load(undefined) : store.loadBefore(replayBefore), (tuple) => this.beginWith(tuple, input, false));
    }
    const configurable = this.run.config.configurable;
    const ns = configurable?.checkpoint_ns;
    const subgraphCheckpoint = configurable?.checkpoint_id as string | undefined;
    if (typeof ns !== "string" || ns === "" || subgraphCheckpoint === undefined) return this.beginRoot(subgraphCheckpoint, input);
    // A subgraph's checkpoint (its config from getState or history): the parent replays the checkpoint it
    // was made under, and each subgraph named in checkpoint_map loads its own checkpoint (LangGraph.js's rule).
    // A resume given with such a config resumes the parent checkpoint, its subgraphs at their latest.
    const map = (configurable?.checkpoint_map ?? {}) as Record<string, string>;
    if (!(isCommand(input) && input.resume !== undefined)) {
      const targets = new Map<string, string>();
      for (const [key, id] of Object.entries(map)) if (key !== "") targets.set(stableNamespace(key), id);
      targets.set(stableNamespace(ns), subgraphCheckpoint);
      this.run.subgraphTargets = targets;
    }
    if (map[""] !== undefined) return this.beginRoot(map[""], input);
    const subStore = new ThreadStore(store.saver, store.threadId, ns, this.run.sync, store.runConfigurable);
    return then(subStore.load(subgraphCheckpoint), (tuple) => {
      const parentId = tuple?.metadata?.parents?.[""];
      if (parentId === undefined) throw new EmptyInputError(`No checkpoint "${subgraphCheckpoint}" in namespace "${ns}" of thread "${store.threadId}" (or it names no parent checkpoint)`);
      return this.beginRoot(parentId, input);
    });
  }

  /** The root graph's load: the thread's head, or the checkpoint asked for (resume at it, or time travel). */
  private beginRoot(checkpointId: string | undefined, input: unknown): void | Promise<void> {
    const store = this.store!;
    this.requestedCheckpointId = checkpointId;
    const loaded = store.load(checkpointId);
    // With a checkpoint_id, is it the thread's head (a plain resume) or an earlier one (time travel)?
    const head = checkpointId === undefined ? undefined : store.load(undefined);
    if (loaded instanceof Promise || head instanceof Promise) {
      return Promise.all([loaded, head]).then(([tuple, latest]) => this.beginWith(tuple, input, isResumableHead(latest, checkpointId)));
    }
    return this.beginWith(loaded, input, isResumableHead(head, checkpointId));
  }

  /** A subgraph's first load in a time-travelling run: the parent checkpoint its state must predate. */
  private replayCursor(stableNs: string): string | undefined {
    const replay = this.run.replay;
    if (replay === null) return undefined;
    if (replay.visited.has(stableNs)) return undefined;
    replay.visited.add(stableNs);
    return replay.before;
  }

  private beginWith(tuple: CheckpointTuple | undefined, input: unknown, atHead: boolean): void | Promise<void> {
    // A subgraph re-run by a resumed parent task continues from its own interrupted checkpoint.
    // (or stopped at a static breakpoint: its parent task was restored from a checkpoint and runs again).
    const parent = this.parentTask;
    const resumedByParent =
      parent !== undefined &&
      tuple !== undefined &&
      ((parent.resumedNow && (tuple.pendingWrites ?? []).some(([, channel]) => channel === INTERRUPT)) || (parent.rerunAfterStop && readCheckpoint(tuple.checkpoint).nextTasks.length > 0));
    // A resume may come with an update and gotos (applied, and run alongside the resumed tasks).
    const resumeCommand = isCommand(input) && input.resume !== undefined;
    const resuming = resumedByParent || this.timeTravelTarget || input === null || input === undefined || resumeCommand;
    // A Command with an update (or goto) on a thread stopped before its next tasks: the update is applied
    // and those tasks run, as LangGraph.js does at a breakpoint.
    if (!resuming && !this.parentTask && isCommand(input) && input.resume === undefined && input.update !== undefined && tuple !== undefined && readCheckpoint(tuple.checkpoint).nextTasks.length > 0) {
      this.restore(tuple, undefined, false, false, input.updateEntries().filter(([key]) => this.plan.channels.has(key)));
      return;
    }
    if (resuming) {
      if (tuple === undefined) throw new EmptyInputError('Received no input writes for "__start__"');
      // Time travel (LangGraph.js's rules): a checkpoint_id that is not the head, without a resume value.
      // Its old resume values are dropped; a checkpoint made by the run (not by updateState or a fork)
      // is forked first, so history only grows.
      // A subgraph restarted at the checkpoint the config named is time travel too.
      const timeTravel = this.timeTravelTarget || (!this.parentTask && this.requestedCheckpointId !== undefined && !resumeCommand && !atHead);
      const source = tuple.metadata?.source;
      const fork = timeTravel && source !== "update" && source !== "fork";
      if (timeTravel) {
        const replayed = fork ? tuple.config : (tuple.parentConfig ?? tuple.config);
        this.run.replay = { before: replayed.configurable?.checkpoint_id as string, visited: new Set() };
      }
      const command = isCommand(input) ? input : undefined;
      const update = command?.update !== undefined ? command.updateEntries().filter(([key]) => this.plan.channels.has(key)) : undefined;
      this.restore(tuple, command, fork, timeTravel, update);
      return;
    }
    return this.startFresh(tuple, input);
  }

  /**
   * Continues from a saved checkpoint. Replaying an earlier checkpoint (`checkpoint_id` given) forks
   * it, as LangGraph.js does: a "fork" checkpoint with the same values and next nodes is saved, and its
   * tasks run again (their old writes are not reused).
   */
  private restore(tuple: CheckpointTuple, command: Command | undefined, fork: boolean, dropResumeValues: boolean, update?: Write[]): void {
    const metadata = tuple.metadata ?? { source: "loop", step: -1, parents: {} };
    const checkpoint = readCheckpoint(tuple.checkpoint);
    this.state = checkpoint.state;
    if (update !== undefined && update.length > 0) {
      if (this.plan.channels.validators !== null) this.plan.channels.validate(update);
      this.state = this.plan.channels.apply(this.state, [update]);
    }
    this.lastNode = checkpoint.lastNode;
    this.checkpointConfig = tuple.config;
    for (const [channel, seen] of Object.entries(checkpoint.barriers)) this.barriers.set(channel, new Set(seen));
    const baseStep = fork ? metadata.step + 1 : metadata.step;
    this.step = baseStep + 1;
    this.stop = baseStep + this.run.recursionLimit + 1;
    this.skipInterruptBefore = true;
    const byId = new Map<string, Task>();
    for (const saved of checkpoint.nextTasks) {
      const task = this.restoreTask(fork ? { ...saved, id: this.run.ids.next() } : saved);
      if (!fork) task.rerunAfterStop = true;
      byId.set(fork ? saved.id : task.id, task);
      this.tasks.push(task);
    }
    if (fork) {
      if (this.streams.values) this.emit("values", this.state);
      this.step = baseStep;
      this.saveCheckpoint("fork", undefined);
      this.step = baseStep + 1;
      return;
    }
    const pendingInterrupts = new Map<Task, Interrupt[]>();
    for (const [taskId, channel, value] of tuple.pendingWrites ?? []) {
      const task = byId.get(taskId);
      if (!task) continue;
      if (channel === WRITES) {
        task.writes = value as Write[];
        task.restored = true;
      } else if (channel === ROUTES) task.routes = value as Array<string | Send>;
      else if (channel === RESUME) {
        // An entrypoint's task saves `{ values, functional }` (its task() calls' results ride along: a
        // resume write is replaced at each save, a regular write would be kept from the first one).
        const saved = Array.isArray(value) ? value : (value as SavedFunctionalResume).values;
        if (!Array.isArray(value)) setFunctional(task, restoreFunctionalState((value as SavedFunctionalResume).functional));
        if (!dropResumeValues) task.resumeValues = [...saved];
      }
      else if (channel === INTERRUPT) pendingInterrupts.set(task, value as Interrupt[]);
    }
    const resume = command?.resume ?? this.parentResume();
    if (resume !== undefined) this.distributeResume(resume, pendingInterrupts);
    if (command !== undefined && command.goto.length > 0) addGotoTasks(this, command.goto as Array<string | Send>);
    if (this.streams.values) this.emit("values", this.state);
    // LangGraph.js shows the checkpoint it resumes from again (its parent config as the saver keeps it).
    if (this.streams.checkpoints || this.streams.debug) {
      const interrupts = new Map<string, Interrupt[]>();
      for (const [task, list] of pendingInterrupts) interrupts.set(task.id, list);
      const parent = tuple.parentConfig ? { configurable: { ...tuple.parentConfig.configurable } } : undefined;
      emitCheckpoint(this, tuple.config, parent, metadata, checkpoint.nextTasks, interrupts, new Date().toISOString());
    }
  }

  /** A subgraph task re-run by a resumed parent hands the parent's newest resume value down. */
  private parentResume(): unknown {
    const parent = this.parentTask;
    if (!parent || !parent.resumedNow) return undefined;
    return parent.resumeValues[parent.resumeValues.length - 1];
  }

  private distributeResume(resume: unknown, pending: Map<Task, Interrupt[]>): void {
    if (pending.size === 0) return;
    // A map { interruptId: value } answers interrupts by id; any other value answers every pending one.
    if (resume !== null && typeof resume === "object" && !Array.isArray(resume)) {
      const map = resume as Record<string, unknown>;
      const ids = Object.keys(map);
      if (ids.length > 0 && ids.every((id) => [...pending.values()].some((list) => list.some((i) => i.id === id)))) {
        for (const [task, interrupts] of pending) {
          const hit = interrupts.find((i) => i.id in map);
          if (hit) {
            task.addResume(map[hit.id]);
            task.resumedNow = true;
          }
        }
        return;
      }
    }
    for (const task of pending.keys()) {
      task.addResume(resume);
      task.resumedNow = true;
    }
  }

  private restoreTask(saved: SavedTask): Task {
    const node = this.plan.nodes.get(saved.name);
    if (!node) throw new GraphValueError(`Checkpoint names node "${saved.name}", which this graph does not have`);
    const isPush = saved.path[0] === PUSH;
    return new Task(this, saved.id, node, saved.path as TaskPath, saved.triggers, isPush ? saved.args : undefined, isPush, this.step);
  }

  private startFresh(tuple: CheckpointTuple | undefined, input: unknown): void | Promise<void> {
    const channels = this.plan.channels;
    const saved = tuple ? readCheckpoint(tuple.checkpoint) : undefined;
    const previous = saved ? saved.state : channels.initialState();
    const inputStep = tuple ? (tuple.metadata?.step ?? -1) + 1 : -1;
    this.stop = inputStep + this.run.recursionLimit + 1;
    this.state = previous;
    this.checkpointConfig = tuple?.config;
    if (saved) for (const [channel, seen] of Object.entries(saved.barriers)) this.barriers.set(channel, new Set(seen));
    // (durability "exit" saves neither the input checkpoint nor its writes: only where the run ends.)
    const startTask: SavedTask | undefined = this.store && this.run.durability !== "exit" ? { id: this.run.ids.next(), name: START, path: [PULL, START], triggers: [START] } : undefined;
    if (startTask) {
      this.step = inputStep;
      this.saveCheckpoint("input", [startTask]);
    }
    let writes: Write[];
    const routes = new RouteList();
    if (isCommand(input)) {
      writes = input.updateEntries().filter(([key]) => channels.has(key));
      for (const dest of input.goto) routes.addRoute(dest as string | Send);
      if (input.resume !== undefined) throw new InvalidUpdateError("A Command with resume cannot also update or goto in this engine");
    } else if (typeof input === "object" && input !== null && !Array.isArray(input)) {
      writes = [];
      const inputKeys = this.plan.inputKeys;
      for (const key of Object.keys(input)) if (channels.has(key) && (inputKeys === null || inputKeys.includes(key))) writes.push([key, (input as StateValues)[key]]);
      if (channels.inputDefaults !== null) channels.addInputDefaults(input as StateValues, writes, inputKeys);
    } else {
      throw new InvalidUpdateError(`Expected the input of the graph to be an object, received ${Array.isArray(input) ? "array" : typeof input}`);
    }
    if (channels.validators !== null) channels.validate(writes);
    this.step = inputStep + 1;
    if (startTask) this.store!.putWrites(this.checkpointConfig!, [[WRITES, writes]], startTask.id);
    const next = channels.apply(this.state, [writes]);
    const changed = next !== this.state;
    this.state = next;
    if (changed && this.streams.values) this.emit("values", next);
    // A Command as input writes its update and goes only where its goto says (START does not run).
    const start: Exits = isCommand(input) ? { edges: [], joins: [], branches: [] } : this.plan.start;
    const finish = () => {
      this.tasks = this.planNext([{ name: START, node: start, routes: routes.routes }]);
      if (this.store) this.saveCheckpoint("loop", undefined);
      this.step++;
    };
    if (start.branches.length === 0) return finish();
    const routed = this.runBranches(start, this.state, { ...this.run.baseNodeConfig, writer: this.writer, signal: this.run.signal }, routes);
    if (routed) return routed.then(finish);
    finish();
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



  /** Runs the step's tasks; undefined when all of them finished synchronously. Never rejects. */
  runTasks(execute: (loop: PregelLoop, task: Task) => Promise<void> | undefined): Promise<void> | undefined {
    const tasks = this.tasks;
    if (tasks.length === 1) return tasks[0].restored ? undefined : execute(this, tasks[0]);
    const limit = this.run.maxConcurrency;
    if (limit !== 0 && tasks.length > limit) return runLimited(this, tasks, limit, execute);
    let pending: Array<Promise<void>> | null = null;
    // LangGraph.js reports a step's synchronous interrupts and failures before its synchronous
    // successes (a throwing task settles a few microtasks sooner there); hold successes until every
    // task of the step has started, to stream the same order.
    const deferred: Task[] = (this.deferred = []);
    try {
      for (const task of tasks) {
        if (task.restored) continue;
        const running = execute(this, task);
        if (running !== undefined) (pending ??= []).push(running);
      }
    } finally {
      this.deferred = null;
    }
    if (this.failAfterStart !== null) {
      this.run.fail(this.failAfterStart.error);
      this.failAfterStart = null;
    }
    for (let i = 0; i < deferred.length; i++) {
      const task = deferred[i];
      const output = task.output;
      task.output = undefined;
      this.taskDone(task, output);
    }
    if (pending === null) return undefined;
    return pending.length === 1 ? pending[0] : Promise.all(pending).then(noop);
  }

  // ------------------------------------------------------------------ task results

  /** Successes held while a step's tasks are being started (see runTasks). */
  private deferred: Task[] | null = null;
  /** The first failure while a step's tasks were being started: the run fails once all have started. */
  private failAfterStart: { error: unknown } | null = null;

  /** Records a finished task and streams its result (in completion order). */
  taskDone(task: Task, output: unknown): void {
    const streams = this.streams;
    if (this.deferred !== null && task.error === undefined && task.interrupts === null) {
      task.output = output;
      this.deferred.push(task);
      return;
    }
    if (task.error !== undefined) {
      // LangGraph.js's rule: a task failing after another's failure aborted the step failed because of
      // it; it is reported as aborted and the step throws the first error. Failures while the step's
      // tasks are still being started are all independent (and the abort waits until all started).
      const starting = this.deferred !== null;
      if (!starting && this.failures.length > 0 && this.run.signal.aborted) task.error = abortedByFailure();
      else this.failures.push(task.error);
      // A Command for the parent graph is not a failure: it ends this subgraph (shown as LangGraph.js shows it).
      if (!(task.error instanceof ParentCommand)) {
        if (starting) this.failAfterStart ??= { error: task.error };
        else this.run.fail(task.error);
      }
      // Writes collected before the failure (a conditional edge that threw) are still streamed, as in LangGraph.js.
      if (task.writes.length > 0 && streams.updates) this.emit("updates", { [task.name]: task.updatesValue() });
      if (streams.tasks || streams.debug) {
        const error = task.error as { name?: unknown; message?: unknown };
        announceResult(this, {
          id: task.id,
          name: task.name,
          result: {},
          interrupts: [],
          error: { message: String(error?.message ?? error), name: String(error?.name ?? "Error") },
        } as TaskResultPayload);
      }
      return;
    }
    if (task.interrupts !== null) {
      // A subgraph stopped at a static breakpoint is reported once, by the root graph (as LangGraph.js).
      const quiet = task.interrupts.length === 0 && this.isNested;
      const chunk = { [INTERRUPT]: task.interrupts };
      if (streams.updates && !quiet) this.emit("updates", chunk);
      if (streams.values && !quiet) this.emit("values", chunk);
      if (streams.tasks || streams.debug) {
        announceResult(this, { id: task.id, name: task.name, result: {}, interrupts: task.interrupts, error: null } as TaskResultPayload);
      }
      return;
    }
    if (streams.messages) emitOutputMessages(task, output);
    if (streams.updates || streams.tasks || streams.debug) {
      if (streams.updates) this.emit("updates", task.cached ? { [task.name]: task.updatesValue(), __metadata__: { cached: true } } : { [task.name]: task.updatesValue() });
      // A task served from the node cache shows no result, as in LangGraph.js.
      if ((streams.tasks || streams.debug) && !task.cached) {
        announceResult(this, { id: task.id, name: task.name, result: task.resultObject(), interrupts: [], error: null } as TaskResultPayload);
      }
    }
  }



  /** Parses what a node returned into writes and routes (LangGraph.js's rules and error). */
  collectWrites(task: Task, output: unknown): void {
    const channels = this.plan.channels;
    if (output === null || output === undefined) {
      task.writes = NO_WRITES;
      return;
    }
    const writes: Write[] = [];
    if (isCommand(output)) {
      addCommandWrites(channels, task, output, writes);
    } else if (Array.isArray(output)) {
      if (!output.some(isCommand)) throw invalidReturn(task, output);
      for (const item of output) {
        if (isCommand(item)) addCommandWrites(channels, task, item, writes);
        else if (item !== null && typeof item === "object" && !Array.isArray(item)) addObjectWrites(channels, item, writes);
      }
    } else if (typeof output === "object") {
      addObjectWrites(channels, output, writes);
    } else {
      throw invalidReturn(task, output);
    }
    if (channels.validators !== null) channels.validate(writes);
    task.writes = writes;
  }

  /**
   * Runs the conditional edges leaving `exits`, reading `state` (the step's state with this task's
   * own writes applied), and appends their destinations to `routes`.
   */
  runBranches(exits: Exits, state: StateValues, config: object, owner: { addRoute(dest: string | Send): void }): Promise<void> | undefined {
    const branches = exits.branches;
    for (let i = 0; i < branches.length; i++) {
      const branch = branches[i];
      const result = branch.path(state, config);
      if (result !== null && typeof result === "object" && typeof (result as Promise<unknown>).then === "function") {
        if (this.run.sync) {
          (result as Promise<unknown>).then(noop, noop);
          throw new Error(`A conditional edge's path function returned a Promise; streamSync can only run synchronous graphs. Use stream() instead.`);
        }
        return (async () => {
          for (const dest of branch.resolve(await (result as Promise<never>))) owner.addRoute(dest);
          for (let j = i + 1; j < branches.length; j++) for (const dest of branches[j].resolve(await branches[j].path(state, config))) owner.addRoute(dest);
        })();
      }
      for (const dest of branch.resolve(result as never)) owner.addRoute(dest);
    }
    return undefined;
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
      this.persistPendingWrites();
      if (this.failures.length === 1) throw this.failures[0];
      throw new AggregateError(this.failures, `Multiple errors occurred during superstep ${this.step}. See the "errors" field of this exception for more details.`);
    }
    let interrupted: Interrupt[] | null = null;
    for (const task of tasks) if (task.interrupts !== null) (interrupted ??= []).push(...task.interrupts);
    if (interrupted !== null) {
      this.persistPendingWrites();
      this.interrupts = interrupted;
      this.status = "interrupted";
      // The tasks that did finish are shown applied (the checkpoint keeps them as pending writes), and so
      // are the writes of a node whose conditional edge interrupted (it returned before the edge ran).
      if (this.streams.values) {
        const finished = sortForApply(tasks.filter((t) => t.finished || t.restored || (t.interrupts !== null && t.writes.length > 0)));
        if (finished.some((t) => t.writes.length > 0)) this.emit("values", this.plan.channels.apply(this.state, finished.map((t) => t.writes)));
      }
      return;
    }
    // With a checkpointer, every task's writes are kept with the checkpoint its step started from
    // (history shows them as the tasks' results).
    // (durability "exit" keeps only the checkpoint the run ends with.)
    if (this.store && this.run.durability !== "exit") this.persistPendingWrites();
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
    if (this.store) this.saveCheckpoint("loop", undefined, !stopAfter && !outOfSteps);
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

  // ------------------------------------------------------------------ updateState

  /** updateState(): `values` written as if `asNode` returned them, then what follows `asNode` is scheduled. */
  applyUpdate(tuple: CheckpointTuple | undefined, values: StateValues | null, asNode: string | undefined): CheckpointConfig | Promise<CheckpointConfig> {
    return this.applyUpdates(tuple, [{ values, asNode }]);
  }

  /**
   * One superstep of updates (bulkUpdateState): each `values` written as if its `asNode` returned it, all
   * in one checkpoint; what follows every one of those nodes is scheduled. Several need their `asNode`.
   */
  applyUpdates(tuple: CheckpointTuple | undefined, updates: ReadonlyArray<{ values: StateValues | null; asNode: string | undefined }>): CheckpointConfig | Promise<CheckpointConfig> {
    const channels = this.plan.channels;
    const saved = tuple ? readCheckpoint(tuple.checkpoint) : undefined;
    this.state = saved ? saved.state : channels.initialState();
    this.checkpointConfig = tuple?.config;
    this.lastNode = saved?.lastNode;
    if (saved) for (const [channel, seen] of Object.entries(saved.barriers)) this.barriers.set(channel, new Set(seen));
    if (updates.length === 0) throw new InvalidUpdateError("No supersteps provided");
    if (updates.length === 1 && updates[0].asNode === COPY) return this.copyCheckpoint(tuple);
    if (updates.length === 1 && updates[0].asNode === INPUT) return this.saveInput(tuple, updates[0].values);
    const sources: Array<{ name: string; exits: Exits | undefined; routes: RouteList; writes: Write[] }> = [];
    for (const { values, asNode } of updates) {
      if (updates.length > 1 && asNode == null) throw new InvalidUpdateError('"asNode" is required when applying multiple updates');
      let node = asNode ?? this.lastNode;
      // No node has written yet: the update is made as the input (LangGraph.js infers __start__ the same way,
      // also for a graph of one node: its __start__ counts as a node there).
      if (node === undefined) node = START;
      const exits: Exits | undefined = node === START ? this.plan.start : node === END ? undefined : this.plan.nodes.get(node);
      if (node !== END && exits === undefined) throw new InvalidUpdateError(`Node "${node}" does not exist`);
      const writes: Write[] = [];
      if (values !== null && typeof values === "object") {
        for (const key of Object.keys(values)) if (channels.has(key)) writes.push([key, values[key]]);
      }
      if (channels.validators !== null) channels.validate(writes);
      sources.push({ name: node, exits, routes: new RouteList(), writes });
    }
    this.state = channels.apply(this.state, sources.map((source) => source.writes));
    this.step = tuple ? (tuple.metadata?.step ?? -1) + 1 : 0;
    for (const { name } of sources) if (name !== START && name !== END) this.lastNode = name;
    const finish = (): CheckpointConfig => {
      const planned = sources.filter((source) => source.exits !== undefined).map((source) => ({ name: source.name, node: source.exits!, routes: source.routes.routes }));
      this.tasks = planned.length > 0 ? this.planNext(planned) : [];
      this.saveCheckpoint("update", undefined);
      return this.checkpointConfig!;
    };
    let pending: Promise<void> | undefined;
    for (const source of sources) {
      if (!source.exits || source.exits.branches.length === 0) continue;
      const config = { ...this.run.baseNodeConfig, writer: this.writer, signal: this.run.signal };
      const exits = source.exits;
      pending = pending ? pending.then(() => this.runBranches(exits, this.state, config, source.routes)) : this.runBranches(exits, this.state, config, source.routes);
    }
    return pending ? pending.then(finish) : finish();
  }


  /** updateState(config, values, "__input__"): a run's input checkpoint (next: __start__, the values its pending writes), as a run starts. */
  private saveInput(tuple: CheckpointTuple | undefined, values: StateValues | null): CheckpointConfig {
    const channels = this.plan.channels;
    const writes: Write[] = [];
    if (values !== null && typeof values === "object") for (const key of Object.keys(values)) if (channels.has(key)) writes.push([key, values[key]]);
    if (channels.validators !== null) channels.validate(writes);
    this.step = tuple ? (tuple.metadata?.step ?? -1) + 1 : -1;
    const startTask: SavedTask = { id: this.run.ids.next(), name: START, path: [PULL, START], triggers: [START] };
    this.saveCheckpoint("input", [startTask]);
    this.store!.putWrites(this.checkpointConfig!, [[WRITES, writes]], startTask.id);
    return this.checkpointConfig!;
  }

  /** updateState(config, null, "__copy__"): the checkpoint again, as a "fork" beside it (same parent, same next tasks). */
  private copyCheckpoint(tuple: CheckpointTuple | undefined): CheckpointConfig {
    if (tuple === undefined) throw new InvalidUpdateError("Cannot copy a non-existent checkpoint");
    this.checkpointConfig = tuple.parentConfig;
    this.step = (tuple.metadata?.step ?? -1) + 1;
    this.saveCheckpoint("fork", readCheckpoint(tuple.checkpoint).nextTasks.map((t) => ({ ...t, id: this.run.ids.next() })));
    return this.checkpointConfig!;
  }

  // ------------------------------------------------------------------ checkpoints

  private saveCheckpoint(source: CheckpointMetadata["source"], tasks: SavedTask[] | undefined, announce = true): void {
    if (source === "loop" && this.run.durability === "exit") {
      // Saved when the run ends, stops or fails (flushDeferredCheckpoint), not at every step.
      this.deferredCheckpoint = { step: this.step, announce };
      return;
    }
    const store = this.store!;
    const nextTasks = tasks ?? this.tasks.map(savedTask);
    const barriers: Record<string, string[]> = {};
    for (const [channel, seen] of this.barriers) barriers[channel] = [...seen];
    const checkpoint = makeCheckpoint(checkpointId(), new Date().toISOString(), this.state, nextTasks, barriers, this.lastNode);
    const metadata: CheckpointMetadata = { source, step: this.step, parents: ancestorCheckpoints(this), thread_id: store.threadId };
    const parentConfig = this.checkpointConfig;
    const config = store.put(parentConfig, checkpoint, metadata);
    this.checkpointConfig = config;
    if (announce && (this.streams.checkpoints || this.streams.debug)) {
      emitCheckpoint(this, config, parentConfig ? checkpointPayloadConfig(this, parentConfig) : undefined, metadata, nextTasks, undefined, checkpoint.ts);
    }
  }

  private stepCheckpoint: { step: number; id: string } | null = null;

  /** The id of the checkpoint this step runs from; without a checkpointer, an id drawn once per step. */
  currentCheckpointId(): string {
    const saved = this.checkpointConfig?.configurable?.checkpoint_id as string | undefined;
    if (saved !== undefined) return saved;
    if (this.stepCheckpoint === null || this.stepCheckpoint.step !== this.step) this.stepCheckpoint = { step: this.step, id: checkpointId() };
    return this.stepCheckpoint.id;
  }







  /** Keeps the writes of a step that did not complete (interrupt, error), so a resume re-runs only what must. */
  private persistPendingWrites(): void {
    this.flushDeferredCheckpoint();
    const store = this.store;
    const config = this.checkpointConfig;
    if (!store || !config) return;
    for (const task of this.tasks) {
      if (task.restored) continue;
      if (task.error !== undefined) {
        const error = task.error as { name?: unknown; message?: unknown };
        store.putWrites(config, [[ERROR, { name: String(error?.name ?? "Error"), message: String(error?.message ?? error) }]], task.id);
        // A failed entrypoint keeps its finished task() calls: running the thread again does not repeat them.
        const functional = functionalOf(task);
        if (functional !== undefined) store.putWrites(config, [[RESUME, { values: task.resumeValues, functional: functional.saved() }]], task.id);
      } else if (task.interrupts !== null) {
        const functional = functionalOf(task);
        const resume = functional === undefined ? task.resumeValues : { values: task.resumeValues, functional: functional.saved() };
        store.putWrites(config, [[INTERRUPT, task.interrupts], [RESUME, resume]], task.id);
      } else if (task.finished) {
        store.putWrites(config, [[WRITES, task.writes], [ROUTES, task.routes]], task.id);
      }
    }
  }

  /** A cancelled step: saves the writes of its tasks that finished, and waits for the saver. */
  async keepFinishedWrites(): Promise<void> {
    this.flushDeferredCheckpoint();
    const store = this.store;
    const config = this.checkpointConfig;
    if (!store || !config) return;
    for (const task of this.tasks) if (task.finished && !task.restored) store.putWrites(config, [[WRITES, task.writes], [ROUTES, task.routes]], task.id);
    await store.flush();
  }

  /** Waits for background checkpoint writes. */
  finish(): Promise<void> | undefined {
    this.flushDeferredCheckpoint();
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
  private drainReason = "";

  /** durability "exit": the step's checkpoint not saved yet (the state and next tasks are the loop's own). */
  private deferredCheckpoint: { step: number; announce: boolean } | null = null;

  /** durability "exit": saves the checkpoint the last step would have saved. */
  private flushDeferredCheckpoint(): void {
    const deferred = this.deferredCheckpoint;
    if (deferred === null) return;
    this.deferredCheckpoint = null;
    const step = this.step;
    this.step = deferred.step;
    const durability = this.run.durability;
    (this.run as { durability: string }).durability = "async";
    try {
      this.saveCheckpoint("loop", undefined, deferred.announce);
    } finally {
      (this.run as { durability: string }).durability = durability;
      this.step = step;
    }
  }

  /** Error handlers' tasks started during this step (errorHandler.ts): applied with the step's. */
  private handlerTasks: Task[] | null = null;
  /** Background work the run awaits before it ends (node cache stores). */
  private pending: Array<Promise<unknown>> | null = null;

  addHandlerTask(task: Task): void {
    (this.handlerTasks ??= []).push(task);
    if (this.streams.tasks || this.streams.debug) announceStart(this, task);
  }

  keepPending(work: Promise<unknown>): void {
    (this.pending ??= []).push(work);
  }

  /** A task failed for good and its error handler takes over: the failure is shown, not raised. */
  taskHandled(task: Task, error: unknown): void {
    task.finished = true;
    task.writes = NO_WRITES;
    if (this.streams.tasks || this.streams.debug) {
      const failure = error as { name?: unknown; message?: unknown };
      announceResult(this, {
        id: task.id,
        name: task.name,
        result: {},
        interrupts: [],
        error: { message: String(failure?.message ?? failure), name: String(failure?.name ?? "Error") },
      } as TaskResultPayload);
    }
  }

  // ------------------------------------------------------------------ node config

}

function addObjectWrites(channels: StateChannels, value: object, writes: Write[]): void {
  const keys = Object.keys(value);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    if (channels.has(key)) writes.push([key, (value as StateValues)[key]]);
  }
}

function addCommandWrites(channels: StateChannels, task: Task, command: Command, writes: Write[]): void {
  if (command.graph === "__parent__") {
    if (task.loop.isNested) throw new ParentCommand({ update: command.update, goto: command.goto });
    throw new InvalidUpdateError("A node returned a Command for the parent graph (Command.PARENT), but its graph is not a subgraph");
  }
  for (const entry of command.updateEntries()) if (channels.has(entry[0])) writes.push(entry);
  for (const dest of command.goto) if (dest !== END) task.addRoute(dest as string | Send);
}

function invalidReturn(task: Task, output: unknown): InvalidUpdateError {
  return new InvalidUpdateError(
    `Expected node "${task.name}" to return an object or an array containing at least one Command object, received ${Array.isArray(output) ? "array" : typeof output}`,
    { lc_error_code: "INVALID_GRAPH_NODE_RETURN_VALUE" },
  );
}

function savedTask(task: Task): SavedTask {
  const saved: SavedTask = { id: task.id, name: task.name, path: task.path, triggers: task.triggers };
  if (task.isPush) saved.args = task.input;
  return saved;
}


/**
 * `config.maxConcurrency`: at most `limit` of the step's tasks run at once; each one that settles starts
 * the next, in plan order. Tasks finishing synchronously free their slot at once.
 */
function runLimited(loop: PregelLoop, tasks: readonly Task[], limit: number, execute: (loop: PregelLoop, task: Task) => Promise<void> | undefined): Promise<void> | undefined {
  let next = 0;
  let running = 0;
  let settle: (() => void) | null = null;
  const startMore = (): void => {
    while (running < limit && next < tasks.length) {
      const task = tasks[next++];
      if (task.restored) continue;
      const pending = execute(loop, task);
      if (pending === undefined) continue;
      running++;
      void pending.then(() => {
        running--;
        startMore();
        if (running === 0 && next >= tasks.length) settle?.();
      });
    }
  };
  startMore();
  if (running === 0) return undefined;
  return new Promise<void>((resolve) => (settle = resolve));
}

export type { PlanNode, CheckpointPendingWrite as PendingWrite };
/** `state` restricted to `keys` (those present). */
export function pickKeys(state: StateValues, keys: readonly string[]): StateValues {
  const out: StateValues = {};
  for (let i = 0; i < keys.length; i++) if (keys[i] in state) out[keys[i]] = state[keys[i]];
  return out;
}

/** A checkpoint namespace without its task ids ("a:1|b:2" -> "a|b"): the same subgraph across runs and forks. */
function stableNamespace(ns: string): string {
  return ns.replace(/:[^|]*/g, "");
}

function then<T, R>(value: T | Promise<T>, next: (value: T) => R | Promise<R>): R | Promise<R> {
  return value instanceof Promise ? value.then(next) : next(value);
}

/** True when `latest` (the thread's newest checkpoint) is the one asked for and the run made it (LangGraph.js's resume-at-head). */
function isResumableHead(latest: CheckpointTuple | undefined, wanted: string | undefined): boolean {
  if (wanted === undefined || latest === undefined) return false;
  const source = latest.metadata?.source;
  return latest.config.configurable?.checkpoint_id === wanted && source !== "update" && source !== "fork";
}

/** What a task that failed because the step was aborted reports (LangGraph.js's AbortError). */
function abortedByFailure(): Error {
  const error = new Error("This operation was aborted");
  error.name = "AbortError";
  return error;
}
