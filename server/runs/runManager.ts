// Runs live here, not in subscriptions: the manager starts a run's engine stream and appends every tuple
// to the run's log in the store; subscribers follow the log (followRun.ts) at their own pace and can
// leave and come back. One direction of data: engine -> log -> followers.
import { z } from "zod";
import type { Interrupt, Namespace, StreamMode, StreamPart, TaskError } from "../../lib/graph/types";
import { formatEventId, type EventPosition } from "../../lib/run/eventId";
import { ActiveRun } from "./activeRun";
import { ClientRuns } from "./clientRuns";
import { eachEvent, followedEvent, RunFollower, SINGLE_EVENTS, type BatchLimits, type FollowedEvent, type WrapEvent, type WrapEvents } from "./followRun";
import type { GraphSource } from "./graphSource";
import type { RunEvent, RunMetadata, RunStatusEvent, SubgraphStreamPart } from "./runEvent";
import { notAnEventOfRunMessage, RunRequestError } from "./runErrors";
import { ReplayPacer, type ReplayBudget } from "./replayPacer";
import { newRunId } from "./runId";
import { StoreFullError, type RunListQuery, type RunRecord, type RunStatusChange, type RunStore } from "./runStore";
import type { PacingLimits, SubscriberSocket } from "./subscriberPacing";
import { stringifyRunEvent } from "./messageWireShape";

export interface RunLimits {
  /** Runs running at once in this process (interrupted runs have their own pool: see interruptedPool). */
  maxConcurrentRuns: number;
  /** Runs running at once that one client started (a client: server/trpc.ts clientKeyOf). */
  maxRunsPerClient: number;
  /**
   * Of maxConcurrentRuns, the last this many go only to clients with no run running, so that clients
   * holding runs cannot take every slot (default 0; at most maxConcurrentRuns - 1 is used).
   */
  reservedRuns?: number;
  /** Interrupted runs one client may have waiting for a resume (default: no per-client cap). */
  maxInterruptedRunsPerClient?: number;
  /** A run still running after this long is cancelled (each running stretch; 0 = never). */
  runTimeoutMs: number;
  /** An interrupted run not resumed within this long is cancelled (0 = never). */
  interruptTimeoutMs: number;
  /** Highest `config.recursionLimit` a client may ask for. */
  maxRecursionLimit: number;
}

export interface StartRequest {
  graphId: string;
  input: unknown;
  streamMode: StreamMode[];
  /** Also log subgraphs' events, as `[mode, chunk, namespace]`. */
  subgraphs?: boolean;
  config?: { recursionLimit?: number; configurable?: Record<string, unknown> };
  /** A client-chosen id: starting again with the same id joins the run instead of starting another. */
  runId?: string;
  /** The thread whose state the run continues (server/threads/); default: a thread of its own, named by the run id. */
  threadId?: string;
  /** Start from this past checkpoint of the thread instead of its latest (a fork). */
  checkpointId?: string;
}

export interface RunManagerLogLine {
  level: "info" | "warn" | "error";
  msg: string;
  runId?: string;
  [key: string]: unknown;
}

export interface RunManagerOptions {
  store: RunStore;
  graphs: GraphSource;
  limits: RunLimits;
  pacing: PacingLimits;
  /** Wraps a client's resume value for the engine: `new Command({ resume })`. */
  resumeCommand(value: unknown): unknown;
  /** The chat model label recorded in the metadata of runs of graphs that use a model. */
  modelLabel?: string;
  /** Told of every status a run takes (threads project their status from their runs'). */
  onStatusChange?: (runId: string, change: RunStatusChange) => void;
  /** Told once an ended run's engine stream has stopped: it writes no more checkpoints. */
  onRunStopped?: (runId: string) => void;
  /** What all replays together may send per event-loop turn (default DEFAULT_REPLAY_BUDGET). */
  replayBudget?: ReplayBudget;
  log?: (line: RunManagerLogLine) => void;
}

export interface FollowRequest {
  runId: string;
  /** The last event the subscriber has (its lastEventId, parsed once by the caller); none = from the start, metadata first. */
  after?: EventPosition | null;
  signal: AbortSignal;
  socket?: SubscriberSocket | null;
  /** Called once when following ends, however it ends. */
  onEnd?: () => void;
  /** What the iterator rejects with for an error it meets (default: the error itself). */
  mapError?: (error: unknown) => unknown;
  /**
   * The subscriber starts behind the live end: it replays within the process's shared replay budget
   * until it catches up, then `onCaughtUp` is called (see replayPacer.ts). Use isBehind() to decide.
   */
  replay?: { onCaughtUp?: () => void } | null;
}

const ENGINE_INTERRUPT_KEY = "__interrupt__";

function formatZodIssues(error: z.ZodError, root: string): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.length ? `${root}.${issue.path.map(String).join(".")}` : root;
      return `${path}: ${issue.message}`;
    })
    .join("; ");
}

export function toTaskError(error: unknown): TaskError {
  if (error instanceof Error) return { name: error.name || "Error", message: error.message };
  return { name: "Error", message: String(error) };
}

export class RunManager {
  readonly store: RunStore;
  private readonly graphs: GraphSource;
  private readonly limits: RunLimits;
  private readonly pacing: PacingLimits;
  private readonly options: RunManagerOptions;
  private readonly active = new Map<string, ActiveRun>();
  private readonly clients = new ClientRuns();
  private readonly replayPacer: ReplayPacer;
  private running = 0;
  private draining = false;
  private sweepTimer: NodeJS.Timeout | null = null;

  constructor(options: RunManagerOptions) {
    this.options = options;
    this.store = options.store;
    this.graphs = options.graphs;
    this.limits = options.limits;
    this.pacing = options.pacing;
    this.replayPacer = new ReplayPacer(options.replayBudget);
    const every = Math.min(Math.max(this.store.limits.maxAgeMs / 2, 1000), 60_000);
    this.sweepTimer = setInterval(() => this.store.sweep(), every);
    this.sweepTimer.unref();
  }

  get runningCount(): number {
    return this.running;
  }

  get activeCount(): number {
    return this.active.size;
  }

  get isDraining(): boolean {
    return this.draining;
  }

  /** Interrupted runs waiting for a resume, over all clients. */
  get interruptedCount(): number {
    return this.clients.parkedCount;
  }

  /**
   * How many interrupted runs the process keeps: the store's run slots minus those running runs may
   * need (RILL_STORE_MAX_RUNS - RILL_MAX_RUNS). Within it, a start that passes the running limits always
   * finds a store slot, so interrupted runs can never lock anyone out of starting runs.
   */
  get interruptedPool(): number {
    return Math.max(0, this.store.limits.maxRuns - this.limits.maxConcurrentRuns);
  }

  /**
   * Starts a run, or joins the existing one when `request.runId` names a run of the same graph (and of
   * the same `identity`: with auth, the run belongs to the identity that started it; null = no auth).
   * `owner` is the client the per-client limits count it for.
   * Throws RunRequestError for an unknown graph, a bad input or config, or a limit.
   */
  start(request: StartRequest, owner: string, identity: string | null = null): { record: RunRecord; joined: boolean } {
    const graph = this.graphs.get(request.graphId);
    if (!graph) {
      throw new RunRequestError(
        "NOT_FOUND",
        `unknown graph "${request.graphId}"; this server runs: ${this.graphs.ids().join(", ")}`,
      );
    }
    if (request.runId) {
      const existing = this.store.get(request.runId);
      if (existing) {
        if (identity !== null && existing.owner !== identity) {
          // Another identity's run: neither join it nor say what it is.
          throw new RunRequestError("CONFLICT", `runId "${request.runId}" is taken; choose another id`);
        }
        if (existing.metadata.graph_id !== request.graphId) {
          throw new RunRequestError(
            "CONFLICT",
            `runId "${request.runId}" is a run of graph "${existing.metadata.graph_id}", not "${request.graphId}"`,
          );
        }
        return { record: existing, joined: true };
      }
    }
    if (this.draining) throw new RunRequestError("SERVICE_UNAVAILABLE", "the server is shutting down and starts no new runs");
    if (graph.error !== undefined) throw new RunRequestError("PRECONDITION_FAILED", `graph "${graph.id}" cannot run: ${graph.error}`);
    const parsed = graph.input.safeParse(request.input);
    if (!parsed.success) {
      throw new RunRequestError("BAD_REQUEST", `graph "${graph.id}": ${formatZodIssues(parsed.error, "input")}`);
    }
    const recursionLimit = request.config?.recursionLimit;
    if (recursionLimit !== undefined && recursionLimit > this.limits.maxRecursionLimit) {
      throw new RunRequestError(
        "BAD_REQUEST",
        `config.recursionLimit: ${recursionLimit} is above this server's limit of ${this.limits.maxRecursionLimit} (RILL_MAX_RECURSION_LIMIT)`,
      );
    }
    this.checkRunningLimits(owner);
    this.checkInterruptedLimit(owner);

    const runId = request.runId ?? newRunId();
    const metadata: RunMetadata = {
      run_id: runId,
      graph_id: graph.id,
      thread_id: request.threadId ?? runId,
      stream_mode: [...request.streamMode],
      ...(request.subgraphs === true ? { subgraphs: true as const } : {}),
      ...(graph.usesModel && this.options.modelLabel ? { model: this.options.modelLabel } : {}),
      created_at: new Date().toISOString(),
    };
    let record: RunRecord;
    try {
      record = this.store.create(metadata, parsed.data, identity ?? undefined);
    } catch (error) {
      if (error instanceof StoreFullError) throw new RunRequestError("TOO_MANY_REQUESTS", error.message);
      throw error;
    }
    const requested = new Set(request.streamMode);
    const engineModes = requested.has("updates") ? [...request.streamMode] : [...request.streamMode, "updates" as const];
    const run = new ActiveRun(
      runId,
      owner,
      graph.graph(),
      requested,
      engineModes,
      {
        ...request.config?.configurable,
        thread_id: request.threadId ?? runId,
        ...(request.checkpointId !== undefined ? { checkpoint_id: request.checkpointId } : {}),
      },
      recursionLimit,
      request.subgraphs === true,
    );
    this.active.set(runId, run);
    this.enterRunning(run);
    this.log({ level: "info", msg: "run started", runId, graphId: graph.id, owner });
    void this.drive(run, parsed.data);
    return { record, joined: false };
  }

  /** Continues an interrupted run: `Command({ resume: value })` on its thread, same run, same log. */
  resume(runId: string, value: unknown): RunRecord {
    const record = this.requireRecord(runId);
    const run = this.active.get(runId);
    if (!run || record.status !== "interrupted") {
      throw new RunRequestError(
        "PRECONDITION_FAILED",
        `run "${runId}" is ${record.status}; only an interrupted run can be resumed`,
      );
    }
    if (this.draining) throw new RunRequestError("SERVICE_UNAVAILABLE", "the server is shutting down and resumes no runs");
    this.checkRunningLimits(run.owner, "; resume later");
    this.clients.unpark(run);
    delete run.configurable.checkpoint_id; // a fork starts from it once; the resume continues the thread's latest
    this.setStatus(run, { status: "running" });
    this.enterRunning(run);
    this.log({ level: "info", msg: "run resumed", runId });
    void this.drive(run, this.options.resumeCommand(value));
    return record;
  }

  /** Cancels a running or interrupted run with a final ["status", {status: "cancelled"}]. Idempotent. */
  cancel(runId: string, reason = "cancelled by a client"): RunRecord {
    const record = this.requireRecord(runId);
    const run = this.active.get(runId);
    if (run) this.finish(run, { status: "cancelled", reason });
    return record;
  }

  get(runId: string): RunRecord | undefined {
    return this.store.get(runId);
  }

  /** Resolves with the run's record once it has ended (done, error or cancelled). */
  async whenEnded(runId: string): Promise<RunRecord> {
    const record = this.requireRecord(runId);
    const run = this.active.get(runId);
    if (run) await run.whenEnded;
    return this.store.get(runId) ?? record;
  }

  list(query?: RunListQuery): RunRecord[] {
    return this.store.list(query);
  }

  /**
   * Follows a run from `lastEventId` (or from the start): replay from the log, then live, until the run
   * ends. Throws RunRequestError for an unknown run or an event id of another run; the iterator throws
   * EventsEvictedError if the events it needs were evicted. `wrap` builds what it yields.
   */
  follow(request: FollowRequest): RunFollower<FollowedEvent>;
  follow<T>(request: FollowRequest, wrap: WrapEvent<T>): RunFollower<T>;
  follow<T>(request: FollowRequest, wrap?: WrapEvent<T>): RunFollower<T | FollowedEvent> {
    return this.followWith<T | FollowedEvent>(request, eachEvent<T | FollowedEvent>(wrap ?? followedEvent), SINGLE_EVENTS);
  }

  /** Like follow(), but each step yields the events at hand together (up to `limits`), built by `wrap`. */
  followBatches<T>(request: FollowRequest, wrap: WrapEvents<T>, limits: BatchLimits): RunFollower<T> {
    return this.followWith(request, wrap, limits);
  }

  private followWith<T>(request: FollowRequest, wrap: WrapEvents<T>, limits: BatchLimits): RunFollower<T> {
    const record = this.requireRecord(request.runId);
    let afterSeq = -1;
    const position = request.after;
    if (position) {
      const lastEventId = formatEventId(position.runId, position.seq);
      if (position.runId !== request.runId) {
        throw new RunRequestError("BAD_REQUEST", notAnEventOfRunMessage(lastEventId, request.runId));
      }
      if (position.seq > record.lastSeq) {
        throw new RunRequestError(
          "BAD_REQUEST",
          `lastEventId: "${lastEventId}" is ahead of run "${request.runId}", whose last event is ${formatEventId(request.runId, record.lastSeq)}`,
        );
      }
      afterSeq = position.seq;
    }
    return new RunFollower<T>(
      this.store,
      {
        onNextAppend: (runId, wake) => {
          const run = this.active.get(runId);
          if (!run) return false;
          run.onNextAppend(wake);
          return true;
        },
      },
      request.runId,
      {
        afterSeq,
        signal: request.signal,
        socket: request.socket,
        pacing: this.pacing,
        onDrop: (info) =>
          this.log({ level: "warn", msg: "slow subscriber dropped (it resumes from its lastEventId)", ...info }),
        onEnd: request.onEnd,
        mapError: request.mapError,
        replay: request.replay ? { pacer: this.replayPacer, onCaughtUp: request.replay.onCaughtUp } : null,
      },
      wrap,
      limits,
    );
  }

  /** True when a subscriber after `after` (none: from the start) would have logged events to catch up on. */
  isBehind(runId: string, after: EventPosition | null | undefined): boolean {
    const record = this.store.get(runId);
    if (!record) return false;
    return record.lastSeq > (after?.seq ?? 0);
  }

  /** Stops accepting runs and cancels every active one with `reason`. Returns how many were cancelled. */
  shutdown(reason: string): number {
    this.draining = true;
    const runs = [...this.active.values()];
    for (const run of runs) this.finish(run, { status: "cancelled", reason });
    return runs.length;
  }

  /** Stops the retention sweep (the store keeps its runs). */
  close(): void {
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.sweepTimer = null;
  }

  private requireRecord(runId: string): RunRecord {
    const record = this.store.get(runId);
    if (!record) throw new RunRequestError("NOT_FOUND", `run "${runId}" not found (unknown id, or dropped from the run store after it ended)`);
    return record;
  }

  private checkRunningLimits(owner: string, advice = "; try again when one ends"): void {
    const max = this.limits.maxConcurrentRuns;
    if (this.running >= max) {
      throw new RunRequestError("TOO_MANY_REQUESTS", `${this.running} runs are running, this server's limit (RILL_MAX_RUNS=${max})${advice}`);
    }
    const mine = this.clients.running(owner);
    if (mine >= this.limits.maxRunsPerClient) {
      throw new RunRequestError(
        "TOO_MANY_REQUESTS",
        `this client has ${mine} runs running, the limit per client (RILL_MAX_RUNS_PER_CLIENT=${this.limits.maxRunsPerClient})${advice}`,
      );
    }
    const reserved = Math.min(this.limits.reservedRuns ?? 0, max - 1);
    if (mine > 0 && this.running >= max - reserved) {
      throw new RunRequestError(
        "TOO_MANY_REQUESTS",
        `${this.running} of this server's ${max} run slots (RILL_MAX_RUNS) are in use and the last ${reserved} are kept for ` +
          `clients with no run running (RILL_RESERVED_RUNS=${reserved}); this client has ${mine}${advice}`,
      );
    }
  }

  private checkInterruptedLimit(owner: string): void {
    const cap = this.limits.maxInterruptedRunsPerClient;
    const parked = this.clients.parked(owner);
    if (cap !== undefined && parked >= cap) {
      throw new RunRequestError(
        "TOO_MANY_REQUESTS",
        `this client has ${parked} interrupted runs waiting for a resume, the limit per client ` +
          `(RILL_MAX_INTERRUPTED_RUNS_PER_CLIENT=${cap}); resume or cancel one first`,
      );
    }
  }

  /**
   * Keeps interrupted runs within the per-client cap and the process's pool (interruptedPool): over
   * either, the oldest interrupted run of the client over its cap, else of the client with the most, is
   * cancelled with a reason naming the limit. So one client's parked runs can only displace its own or
   * those of clients holding as many, never fill the store.
   */
  private enforceInterruptedLimits(owner: string): void {
    const cap = this.limits.maxInterruptedRunsPerClient;
    while (cap !== undefined && this.clients.parked(owner) > cap) {
      const oldest = this.clients.oldestParked(owner)!;
      this.finish(oldest, {
        status: "cancelled",
        reason: `cancelled: its client has more than ${cap} interrupted runs waiting (RILL_MAX_INTERRUPTED_RUNS_PER_CLIENT), and this was the oldest`,
      });
    }
    const pool = this.interruptedPool;
    while (this.clients.parkedCount > pool) {
      const most = this.clients.mostParked()!;
      const oldest = this.clients.oldestParked(most.client)!;
      this.finish(oldest, {
        status: "cancelled",
        reason:
          `cancelled: the server keeps at most ${pool} interrupted runs (RILL_STORE_MAX_RUNS - RILL_MAX_RUNS) and ` +
          `its client had the most waiting (${most.count}); this was its oldest`,
      });
    }
  }

  private enterRunning(run: ActiveRun): void {
    run.running = true;
    this.running += 1;
    this.clients.enterRunning(run.owner);
    run.setTimer(this.limits.runTimeoutMs, () =>
      this.finish(run, {
        status: "cancelled",
        reason: `still running after ${this.limits.runTimeoutMs} ms (RILL_RUN_TIMEOUT_MS)`,
      }),
    );
  }

  private leaveRunning(run: ActiveRun): void {
    if (!run.running) return;
    run.running = false;
    run.clearTimer();
    this.running -= 1;
    this.clients.leaveRunning(run.owner);
  }

  private append(run: ActiveRun, event: RunEvent): void {
    let json: string;
    try {
      json = stringifyRunEvent(event);
    } catch (error) {
      throw new TypeError(`a "${event[0]}" chunk is not JSON-serializable: ${toTaskError(error).message}`);
    }
    this.store.append(run.runId, json);
    run.notifyAppended();
  }

  private setStatus(run: ActiveRun, change: RunStatusChange): void {
    const event: RunStatusEvent = { status: change.status };
    if (change.interrupts) event.interrupts = change.interrupts;
    if (change.reason !== undefined) event.reason = change.reason;
    this.store.setStatus(run.runId, change);
    this.append(run, ["status", event]);
    this.options.onStatusChange?.(run.runId, change);
  }

  private async drive(run: ActiveRun, input: unknown): Promise<void> {
    const controller = new AbortController();
    run.controller = controller;
    const interrupts: Interrupt[] = [];
    run.driving = true;
    try {
      const stream = await run.graph.stream(input, {
        streamMode: run.engineModes,
        signal: controller.signal,
        configurable: run.configurable,
        ...(run.recursionLimit !== undefined ? { recursionLimit: run.recursionLimit } : {}),
        ...(run.subgraphs ? { subgraphs: true as const } : {}),
      });
      for await (const enginePart of stream) {
        if (run.ended || controller.signal.aborted) break;
        const event = run.subgraphs ? namespacedEvent(enginePart as [Namespace, ...StreamPart]) : (enginePart as StreamPart);
        const [mode, chunk] = event;
        // Only root updates are counted, as without subgraphs: the root reports a subgraph's interrupts too.
        if (mode === "updates" && event.length === 2 && chunk !== null && typeof chunk === "object" && ENGINE_INTERRUPT_KEY in chunk) {
          const asked = (chunk as Record<string, unknown>)[ENGINE_INTERRUPT_KEY];
          if (Array.isArray(asked)) interrupts.push(...(asked as Interrupt[]));
        }
        if (run.requested.has(mode)) this.append(run, event);
      }
    } catch (error) {
      run.driving = false;
      if (run.ended || controller.signal.aborted) return this.stoppedIfEnded(run);
      this.log({ level: "warn", msg: "run failed", runId: run.runId, error: toTaskError(error) });
      this.finish(run, { status: "error", error: toTaskError(error) });
      return;
    }
    run.driving = false;
    if (run.ended || controller.signal.aborted) return this.stoppedIfEnded(run);
    if (interrupts.length > 0) this.interrupt(run, interrupts);
    else this.finish(run, { status: "done" });
  }

  private interrupt(run: ActiveRun, interrupts: Interrupt[]): void {
    this.leaveRunning(run);
    run.controller = null;
    this.setStatus(run, { status: "interrupted", interrupts });
    this.log({ level: "info", msg: "run interrupted", runId: run.runId, interrupts: interrupts.length });
    run.setTimer(this.limits.interruptTimeoutMs, () =>
      this.finish(run, {
        status: "cancelled",
        reason: `not resumed within ${this.limits.interruptTimeoutMs} ms (RILL_INTERRUPT_TIMEOUT_MS)`,
      }),
    );
    this.clients.park(run);
    this.enforceInterruptedLimits(run.owner);
  }

  private finish(run: ActiveRun, change: RunStatusChange): void {
    if (run.ended) return;
    run.ended = true;
    this.leaveRunning(run);
    this.clients.unpark(run);
    run.clearTimer();
    run.controller?.abort(new Error(change.reason ?? change.status));
    run.controller = null;
    try {
      if (change.error) this.append(run, ["error", change.error]);
      this.setStatus(run, change);
    } finally {
      this.active.delete(run.runId);
      run.notifyAppended();
      run.markEnded();
    }
    // A run cancelled while its engine stream is still going stops once that stream has (drive()): its
    // last step may still write checkpoints.
    this.stoppedIfEnded(run);
    this.log({ level: change.status === "error" ? "warn" : "info", msg: `run ${change.status}`, runId: run.runId, reason: change.reason });
  }

  /** Reports an ended run once no engine stream of it is running. Its checkpoints stay: they are its thread's. */
  private stoppedIfEnded(run: ActiveRun): void {
    if (!run.ended || run.driving) return;
    this.options.onRunStopped?.(run.runId);
  }

  private log(line: RunManagerLogLine): void {
    this.options.log?.(line);
  }
}

/** The engine's `[namespace, mode, chunk]` as a logged event: `[mode, chunk]` at the root, `[mode, chunk, namespace]` inside a subgraph. */
function namespacedEvent([namespace, mode, chunk]: [Namespace, ...StreamPart]): StreamPart | SubgraphStreamPart {
  return (namespace.length === 0 ? [mode, chunk] : [mode, chunk, namespace]) as StreamPart | SubgraphStreamPart;
}
