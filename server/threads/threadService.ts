// The thread procedures' logic: create, read (state through the graph's engine), list, history, update
// (the engine's updateState: edit, or fork from a past checkpoint), delete, and starting runs on threads.
// A thread belongs to the identity that created it (with auth): anyone else gets NOT_FOUND, as for runs.
import { randomUUID } from "node:crypto";
import type { BaseCheckpointSaver } from "../../lib/graph/checkpoint/base";
import type { GraphSource, RunnableGraph } from "../runs/graphSource";
import { RunRequestError } from "../runs/runErrors";
import type { RunManager, StartRequest } from "../runs/runManager";
import type { RunRecord } from "../runs/runStore";
import { stringifyRunEvent } from "../runs/messageWireShape";
import type { ThreadSnapshot, ThreadStateGraph } from "./threadStateGraph";
import { ThreadRuns, type MultitaskStrategy } from "./threadRuns";
import { ThreadRetention } from "./threadRetention";
import { ThreadExistsError, type ThreadRecord, type ThreadStatus, type ThreadStore } from "./threadStore";

export interface ThreadInfo {
  threadId: string;
  graphId: string;
  status: ThreadStatus;
  createdAt: string;
  updatedAt: string;
  metadata: Record<string, unknown>;
}

export interface ThreadInterrupt {
  id?: string;
  value?: unknown;
}

/** threads.get: the thread and its latest state. */
export interface ThreadState extends ThreadInfo {
  values: unknown;
  /** Nodes that run next (empty: the graph ended, or nothing ran yet). */
  next: string[];
  /** The latest checkpoint's id; null before the first run. */
  checkpointId: string | null;
  /** What interrupted nodes ask, while the thread waits at an interrupt. */
  interrupts: ThreadInterrupt[];
  /** The run going on the thread in this process (running or waiting at an interrupt), if any. */
  runId?: string;
}

/** One checkpoint of a thread, as threads.history lists them (newest first). */
export interface ThreadCheckpoint {
  checkpointId: string;
  parentCheckpointId: string | null;
  createdAt: string | null;
  values: unknown;
  next: string[];
  interrupts: ThreadInterrupt[];
  /** The engine's checkpoint metadata: source ("input", "loop", "update", "fork"), step, ... */
  metadata: Record<string, unknown>;
}

export interface ThreadServiceOptions {
  store: ThreadStore;
  graphs: GraphSource;
  runs: () => RunManager;
  /** Threads kept (RILL_STORE_MAX_THREADS): past it the oldest without a run going are dropped. Default: no limit. */
  maxThreads?: number;
  log?: (line: { level: "info" | "warn" | "error"; msg: string; [key: string]: unknown }) => void;
}

export class ThreadService {
  readonly store: ThreadStore;
  readonly runs: ThreadRuns;
  readonly retention: ThreadRetention;
  private readonly graphs: GraphSource;
  private readonly runManager: () => RunManager;

  constructor(options: ThreadServiceOptions) {
    this.store = options.store;
    this.graphs = options.graphs;
    this.runManager = options.runs;
    this.runs = new ThreadRuns({ store: options.store, runs: options.runs, log: options.log });
    this.retention = new ThreadRetention({
      store: options.store,
      maxThreads: options.maxThreads ?? Number.MAX_SAFE_INTEGER,
      log: options.log,
      drop: async (record) => {
        if (this.runs.current(record.threadId)) return false;
        await this.saverOf(record)?.deleteThread(record.threadId);
        if (!(await this.store.delete(record.threadId))) return false;
        this.retention.deleted();
        return true;
      },
    });
  }

  async create(input: { graphId: string; threadId?: string; metadata?: Record<string, unknown> }, identity: string | null): Promise<ThreadInfo> {
    this.requireGraph(input.graphId);
    try {
      const record = await this.store.create({
        threadId: input.threadId ?? randomUUID(),
        graphId: input.graphId,
        ...(identity !== null ? { owner: identity } : {}),
        metadata: input.metadata ?? {},
      });
      this.retention.created();
      return toThreadInfo(record);
    } catch (error) {
      if (error instanceof ThreadExistsError) throw new RunRequestError("CONFLICT", `thread "${input.threadId}" already exists; choose another id`);
      throw error;
    }
  }

  async get(threadId: string, identity: string | null): Promise<ThreadState> {
    await this.runs.settled(threadId);
    const record = await this.require(threadId, identity);
    const graph = this.stateGraphOf(record);
    const snapshot = graph ? await graph.getState({ configurable: { thread_id: threadId } }) : undefined;
    const current = this.runs.current(threadId);
    return {
      ...toThreadInfo(record),
      values: plainValues(snapshot?.values ?? {}),
      next: snapshot ? [...snapshot.next] : [],
      checkpointId: (snapshot?.config.configurable?.checkpoint_id as string | undefined) ?? null,
      interrupts: snapshot ? interruptsOf(snapshot) : [],
      ...(current ? { runId: current.runId } : {}),
    };
  }

  async list(query: { graphId?: string; status?: ThreadStatus; limit: number; offset?: number }, identity: string | null): Promise<ThreadInfo[]> {
    await this.runs.settledAll();
    const records = await this.store.list({ ...query, ...(identity !== null ? { owner: identity } : {}) });
    return records.map(toThreadInfo);
  }

  async history(input: { threadId: string; limit: number; before?: string }, identity: string | null): Promise<ThreadCheckpoint[]> {
    const record = await this.require(input.threadId, identity);
    const graph = this.stateGraphOf(record);
    if (!graph) return [];
    if (input.before !== undefined) await this.requireCheckpoint(graph, input.threadId, input.before);
    const out: ThreadCheckpoint[] = [];
    const options = { limit: input.limit, ...(input.before !== undefined ? { before: { configurable: { checkpoint_id: input.before } } } : {}) };
    for await (const snapshot of graph.getStateHistory({ configurable: { thread_id: input.threadId } }, options)) {
      out.push(toCheckpoint(snapshot));
      if (out.length >= input.limit) break;
    }
    return out;
  }

  /** The engine's updateState on the thread (from `checkpointId`: a fork). Refused while a run is running on it. */
  async update(
    input: { threadId: string; values: unknown; asNode?: string; checkpointId?: string },
    identity: string | null,
  ): Promise<{ checkpointId: string }> {
    const record = await this.require(input.threadId, identity);
    const graph = this.stateGraphOf(record);
    if (!graph) throw new RunRequestError("PRECONDITION_FAILED", `graph "${record.graphId}" keeps no state (no checkpointer); thread "${input.threadId}" cannot be updated`);
    const current = this.runs.current(input.threadId);
    if (current?.status === "running") {
      throw new RunRequestError("CONFLICT", `thread "${input.threadId}" is busy with run "${current.runId}"; update its state once the run has ended`);
    }
    if (input.checkpointId !== undefined) await this.requireCheckpoint(graph, input.threadId, input.checkpointId);
    const configurable: Record<string, unknown> = { thread_id: input.threadId, ...(input.checkpointId !== undefined ? { checkpoint_id: input.checkpointId } : {}) };
    let result: { configurable?: Record<string, unknown> };
    try {
      result = await graph.updateState({ configurable }, input.values, input.asNode);
    } catch (error) {
      throw new RunRequestError("BAD_REQUEST", `threads.update on thread "${input.threadId}" (graph "${record.graphId}"): ${(error as Error).message}`);
    }
    await this.store.touch(input.threadId);
    return { checkpointId: String(result.configurable?.checkpoint_id ?? "") };
  }

  /** Cancels the thread's run (if any), drops its checkpoints and its record. */
  async delete(threadId: string, identity: string | null): Promise<{ threadId: string; deleted: true }> {
    const record = await this.require(threadId, identity);
    await this.runs.stop(threadId, "its thread was deleted");
    const saver = this.saverOf(record);
    await saver?.deleteThread(threadId);
    await this.runs.settled(threadId);
    if (await this.store.delete(threadId)) this.retention.deleted();
    return { threadId, deleted: true };
  }

  /**
   * Starts a run on `threadId` (a new thread when absent), from `checkpointId` when given (a fork),
   * applying `strategy` when the thread is running. A runId naming an existing run joins it, as before.
   */
  async startRun(
    request: StartRequest,
    strategy: MultitaskStrategy,
    owner: string,
    identity: string | null,
  ): Promise<{ record: RunRecord; joined: boolean }> {
    if (request.runId !== undefined && this.runManager().get(request.runId)) return this.runManager().start(request, owner, identity);
    const graph = this.requireGraph(request.graphId);
    if (request.threadId === undefined) {
      if (request.checkpointId !== undefined) throw new RunRequestError("BAD_REQUEST", "checkpointId: give threadId too (a checkpoint is a thread's)");
      const threadId = randomUUID();
      // Checked before a thread is recorded for it: a refused start leaves no thread behind.
      const parsed = graph.input.safeParse(request.input);
      if (!parsed.success) return this.runManager().start(request, owner, identity); // throws the run manager's BAD_REQUEST, naming the field
      await this.store.create({ threadId, graphId: graph.id, ...(identity !== null ? { owner: identity } : {}) });
      try {
        const record = this.runs.startNow({ ...request, threadId }, owner, identity, undefined);
        this.retention.created();
        return { record, joined: false };
      } catch (error) {
        await this.runs.settled(threadId);
        await this.store.delete(threadId);
        throw error;
      }
    }
    const threadId = request.threadId;
    const record = await this.require(threadId, identity);
    if (record.graphId !== request.graphId) {
      throw new RunRequestError("BAD_REQUEST", `thread "${threadId}" is a thread of graph "${record.graphId}", not "${request.graphId}"`);
    }
    const state = this.stateGraphOf(record);
    if (request.checkpointId !== undefined) {
      if (!state) throw new RunRequestError("NOT_FOUND", `checkpoint "${request.checkpointId}" not found in thread "${threadId}" (graph "${record.graphId}" keeps no checkpoints)`);
      await this.requireCheckpoint(state, threadId, request.checkpointId);
    }
    const headOf = async () => {
      if (request.checkpointId !== undefined) return request.checkpointId;
      if (!state) return undefined;
      const snapshot = await state.getState({ configurable: { thread_id: threadId } });
      return snapshot.config.configurable?.checkpoint_id as string | undefined;
    };
    const started = await this.runs.start({ ...request, threadId }, owner, identity, strategy, () => this.saverOf(record), headOf);
    return { record: started, joined: false };
  }

  private requireGraph(graphId: string): RunnableGraph {
    const graph = this.graphs.get(graphId);
    if (!graph) throw new RunRequestError("NOT_FOUND", `unknown graph "${graphId}"; this server runs: ${this.graphs.ids().join(", ")}`);
    return graph;
  }

  /** The thread, when `identity` may see it; NOT_FOUND naming it otherwise (another identity's thread is answered alike). */
  private async require(threadId: string, identity: string | null): Promise<ThreadRecord> {
    const record = await this.store.get(threadId);
    if (!record || (identity !== null && record.owner !== identity)) throw new RunRequestError("NOT_FOUND", `thread "${threadId}" not found`);
    return record;
  }

  private async requireCheckpoint(graph: ThreadStateGraph, threadId: string, checkpointId: string): Promise<void> {
    const saver = graph.checkpointer as Pick<BaseCheckpointSaver, "getTuple">;
    const tuple = await saver.getTuple({ configurable: { thread_id: threadId, checkpoint_ns: "", checkpoint_id: checkpointId } });
    if (tuple?.checkpoint.id !== checkpointId) {
      throw new RunRequestError("NOT_FOUND", `checkpoint "${checkpointId}" not found in thread "${threadId}"`);
    }
  }

  private stateGraphOf(record: ThreadRecord): ThreadStateGraph | undefined {
    const graph = this.graphs.get(record.graphId);
    if (!graph) throw new RunRequestError("PRECONDITION_FAILED", `thread "${record.threadId}" is a thread of graph "${record.graphId}", which this server no longer runs`);
    const state = graph.threadState?.();
    return state?.checkpointer ? state : undefined;
  }

  private saverOf(record: ThreadRecord): BaseCheckpointSaver | undefined {
    const saver = this.graphs.get(record.graphId)?.threadState?.()?.checkpointer as BaseCheckpointSaver | undefined;
    return saver && typeof saver.deleteThread === "function" ? saver : undefined;
  }
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

export function toThreadInfo(record: ThreadRecord): ThreadInfo {
  return { threadId: record.threadId, graphId: record.graphId, status: record.status, createdAt: iso(record.createdAt), updatedAt: iso(record.updatedAt), metadata: record.metadata };
}

/** State values as clients get them: plain JSON, messages in the Agent Server's plain shape (as in run events). */
function plainValues(values: unknown): unknown {
  const json = stringifyRunEvent(values);
  return json === undefined ? null : (JSON.parse(json) as unknown);
}

function interruptsOf(snapshot: ThreadSnapshot): ThreadInterrupt[] {
  const out: ThreadInterrupt[] = [];
  for (const task of snapshot.tasks) for (const interrupt of task.interrupts ?? []) out.push({ id: interrupt.id, value: interrupt.value });
  return out;
}

function toCheckpoint(snapshot: ThreadSnapshot): ThreadCheckpoint {
  return {
    checkpointId: String(snapshot.config.configurable?.checkpoint_id ?? ""),
    parentCheckpointId: (snapshot.parentConfig?.configurable?.checkpoint_id as string | undefined) ?? null,
    createdAt: snapshot.createdAt ?? null,
    values: plainValues(snapshot.values),
    next: [...snapshot.next],
    interrupts: interruptsOf(snapshot),
    metadata: { ...snapshot.metadata },
  };
}
