// The client's model of one run, built by folding the run's events in order. It is a plain mutable
// object on purpose: a run can carry tens of thousands of tokens, and copying arrays per event would make
// ingestion quadratic. Every list is append-only and every slice has a version counter, so the React
// layer can take a cheap snapshot of counters per animation frame and panels re-render only when their
// slice moved. `applyRunEvent` is deterministic (same events in, same data out) and knows nothing of React.
import { parseEventId } from "../../lib/run/eventId";
import type {
  WireCheckpoint,
  WireDebug,
  WireInterrupt,
  WireMessage,
  WireMessageMetadata,
  WireMetadata,
  WireRunEvent,
  WireRunStatus,
  WireStreamMode,
  WireTaskError,
  WireTaskResult,
  WireTaskStart,
  WireToolCallChunk,
  WireUpdates,
  WireUsage,
  WireValues,
} from "./wireTypes";
import { innerNodeKey, subgraphScope, type SubgraphScope } from "./subgraphScope";

/** Where a run is, seen from this tab: the server's statuses plus the two before the first event. */
export type ClientRunStatus = "idle" | "connecting" | WireRunStatus;

export interface ReceivedEvent {
  /** The tracked event id, `<runId>:<seq>`. */
  id: string;
  seq: number;
  event: WireRunEvent;
  /** Wall-clock ms (with sub-ms precision where available) when this tab received it. */
  receivedAt: number;
}

export interface ValuesEntry {
  /** Step this state is the result of: 0 is the input; a lower bound when the stream carries no step numbers. */
  step: number;
  values: WireValues;
  eventIndex: number;
}

export interface UpdateEntry {
  /** null when nothing in the stream says which step it was (only "updates" requested). */
  step: number | null;
  node: string;
  update: unknown;
  /** True for the `{ __interrupt__: [...] }` entry a node's interrupt() produces. */
  isInterrupt: boolean;
  eventIndex: number;
  /** Where the node ran: null at the root, else the subgraph (its namespace). */
  scope: SubgraphScope | null;
  /** `node`, or "parent/node" inside a subgraph: what the diagram and the node filter go by. */
  nodeKey: string;
}

export interface MessageGroup {
  /** The message id the chunks share (or a synthetic one when the model gave none). */
  id: string;
  node: string;
  step: number;
  /** The task that streamed it (from the metadata's checkpoint namespace), when the stream says. */
  taskId: string | null;
  /** Its index among the step's Send tasks (a fan-out), or null for a task the graph's edges started. */
  sendIndex: number | null;
  type: WireMessage["type"];
  metadata: WireMessageMetadata;
  /** The content of each streamed chunk, in order: one entry per token. */
  tokens: string[];
  toolCallChunks: WireToolCallChunk[];
  usage: WireUsage | undefined;
  firstEventIndex: number;
  lastEventIndex: number;
  scope: SubgraphScope | null;
  nodeKey: string;
}

export interface CustomEntry {
  step: number | null;
  /** The task that was running when it arrived, when exactly one was (from debug/tasks events). */
  node: string | null;
  chunk: unknown;
  eventIndex: number;
  scope: SubgraphScope | null;
}

/** "cancelled": the run was cancelled (or failed elsewhere) while this task was still running. */
export type TaskState = "running" | "done" | "error" | "interrupted" | "cancelled";

export interface TaskEntry {
  id: string;
  name: string;
  step: number;
  triggers: string[];
  input: unknown;
  /** Epoch ms from the debug event's timestamp (or when the tasks-mode event arrived). */
  startedAt: number;
  endedAt: number | null;
  result: unknown;
  error: WireTaskError | null;
  interrupts: WireInterrupt[];
  state: TaskState;
  /** Null at the root; inside a subgraph its namespace, and `step` is the step of the task running the subgraph. */
  scope: SubgraphScope | null;
  nodeKey: string;
  /** Inside a subgraph, with debug: the subgraph's own step (the diagram credits its edges by it). */
  innerStep?: number;
}

export type NodeState = "running" | "done" | "error" | "interrupted" | "cancelled";

export interface RunData {
  runId: string | null;
  graphId: string | null;
  /** The thread the run is on (every run is on one: the metadata's thread_id). */
  threadId: string | null;
  streamModes: WireStreamMode[];
  model: string | null;
  createdAt: string | null;
  /** Whether the run streams its subgraphs' events (`subgraphs: true`). */
  subgraphs: boolean;
  /** Tasks that ran inside a subgraph: when there are any, the timeline nests them under their parent task. */
  subgraphTasks: number;
  /** Subgraph scopes by namespace label (a few per run), so each event's namespace is read once. */
  scopes: Map<string, SubgraphScope>;
  status: ClientRunStatus;
  /** What the interrupted nodes asked, while status is "interrupted". */
  interrupts: WireInterrupt[];
  error: WireTaskError | null;
  statusReason: string | null;

  events: ReceivedEvent[];
  lastSeq: number;
  lastEventId: string | null;
  /** Events dropped because their id was at or before one already applied (a replay overlapping what we had). */
  duplicatesDropped: number;

  values: ValuesEntry[];
  updates: UpdateEntry[];
  messages: MessageGroup[];
  messageIndexById: Map<string, number>;
  /** Per task id, the firstEventIndex of its newest message (an earlier one of that task is finished). */
  newestMessageOfTask: Map<string, number>;
  tokenCount: number;
  custom: CustomEntry[];
  tasks: TaskEntry[];
  taskIndexById: Map<string, number>;
  checkpoints: Array<{ step: number; payload: WireCheckpoint; eventIndex: number }>;
  /** Latest debug/task timestamp seen (epoch ms, server clock). */
  lastTaskTime: number;
  /** When this tab received that timestamp (epoch ms, this tab's clock). */
  lastTaskTimeReceivedAt: number;
  /**
   * The right end of the timeline (server clock): the latest task timestamp, moved on by the time that
   * has passed here since, while tasks are running, so running bars grow as any event arrives.
   */
  timelineEnd: number;
  runningTasks: number;
  nodes: Map<string, NodeState>;

  /** Highest step number any event has stated (debug step, message metadata). */
  knownStep: number;
  /**
   * True from a resume (status "running" after "interrupted") until the next engine event: LangGraph
   * first re-emits the state it resumes from, which is not a new step.
   */
  resuming: boolean;
  /** Step counting for "tasks"-only streams (see applyRunEvent). */
  tasksModeStep: number;
  tasksModeSawResult: boolean;
  /** Bumped whenever the matching slice changes; panels memoize on them. */
  versions: {
    meta: number;
    values: number;
    updates: number;
    messages: number;
    custom: number;
    tasks: number;
    nodes: number;
  };
}

export function createRunData(): RunData {
  return {
    runId: null,
    graphId: null,
    threadId: null,
    streamModes: [],
    model: null,
    createdAt: null,
    subgraphs: false,
    subgraphTasks: 0,
    scopes: new Map(),
    status: "idle",
    interrupts: [],
    error: null,
    statusReason: null,
    events: [],
    lastSeq: -1,
    lastEventId: null,
    duplicatesDropped: 0,
    values: [],
    updates: [],
    messages: [],
    messageIndexById: new Map(),
    newestMessageOfTask: new Map(),
    tokenCount: 0,
    custom: [],
    tasks: [],
    taskIndexById: new Map(),
    checkpoints: [],
    lastTaskTime: 0,
    lastTaskTimeReceivedAt: 0,
    timelineEnd: 0,
    runningTasks: 0,
    nodes: new Map(),
    knownStep: 0,
    resuming: false,
    tasksModeStep: 0,
    tasksModeSawResult: false,
    versions: { meta: 0, values: 0, updates: 0, messages: 0, custom: 0, tasks: 0, nodes: 0 },
  };
}

/**
 * Folds one event into `run`. Returns false (and changes nothing but the duplicate counter) when the event
 * is at or before the last one applied, so replays that overlap what this tab already has are harmless.
 */
export function applyRunEvent(run: RunData, id: string, event: WireRunEvent, receivedAt: number): boolean {
  // NaN when the id has another shape: such events are then deduplicated by their id alone.
  const seq = parseEventId(id)?.seq ?? Number.NaN;
  if (!Number.isNaN(seq)) {
    if (seq <= run.lastSeq) {
      run.duplicatesDropped++;
      return false;
    }
    run.lastSeq = seq;
  } else if (run.lastEventId === id) {
    run.duplicatesDropped++;
    return false;
  }
  run.lastEventId = id;
  const eventIndex = run.events.length;
  run.events.push({ id, seq, event, receivedAt });

  if (event.length === 3) {
    applySubgraphEvent(run, event, eventIndex, receivedAt);
  } else switch (event[0]) {
    case "metadata":
      applyMetadata(run, event[1]);
      break;
    case "status":
      if (event[1].status === "running" && run.status === "interrupted") run.resuming = true;
      applyStatus(run, event[1].status, event[1].interrupts ?? [], event[1].reason ?? null);
      break;
    case "error":
      run.error = event[1];
      markRunningNodes(run, "error");
      run.status = "error";
      run.versions.meta++;
      break;
    case "values":
      applyValues(run, event[1], eventIndex);
      break;
    case "updates":
      applyUpdates(run, event[1], eventIndex, null);
      break;
    case "messages":
      applyMessage(run, event[1][0], event[1][1], eventIndex, null);
      break;
    case "custom":
      run.custom.push({ step: stepGuess(run), node: soleRunningTask(run, null), chunk: event[1], eventIndex, scope: null });
      run.versions.custom++;
      break;
    case "debug":
      applyDebug(run, event[1], eventIndex, receivedAt);
      break;
    case "tasks":
      // "tasks" carries no step and no timestamp: a start after a result begins a new step (a step's
      // tasks all start before any finishes); "debug", when also requested, corrects both.
      if (!run.streamModes.includes("debug")) noteTaskTime(run, receivedAt, receivedAt);
      if ("error" in event[1]) {
        run.tasksModeSawResult = true;
        applyTaskResult(run, event[1], receivedAt, run.knownStep, false, null);
      } else {
        if (run.tasksModeSawResult || run.tasksModeStep === 0) run.tasksModeStep++;
        run.tasksModeSawResult = false;
        applyTaskStart(run, event[1], receivedAt, Math.max(run.knownStep, run.tasksModeStep), false, null);
      }
      break;
    case "checkpoints":
      run.checkpoints.push({ step: event[1].metadata.step, payload: event[1], eventIndex });
      break;
  }
  if (run.runningTasks > 0 && run.lastTaskTimeReceivedAt > 0) {
    const end = run.lastTaskTime + Math.max(0, receivedAt - run.lastTaskTimeReceivedAt);
    if (end > run.timelineEnd) {
      run.timelineEnd = end;
      run.versions.tasks++;
    }
  }
  if (event[0] !== "status" && event[0] !== "metadata") run.resuming = false;
  if (run.status === "idle" || run.status === "connecting") {
    // Tuples arriving mean the run is going even if this tab joined after its status event.
    if (event[0] !== "metadata") run.status = "running";
  }
  return true;
}

/**
 * An event from inside a subgraph (`[mode, chunk, namespace]`). Its entries carry the namespace and take
 * the step of the task running the subgraph: the subgraph's own step numbers (its debug steps, its
 * messages' langgraph_step) count its own steps and never move the run's. Its states and checkpoints are
 * the subgraph's, not the run's: they stay in the raw log only, and so do its interrupts, which the root
 * reports again as its own.
 */
function applySubgraphEvent(run: RunData, event: Extract<WireRunEvent, [string, unknown, unknown]>, eventIndex: number, receivedAt: number): void {
  const scope = subgraphScope(run.scopes, event[2]);
  if (scope === null) return;
  const parentIndex = run.taskIndexById.get(scope.parentTaskId);
  const step = parentIndex === undefined ? stepGuess(run) ?? run.knownStep : run.tasks[parentIndex]!.step;
  switch (event[0]) {
    case "updates":
      applyUpdates(run, event[1], eventIndex, scope, step);
      break;
    case "messages":
      applyMessage(run, event[1][0], event[1][1], eventIndex, scope, step);
      break;
    case "custom":
      run.custom.push({ step, node: soleRunningTask(run, scope), chunk: event[1], eventIndex, scope });
      run.versions.custom++;
      break;
    case "debug": {
      const chunk = event[1];
      if (chunk.type === "checkpoint") break;
      const at = Date.parse(chunk.timestamp);
      noteTaskTime(run, at, receivedAt);
      if (chunk.type === "task") {
        applyTaskStart(run, chunk.payload, at, step, true, scope);
        run.tasks[run.taskIndexById.get(chunk.payload.id)!]!.innerStep = chunk.step;
      } else applyTaskResult(run, chunk.payload, at, step, true, scope);
      break;
    }
    case "tasks":
      if (!run.streamModes.includes("debug")) noteTaskTime(run, receivedAt, receivedAt);
      if ("error" in event[1]) applyTaskResult(run, event[1], receivedAt, step, false, scope);
      else applyTaskStart(run, event[1], receivedAt, step, false, scope);
      break;
  }
}

function applyMetadata(run: RunData, meta: WireMetadata): void {
  run.runId = meta.run_id;
  run.subgraphs = meta.subgraphs === true;
  run.graphId = meta.graph_id;
  run.threadId = meta.thread_id ?? null;
  run.streamModes = meta.stream_mode;
  run.model = meta.model ?? null;
  run.createdAt = meta.created_at;
  if (run.status === "idle" || run.status === "connecting") run.status = "running";
  run.versions.meta++;
}

function applyStatus(run: RunData, status: WireRunStatus, interrupts: WireInterrupt[], reason: string | null): void {
  run.status = status;
  run.statusReason = reason;
  run.interrupts = status === "interrupted" ? interrupts : [];
  if (status === "interrupted") markRunningNodes(run, "interrupted");
  else if (status === "error") markRunningNodes(run, "error");
  else if (status === "cancelled") markRunningNodes(run, "cancelled");
  else if (status === "done") markRunningNodes(run, "done");
  run.versions.meta++;
}

function isInterruptOnly(chunk: Record<string, unknown>): boolean {
  const keys = Object.keys(chunk);
  return keys.length === 1 && keys[0] === "__interrupt__";
}

function applyValues(run: RunData, values: WireValues, eventIndex: number): void {
  // LangGraph streams `{ __interrupt__: [...] }` through "values" when a node interrupts: not a state.
  if (isInterruptOnly(values)) return;
  // The state a resume starts from, streamed again: the scrubber already has it.
  if (run.resuming && run.values.length > 0) return;
  const step = Math.max(run.knownStep, run.values.length);
  run.values.push({ step, values, eventIndex });
  run.versions.values++;
}

function applyUpdates(run: RunData, chunk: WireUpdates, eventIndex: number, scope: SubgraphScope | null, scopeStep?: number): void {
  const step = scope ? scopeStep! : stepGuess(run);
  for (const node of Object.keys(chunk)) {
    const isInterrupt = node === "__interrupt__";
    // The root reports a subgraph's interrupt as its own: one entry is enough.
    if (isInterrupt && scope) continue;
    const nodeKey = innerNodeKey(scope, node);
    run.updates.push({ step, node, update: chunk[node], isInterrupt, eventIndex, scope, nodeKey });
    if (!isInterrupt) setNode(run, nodeKey, "done");
  }
  run.versions.updates++;
}

/** The step an update or custom chunk belongs to, as best the stream tells; null when it tells nothing. */
function stepGuess(run: RunData): number | null {
  // Updates and custom chunks of step s arrive before the values of step s, so the count of states seen
  // (input included) is s when every step wrote; a step the stream stated is exact. Both are lower bounds.
  // With "debug" the engine's step arrives before each step's updates: exact, so nothing overrides it.
  if (run.streamModes.includes("debug") && run.knownStep > 0) return run.knownStep;
  const fromValues = run.values.length;
  if (run.knownStep > 0 || fromValues > 0) return Math.max(run.knownStep, fromValues);
  return null;
}

function applyMessage(run: RunData, message: WireMessage, metadata: WireMessageMetadata, eventIndex: number, scope: SubgraphScope | null, scopeStep?: number): void {
  let step: number;
  if (scope) step = scopeStep!;
  else {
    step = typeof metadata.langgraph_step === "number" ? metadata.langgraph_step : run.knownStep;
    if (step > run.knownStep) run.knownStep = step;
  }
  const node = typeof metadata.langgraph_node === "string" ? metadata.langgraph_node : "?";
  const nodeKey = innerNodeKey(scope, node);
  const id = message.id ?? `${node}:${step}:${eventIndex}`;
  let index = run.messageIndexById.get(id);
  let group: MessageGroup;
  if (index === undefined) {
    index = run.messages.length;
    group = {
      id,
      node,
      step,
      taskId: taskIdOf(metadata),
      sendIndex: sendIndexOf(metadata),
      type: message.type,
      metadata,
      tokens: [],
      toolCallChunks: [],
      usage: undefined,
      firstEventIndex: eventIndex,
      lastEventIndex: eventIndex,
      scope,
      nodeKey,
    };
    run.messages.push(group);
    run.messageIndexById.set(id, index);
    if (group.taskId !== null) run.newestMessageOfTask.set(group.taskId, eventIndex);
  } else {
    group = run.messages[index]!;
    group.lastEventIndex = eventIndex;
  }
  if (message.content !== "") {
    group.tokens.push(message.content);
    run.tokenCount++;
  }
  if (message.type === "AIMessageChunk") {
    if (message.tool_call_chunks.length > 0) group.toolCallChunks.push(...message.tool_call_chunks);
    if (message.usage_metadata) group.usage = message.usage_metadata;
  } else if (message.type === "ai" && message.usage_metadata) {
    group.usage = message.usage_metadata;
  }
  if (run.status !== "done" && run.nodes.get(nodeKey) !== "running") setNode(run, nodeKey, "running");
  run.versions.messages++;
}

/** The task id is the last part of the checkpoint namespace, "node:<taskId>" (nested: "a:<id>|b:<id>"). */
function taskIdOf(metadata: WireMessageMetadata): string | null {
  const ns = metadata.langgraph_checkpoint_ns ?? metadata.checkpoint_ns;
  if (typeof ns !== "string") return null;
  const last = ns.slice(ns.lastIndexOf("|") + 1);
  const colon = last.indexOf(":");
  return colon >= 0 ? last.slice(colon + 1) : null;
}

/** A Send task's path is ["__pregel_push", index, ...]. */
function sendIndexOf(metadata: WireMessageMetadata): number | null {
  const path = metadata.langgraph_path;
  return Array.isArray(path) && path[0] === "__pregel_push" && typeof path[1] === "number" ? path[1] : null;
}

function applyDebug(run: RunData, chunk: WireDebug, eventIndex: number, receivedAt: number): void {
  if (chunk.step > run.knownStep) run.knownStep = chunk.step;
  const at = Date.parse(chunk.timestamp);
  if (chunk.type !== "checkpoint") noteTaskTime(run, at, receivedAt);
  switch (chunk.type) {
    case "task":
      applyTaskStart(run, chunk.payload, at, chunk.step, true, null);
      break;
    case "task_result":
      applyTaskResult(run, chunk.payload, at, chunk.step, true, null);
      break;
    case "checkpoint":
      run.checkpoints.push({ step: chunk.step, payload: chunk.payload, eventIndex });
      break;
  }
}

function applyTaskStart(run: RunData, payload: WireTaskStart, at: number, step: number, fromDebug: boolean, scope: SubgraphScope | null): void {
  const known = run.taskIndexById.get(payload.id);
  const nodeKey = innerNodeKey(scope, payload.name);
  if (known !== undefined) {
    const task = run.tasks[known]!;
    if (task.state === "interrupted" && task.endedAt !== null) {
      // The interrupted task runs again on resume (same id, same step): its bar continues from here.
      task.state = "running";
      task.endedAt = null;
      task.startedAt = at;
      task.interrupts = [];
      run.runningTasks++;
      setNode(run, nodeKey, "running");
      run.versions.tasks++;
      return;
    }
    // "debug" and "tasks" describe the same task; debug's step and timestamp are the exact ones.
    if (fromDebug) {
      task.step = step;
      task.startedAt = at;
      run.versions.tasks++;
    }
    return;
  }
  run.taskIndexById.set(payload.id, run.tasks.length);
  run.tasks.push({
    id: payload.id,
    name: payload.name,
    step,
    triggers: payload.triggers,
    input: payload.input,
    startedAt: at,
    endedAt: null,
    result: undefined,
    error: null,
    interrupts: payload.interrupts ?? [],
    state: "running",
    scope,
    nodeKey,
  });
  if (scope) run.subgraphTasks++;
  run.runningTasks++;
  setNode(run, nodeKey, "running");
  run.versions.tasks++;
}

function applyTaskResult(run: RunData, payload: WireTaskResult, at: number, step: number, fromDebug: boolean, scope: SubgraphScope | null): void {
  let index = run.taskIndexById.get(payload.id);
  if (index === undefined) {
    // A result whose start we never saw (joined mid-task with a trimmed log): show it as an instant.
    applyTaskStart(run, { id: payload.id, name: payload.name, input: undefined, triggers: [], interrupts: [] }, at, step, fromDebug, scope);
    index = run.taskIndexById.get(payload.id)!;
  }
  const task = run.tasks[index]!;
  if (task.endedAt !== null) {
    if (fromDebug) {
      task.endedAt = at;
      run.versions.tasks++;
    }
    return;
  }
  task.endedAt = at;
  task.result = payload.result;
  task.error = payload.error;
  task.interrupts = payload.interrupts ?? [];
  task.state = payload.error ? "error" : task.interrupts.length > 0 ? "interrupted" : "done";
  run.runningTasks = Math.max(0, run.runningTasks - 1);
  setNode(run, task.nodeKey, task.state);
  run.versions.tasks++;
}

function noteTaskTime(run: RunData, at: number, receivedAt: number): void {
  if (at < run.lastTaskTime) return;
  run.lastTaskTime = at;
  run.lastTaskTimeReceivedAt = receivedAt;
  if (at > run.timelineEnd) run.timelineEnd = at;
}

/** The name of the one task running in `scope` (the root when null), or null when none or several are. */
function soleRunningTask(run: RunData, scope: SubgraphScope | null): string | null {
  let found: string | null = null;
  // Running tasks are near the end; stop at the first finished step boundary we pass.
  for (let i = run.tasks.length - 1; i >= 0 && i >= run.tasks.length - 64; i--) {
    const task = run.tasks[i]!;
    if (task.state !== "running" || task.scope !== scope) continue;
    if (found !== null && found !== task.name) return null;
    found = task.name;
  }
  return found;
}

function setNode(run: RunData, node: string, state: NodeState): void {
  if (run.nodes.get(node) === state) return;
  run.nodes.set(node, state);
  run.versions.nodes++;
}

/** The run stopped (interrupt, error, cancel, end): whatever was still running stops with it. */
function markRunningNodes(run: RunData, stopped: NodeState): void {
  // When the failing task is known (debug/tasks told us), the others did not fail: they were cancelled.
  const state: NodeState = stopped === "error" && run.tasks.some((t) => t.state === "error") ? "cancelled" : stopped;
  for (const [node, current] of run.nodes) if (current === "running") setNode(run, node, state);
  // An interrupted task reports its own result; the others never will, so close their bars now.
  if (state === "interrupted" || run.runningTasks === 0) return;
  for (let i = run.tasks.length - 1; i >= 0 && run.runningTasks > 0; i--) {
    const task = run.tasks[i]!;
    if (task.state !== "running") continue;
    task.state = state === "done" ? "done" : state === "error" ? "error" : "cancelled";
    task.endedAt = Math.max(task.startedAt, run.timelineEnd);
    run.runningTasks--;
  }
  run.runningTasks = 0;
  run.versions.tasks++;
}
