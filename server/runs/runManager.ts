// Runs live here, not in subscriptions: the manager starts a run's engine stream and appends every tuple
// to the run's log in the store; subscribers follow the log (followRun.ts) at their own pace and can
// leave and come back. One direction of data: engine -> log -> followers.
//
// The store is the truth about a run (its record is a projection of its log); `active` only holds what
// this process needs to execute the runs it is the executor of (the engine stream, timers, wake-ups).
// Store answers may be promises (a durable store): they are chained, never awaited per event, and
// followers are woken once what they will read is committed.
import { z } from "zod";
import type { Interrupt, Namespace, StreamMode, StreamPart, TaskError } from "../../lib/graph/types";
import { formatEventId, type EventPosition } from "../../lib/run/eventId";
import { ActiveRun } from "./activeRun";
import { ClientRuns } from "./clientRuns";
import { eachEvent, followedEvent, RunFollower, type FollowedLog, SINGLE_EVENTS, type BatchLimits, type FollowedEvent, type WrapEvent, type WrapEvents } from "./followRun";
import type { EngineStream, GraphSource, RunnableGraph } from "./graphSource";
import { isPromise, settle, then, type MaybePromise } from "./maybePromise";
import { processInstanceId } from "./processInstance";
import type { RunEvent, RunMetadata, RunStatusEvent, SubgraphStreamPart } from "./runEvent";
import { isTerminalStatus } from "../../lib/run/runStatus";
import { notAnEventOfRunMessage, RunRequestError } from "./runErrors";
import { ReplayPacer, type ReplayBudget } from "./replayPacer";
import { newRunId } from "./runId";
import { StoreFullError, type RunListQuery, type RunRecord, type RunStart, type RunStatusChange, type RunStore } from "./runStore";
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
  /**
   * Told of every status a run executed here takes, with its thread (threads project their status from
   * their runs': those started here, and those continued here: queued, taken over, left by a restart).
   */
  onStatusChange?: (runId: string, change: RunStatusChange, threadId: string) => void;
  /** Told once an ended run's engine stream has stopped: it writes no more checkpoints. */
  onRunStopped?: (runId: string) => void;
  /** Told of a run this process stops executing without ending it (shutdown, or another process of the deployment goes on with it). */
  onRunLeft?: (runId: string) => void;
  /** What all replays together may send per event-loop turn (default DEFAULT_REPLAY_BUDGET). */
  replayBudget?: ReplayBudget;
  /** This process, as runs' `executor` (default processInstanceId()). */
  executor?: string;
  /** Runs executed by other processes of a deployment (server/cluster/); absent for one process. */
  elsewhere?: RunsElsewhere;
  /** A deployment's run queue: runs this process does not execute itself are queued for a worker. */
  queue?: RunQueue;
  log?: (line: RunManagerLogLine) => void;
}

/** A deployment's run queue (server/cluster/): where runs go that this process does not execute itself. */
export interface RunQueue {
  /** Whether a run starting now is queued, this process executing `running` runs (an API-only process: always). */
  queues(running: number): boolean;
  /**
   * True when the deployment admits new runs against RILL_MAX_RUNS itself (counting every process's running
   * and queued runs, and naming the instance when it refuses): a start then skips the process's own count.
   */
  readonly admitsRuns: boolean;
  /** Whether a resume asked here is queued for a worker instead of executed here (an API-only process). */
  readonly queuesResumes: boolean;
  /** Queues the resume of an interrupted run: its holder lets it go, a worker continues it with `value`. */
  resume(runId: string, threadId: string, value: unknown): Promise<void>;
  /** Takes a queued run off the queue (to cancel it); false when a worker has taken it. */
  dequeue(runId: string): Promise<boolean>;
  /** Writes the run's record and queues it for a worker. */
  create(metadata: RunMetadata, input: unknown, start: RunStart, owner?: string): Promise<RunRecord>;
}

/** What the manager asks of a deployment about runs another process executes (server/cluster/). */
export interface RunsElsewhere {
  /** Wakes a follower of a run not executing here once more of its log may be readable; false when none will come. */
  onNextAppend(runId: string, wake: () => void, afterSeq: number): boolean;
  /** Asks the process executing `record`'s run to cancel it; resolves with the record once it has ended. */
  cancel(record: RunRecord, reason: string): Promise<RunRecord>;
  /** What followers read through (it may answer a run's record from the events it has read, not the database). */
  followed: FollowedLog;
  /** The run going on a thread anywhere in the deployment (running, queued or interrupted), if any. */
  threadRun(threadId: string): Promise<{ runId: string; status: "running" | "interrupted" } | undefined>;
  /** Resolves once the run has ended (done, error or cancelled), wherever it executes. */
  whenEnded(runId: string): Promise<void>;
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

let managerCount = 0;

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
  /** This process: the executor of the runs it starts or takes over. */
  readonly executor: string;
  private sweepTimer: NodeJS.Timeout | null = null;

  constructor(options: RunManagerOptions) {
    this.options = options;
    this.store = options.store;
    this.graphs = options.graphs;
    this.limits = options.limits;
    this.pacing = options.pacing;
    this.replayPacer = new ReplayPacer(options.replayBudget);
    // One executor id per manager: two servers in one process (tests) are two executors.
    this.executor = options.executor ?? `${processInstanceId()}/${++managerCount}`;
    const every = Math.min(Math.max(this.store.limits.maxAgeMs / 2, 1000), 60_000);
    this.sweepTimer = setInterval(() => {
      const swept = this.store.sweep();
      if (isPromise(swept)) swept.then(undefined, (error: unknown) => this.log({ level: "warn", msg: "run store sweep failed", error: toTaskError(error) }));
    }, every);
    this.sweepTimer.unref();
  }

  /** RILL_MAX_RUNS: runs this process executes at once. */
  get maxConcurrentRuns(): number {
    return this.limits.maxConcurrentRuns;
  }

  get runningCount(): number {
    return this.running;
  }

  get activeCount(): number {
    return this.active.size;
  }

  /** The other processes of the deployment, when this process is one (server/cluster/). */
  get elsewhere(): RunsElsewhere | undefined {
    return this.options.elsewhere;
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
  start(request: StartRequest, owner: string, identity: string | null = null): MaybePromise<{ record: RunRecord; joined: boolean }> {
    const graph = this.graphs.get(request.graphId);
    if (!graph) {
      throw new RunRequestError(
        "NOT_FOUND",
        `unknown graph "${request.graphId}"; this server runs: ${this.graphs.ids().join(", ")}`,
      );
    }
    if (!request.runId) return this.startNew(request, graph, owner, identity);
    const runId = request.runId;
    return then(this.store.get(runId), (existing) => {
      if (!existing) return this.startNew(request, graph, owner, identity);
      if (identity !== null && existing.owner !== identity) {
        // Another identity's run: neither join it nor say what it is.
        throw new RunRequestError("CONFLICT", `runId "${runId}" is taken; choose another id`);
      }
      if (existing.metadata.graph_id !== request.graphId) {
        throw new RunRequestError(
          "CONFLICT",
          `runId "${runId}" is a run of graph "${existing.metadata.graph_id}", not "${request.graphId}"`,
        );
      }
      return { record: existing, joined: true };
    });
  }

  /**
   * Starts here a run another process queued (a worker took its lease): same record, same log, and what it
   * was started with (its record's `start`; `queued`: what its lease carries, a resume value, or the start
   * of a run queued by an earlier Rill).
   */
  async startQueued(record: RunRecord, queued: { configurable?: Record<string, unknown>; recursionLimit?: number; resume?: { value: unknown } }): Promise<boolean> {
    const runId = record.metadata.run_id;
    const graph = this.graphs.get(record.metadata.graph_id);
    if (this.active.has(runId) || isTerminalStatus(record.status) || !graph || graph.error !== undefined) return false;
    if ((record.status === "interrupted") !== (queued.resume !== undefined)) return false;
    const start = startedWith(record, queued.configurable !== undefined ? { configurable: queued.configurable, recursionLimit: queued.recursionLimit } : undefined);
    // A fork starts from its checkpoint once; a resume continues the thread's latest (as resume() does).
    if (queued.resume) delete start.configurable.checkpoint_id;
    const run = this.activate(graph, record.metadata, record.owner ?? "queued", start.configurable, start.recursionLimit);
    this.enterRunning(run);
    try {
      await this.store.claim(runId, this.executor);
    } catch (error) {
      this.leaveRunning(run);
      this.active.delete(runId);
      throw error;
    }
    if (queued.resume) {
      // A resume queued by an API-only process: as resume() does here.
      this.setStatus(run, { status: "running" });
      this.log({ level: "info", msg: "queued resume started", runId });
      void this.drive(run, this.options.resumeCommand(queued.resume.value));
      return true;
    }
    this.log({ level: "info", msg: "queued run started", runId, graphId: graph.id });
    void this.drive(run, record.input);
    return true;
  }

  private startNew(request: StartRequest, graph: RunnableGraph, owner: string, identity: string | null): MaybePromise<{ record: RunRecord; joined: boolean }> {
    if (this.draining) throw new RunRequestError("SERVICE_UNAVAILABLE", "the server is shutting down and starts no new runs");
    if (graph.error !== undefined) throw new RunRequestError("PRECONDITION_FAILED", `graph "${graph.id}" cannot run: ${graph.error}`);
    // `null` on a thread continues it from its checkpoint without new input (LangGraph's invoke(null)):
    // a fork or an edited state run on as it stands.
    const continuesThread = request.input === null && request.threadId !== undefined;
    const parsed = continuesThread ? ({ success: true, data: null } as const) : graph.input.safeParse(request.input);
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
    this.checkRunningLimits(owner, undefined, this.options.queue?.admitsRuns !== true);
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
    const configurable: Record<string, unknown> = {
      ...request.config?.configurable,
      thread_id: request.threadId ?? runId,
      ...(request.checkpointId !== undefined ? { checkpoint_id: request.checkpointId } : {}),
    };
    // Kept with the run: every continuation of it (restart, takeover, a queued run's worker) runs with it.
    const start: RunStart = { configurable, ...(recursionLimit !== undefined ? { recursionLimit } : {}) };
    const queue = this.options.queue;
    if (queue && queue.queues(this.runningCount)) {
      // No executor until a worker takes it (runs.get's `worker` is empty while it is queued).
      return queue.create(metadata, parsed.data, start, identity ?? undefined).then(
        (record) => {
          this.log({ level: "info", msg: "run queued", runId, graphId: graph.id, owner });
          return { record, joined: false };
        },
        (error: unknown) => {
          if (error instanceof StoreFullError) throw new RunRequestError("TOO_MANY_REQUESTS", error.message);
          throw error;
        },
      );
    }
    // Its own copy: a resume drops a fork's checkpoint_id from it, not from what the run was started with.
    const run = this.activate(graph, metadata, owner, { ...configurable }, recursionLimit);
    // The run holds its running slot from here, so starts racing a durable store's create() count it.
    this.enterRunning(run);
    return settle(
      () => this.store.create(metadata, parsed.data, identity ?? undefined, this.executor, start),
      (record) => {
        this.log({ level: "info", msg: "run started", runId, graphId: graph.id, owner });
        void this.drive(run, parsed.data);
        return { record, joined: false };
      },
      (error) => {
        this.leaveRunning(run);
        this.active.delete(runId);
        if (error instanceof StoreFullError) throw new RunRequestError("TOO_MANY_REQUESTS", error.message);
        throw error;
      },
    );
  }

  /** The in-process side of a run this process executes: started now, or taken over from the store. */
  private activate(
    graph: RunnableGraph,
    metadata: RunMetadata,
    owner: string,
    configurable: Record<string, unknown>,
    recursionLimit: number | undefined,
  ): ActiveRun {
    const streamable = graph.graph();
    const requested = new Set(metadata.stream_mode);
    // An engine that reports its outcome (Rill's) streams only the modes asked for; another is also
    // asked for "updates", where it reports interrupts.
    const engineModes =
      streamable.reportsOutcome || requested.has("updates") ? [...metadata.stream_mode] : [...metadata.stream_mode, "updates" as const];
    const run = new ActiveRun(
      metadata.run_id,
      owner,
      streamable,
      requested,
      engineModes,
      configurable,
      recursionLimit,
      metadata.subgraphs === true,
    );
    this.active.set(metadata.run_id, run);
    return run;
  }

  /**
   * Continues an interrupted run: `Command({ resume: value })` on its thread, same run, same log. An
   * interrupted run left by a previous process (durable store) is taken over by this one.
   */
  resume(runId: string, value: unknown): MaybePromise<RunRecord> {
    return then(this.requireRecord(runId), (record) => {
      let run = this.active.get(runId);
      if (record.status !== "interrupted" || (run !== undefined && run.running)) {
        throw new RunRequestError(
          "PRECONDITION_FAILED",
          `run "${runId}" is ${record.status}; only an interrupted run can be resumed`,
        );
      }
      if (this.draining) throw new RunRequestError("SERVICE_UNAVAILABLE", "the server is shutting down and resumes no runs");
      const owner = run?.owner ?? record.owner ?? "restored";
      const queue = this.options.queue;
      if (!run && queue?.queuesResumes) {
        const threadId = (record.metadata as { thread_id?: string }).thread_id ?? runId;
        return then(queue.resume(runId, threadId, value), () => {
          this.log({ level: "info", msg: "run resume queued", runId });
          return record;
        });
      }
      this.checkRunningLimits(owner, "; resume later");
      const go = (resumed: ActiveRun): RunRecord => {
        delete resumed.configurable.checkpoint_id; // a fork starts from it once; the resume continues the thread's latest
        this.setStatus(resumed, { status: "running" });
        this.log({ level: "info", msg: "run resumed", runId });
        void this.drive(resumed, this.options.resumeCommand(value));
        return record;
      };
      if (run) {
        this.clients.unpark(run);
        this.enterRunning(run);
        return go(run);
      }
      // Not taken over at start-up (resumeOrphanedRuns does): take it over now, holding its slot meanwhile.
      const taken = this.takeOver(record, owner);
      if (!taken) throw new RunRequestError("PRECONDITION_FAILED", `run "${runId}" is of graph "${record.metadata.graph_id}", which this server no longer serves`);
      this.enterRunning(taken);
      return settle(
        () => this.store.claim(runId, this.executor),
        () => go(taken),
        (error) => {
          this.leaveRunning(taken);
          this.active.delete(runId);
          throw error;
        },
      );
    });
  }

  /** Cancels a running or interrupted run with a final ["status", {status: "cancelled"}]. Idempotent. */
  cancel(runId: string, reason = "cancelled by a client"): MaybePromise<RunRecord> {
    return then(this.requireRecord(runId), (record) => {
      const run = this.active.get(runId);
      if (run) return then(this.finish(run, { status: "cancelled", reason }), () => this.store.get(runId) ?? record);
      const elsewhere = this.options.elsewhere;
      const queue = this.options.queue;
      // Queued (no executor yet): taken off the queue here, unless a worker takes it first.
      if (queue && record.status === "running" && record.executor === undefined) {
        return then(queue.dequeue(runId), (dequeued): MaybePromise<RunRecord> => {
          const taken = dequeued ? this.takeOver(record, record.owner ?? "queued") : undefined;
          if (!taken) return elsewhere ? elsewhere.cancel(record, reason) : record;
          return then(this.store.claim(runId, this.executor), () =>
            then(this.finish(taken, { status: "cancelled", reason }), () => then(this.store.get(runId), (ended) => ended ?? record)),
          );
        });
      }
      if (elsewhere && record.status === "running" && record.executor !== this.executor) return elsewhere.cancel(record, reason);
      if (record.status !== "interrupted") return record;
      // An interrupted run not taken over at start-up: take it over to end it.
      const taken = this.takeOver(record, record.owner ?? "restored");
      if (!taken) return record;
      return then(this.store.claim(runId, this.executor), () =>
        then(this.finish(taken, { status: "cancelled", reason }), () => this.store.get(runId) ?? record),
      );
    }) as MaybePromise<RunRecord>;
  }

  /**
   * Continues, in this process, every run a dead process left running (a durable store after a
   * restart): claims it, logs `["status", { status: "running", resumed: true }]` and restarts the
   * engine with `null` input on the run's thread, so it goes on from its last checkpoint. Interrupted
   * runs stay interrupted (resume() takes them over). Returns the ids continued.
   */
  async resumeOrphanedRuns(): Promise<string[]> {
    const continued: string[] = [];
    const claims: Array<Promise<unknown>> = [];
    for (const record of await this.store.unfinished()) {
      const runId = record.metadata.run_id;
      if (this.active.has(runId) || record.executor === this.executor) continue;
      const run = this.takeOver(record, record.owner ?? "restored");
      if (!run) {
        this.log({ level: "warn", msg: `a run left ${record.status} is of a graph this server no longer serves`, runId, graphId: record.metadata.graph_id });
        continue;
      }
      // Claims go to the store together (one commit), not one commit per run.
      const claimed = Promise.resolve(this.store.claim(runId, this.executor));
      if (record.status === "interrupted") {
        // Waits for its resume here, counted in the interrupted pool, its timeout counted from now.
        run.setTimer(this.limits.interruptTimeoutMs, () =>
          this.finish(run, { status: "cancelled", reason: `not resumed within ${this.limits.interruptTimeoutMs} ms (RILL_INTERRUPT_TIMEOUT_MS)` }),
        );
        this.clients.park(run);
        claims.push(claimed);
        continue;
      }
      this.enterRunning(run);
      claims.push(
        claimed
          .then(() => this.setStatus(run, { status: "running", resumed: true }))
          .then(() => {
            this.log({ level: "info", msg: "run continued after a restart", runId });
            void this.drive(run, continuationInput(run, record));
          }),
      );
      continued.push(runId);
    }
    await Promise.all(claims);
    return continued;
  }

  /**
   * Continues here a run another process of the deployment executed until its lease expired (it died):
   * claims it and, when it was running, logs `["status", { status: "running", resumed: true, worker }]`
   * and restarts its engine from its last checkpoint; an interrupted one waits here for its resume.
   * False when its graph is not served here or it is already active here.
   */
  async continueTaken(record: RunRecord): Promise<boolean> {
    const runId = record.metadata.run_id;
    if (this.active.has(runId) || isTerminalStatus(record.status)) return false;
    const run = this.takeOver(record, record.owner ?? "restored");
    if (!run) {
      this.log({ level: "warn", msg: "a run taken over is of a graph this process does not serve", runId, graphId: record.metadata.graph_id });
      return false;
    }
    await this.store.claim(runId, this.executor);
    if (record.status === "interrupted") {
      run.setTimer(this.limits.interruptTimeoutMs, () =>
        this.finish(run, { status: "cancelled", reason: `not resumed within ${this.limits.interruptTimeoutMs} ms (RILL_INTERRUPT_TIMEOUT_MS)` }),
      );
      this.clients.park(run);
      return true;
    }
    this.enterRunning(run);
    await this.setStatus(run, { status: "running", resumed: true, worker: this.executor });
    this.log({ level: "info", msg: "run taken over from a process whose lease expired", runId, from: record.executor });
    void this.drive(run, continuationInput(run, record));
    return true;
  }

  /** Stops executing a run here without ending it: another process of the deployment now executes it. */
  letGo(runId: string, reason: string): void {
    const run = this.active.get(runId);
    if (run) this.detach(run, reason);
  }

  /**
   * An ActiveRun for a run this process did not start (left by a previous one), with what the run was
   * started with (startedWith); undefined when its graph is gone.
   */
  private takeOver(record: RunRecord, owner: string): ActiveRun | undefined {
    const graph = this.graphs.get(record.metadata.graph_id);
    if (!graph || graph.error !== undefined) return undefined;
    const start = startedWith(record);
    const run = this.activate(graph, record.metadata, owner, start.configurable, start.recursionLimit);
    // Another engine is continued with `null` (continuationInput): from the thread's latest checkpoint, not
    // the fork point again (it cannot tell whether the run saved checkpoints since).
    if (!run.graph.reportsOutcome) delete run.configurable.checkpoint_id;
    run.running = false;
    return run;
  }

  get(runId: string): MaybePromise<RunRecord | undefined> {
    return this.store.get(runId);
  }

  /** Resolves with the run's record once it has ended (done, error or cancelled). */
  async whenEnded(runId: string): Promise<RunRecord> {
    const record = await this.requireRecord(runId);
    const run = this.active.get(runId);
    if (run) await run.whenEnded;
    return (await this.store.get(runId)) ?? record;
  }

  list(query?: RunListQuery): MaybePromise<RunRecord[]> {
    return this.store.list(query);
  }

  /**
   * Follows a run from `lastEventId` (or from the start): replay from the log, then live, until the run
   * ends. Throws RunRequestError for an unknown run or an event id of another run; the iterator throws
   * EventsEvictedError if the events it needs were evicted. `wrap` builds what it yields; while it
   * replays, `replayWrap` (when given) builds it from several events at once (followRun.ts's REPLAY_RUN).
   */
  follow(request: FollowRequest): MaybePromise<RunFollower<FollowedEvent>>;
  follow<T>(request: FollowRequest, wrap: WrapEvent<T>, replayWrap?: WrapEvents<T>): MaybePromise<RunFollower<T>>;
  follow<T>(request: FollowRequest, wrap?: WrapEvent<T>, replayWrap?: WrapEvents<T>): MaybePromise<RunFollower<T | FollowedEvent>> {
    return this.followWith<T | FollowedEvent>(request, eachEvent<T | FollowedEvent>(wrap ?? followedEvent), SINGLE_EVENTS, replayWrap);
  }

  /** Like follow(), but each step yields the events at hand together (up to `limits`), built by `wrap`. */
  followBatches<T>(request: FollowRequest, wrap: WrapEvents<T>, limits: BatchLimits): MaybePromise<RunFollower<T>> {
    return this.followWith(request, wrap, limits);
  }

  private followWith<T>(request: FollowRequest, wrap: WrapEvents<T>, limits: BatchLimits, replayWrap?: WrapEvents<T>): MaybePromise<RunFollower<T>> {
    return then(this.requireRecord(request.runId), (record) => this.followRecord(record, request, wrap, limits, replayWrap));
  }

  private followRecord<T>(
    record: RunRecord,
    request: FollowRequest,
    wrap: WrapEvents<T>,
    limits: BatchLimits,
    replayWrap: WrapEvents<T> | undefined,
  ): RunFollower<T> {
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
      this.options.elsewhere?.followed ?? this.store,
      {
        onNextAppend: (runId, wake, afterSeq) => {
          const run = this.active.get(runId);
          if (!run) return this.options.elsewhere?.onNextAppend(runId, wake, afterSeq) ?? false;
          run.onNextAppend(wake);
          return true;
        },
      },
      request.runId,
      {
        afterSeq,
        metadata: record.metadata,
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
      replayWrap,
    );
  }

  /** True when a subscriber after `after` (none: from the start) would have logged events to catch up on. */
  isBehind(runId: string, after: EventPosition | null | undefined): MaybePromise<boolean> {
    return then(this.store.get(runId), (record) => record !== undefined && record.lastSeq > (after?.seq ?? 0));
  }

  /**
   * Stops accepting runs. With a memory store, cancels every active one with `reason` (nothing would
   * outlive the process); with a durable one, stops their engines and leaves them as they are in the
   * store, running or interrupted, for the next process to continue (resumeOrphanedRuns / resume).
   * Resolves, once what was logged is committed (and, with a durable store, once the engines stopped:
   * their checkpoints written), with how many runs were cancelled or left.
   */
  shutdown(reason: string): MaybePromise<number> {
    this.draining = true;
    const runs = [...this.active.values()];
    const pending: Array<PromiseLike<unknown>> = [];
    for (const run of runs) {
      const done = this.store.durable ? this.detach(run, reason) : this.finish(run, { status: "cancelled", reason });
      if (isPromise(done)) pending.push(done);
      if (run.commits) pending.push(run.commits);
      // A durable store's run goes on elsewhere (a deployment takes it at once after this): its engine
      // must have stopped, its last checkpoints committed, before the run is handed over, else the
      // taker continues from an older checkpoint and this engine's late writes land under its feet.
      if (this.store.durable && run.engineStopped) pending.push(run.engineStopped);
    }
    return pending.length === 0 ? runs.length : Promise.allSettled(pending).then(() => runs.length);
  }

  /** Stops a run's engine without ending it in the store (a durable store keeps it for the next process). */
  private detach(run: ActiveRun, reason: string): void {
    if (run.ended) return;
    run.ended = true;
    run.detached = true;
    this.leaveRunning(run);
    this.clients.unpark(run);
    run.clearTimer();
    run.controller?.abort(new Error(reason));
    run.controller = null;
    this.active.delete(run.runId);
    run.notifyAppended();
    run.markEnded();
    this.options.onRunLeft?.(run.runId);
    this.log({ level: "info", msg: "run left for the next process", runId: run.runId });
  }

  /** Stops the retention sweep (the store keeps its runs). */
  close(): void {
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.sweepTimer = null;
  }

  private requireRecord(runId: string): MaybePromise<RunRecord> {
    return then(this.store.get(runId), (record) => {
      if (!record) throw new RunRequestError("NOT_FOUND", `run "${runId}" not found (unknown id, or dropped from the run store after it ended)`);
      return record;
    });
  }

  /** RILL_MAX_RUNS (unless `processWide` is false: a deployment counts it), the per-client limit and the reserve. */
  private checkRunningLimits(owner: string, advice = "; try again when one ends", processWide = true): void {
    const max = this.limits.maxConcurrentRuns;
    if (processWide && this.running >= max) {
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
    if (reserved > 0 && mine > 0 && this.running >= max - reserved) {
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

  /**
   * Logs one event. Followers are woken once it is stored: at once with the memory store, after the
   * group commit with a durable one (so nobody ever reads an event a crash could take back).
   */
  private append(run: ActiveRun, event: RunEvent): MaybePromise<number> {
    let json: string;
    try {
      json = stringifyRunEvent(event);
    } catch (error) {
      throw new TypeError(`a "${event[0]}" chunk is not JSON-serializable: ${toTaskError(error).message}`);
    }
    const seq = this.store.append(run.runId, json);
    if (!isPromise(seq)) {
      run.notifyAppended();
      return seq;
    }
    // Commits complete in order: one continuation per run at a time, on its newest append, wakes the
    // followers for everything committed by then (not one continuation per event).
    run.commits = seq;
    if (!run.followingCommits) this.followCommits(run, seq);
    return seq;
  }

  private followCommits(run: ActiveRun, newest: PromiseLike<number>): void {
    run.followingCommits = true;
    newest.then(
      () => {
        run.notifyAppended();
        if (run.commits !== newest && run.commits !== null) this.followCommits(run, run.commits);
        else run.followingCommits = false;
      },
      (error: unknown) => {
        run.followingCommits = false;
        this.storeFailed(run, error);
      },
    );
  }

  /** The store could not log an event: the run cannot go on (its log would have a hole). */
  private storeFailed(run: ActiveRun, error: unknown): void {
    this.log({ level: "error", msg: "the run store could not log an event; the run is stopped", runId: run.runId, error: toTaskError(error) });
    if (run.ended) return;
    run.ended = true;
    this.leaveRunning(run);
    this.clients.unpark(run);
    run.clearTimer();
    run.controller?.abort(error);
    this.active.delete(run.runId);
    run.notifyAppended();
    run.markEnded();
  }

  /** Logs a status change: the store's record follows from the event (runProjection.ts). */
  private setStatus(run: ActiveRun, change: RunStatusChange): MaybePromise<number> {
    const event: RunStatusEvent = { status: change.status };
    if (change.interrupts) event.interrupts = change.interrupts;
    if (change.reason !== undefined) event.reason = change.reason;
    if (change.resumed) event.resumed = true;
    if (change.worker !== undefined) event.worker = change.worker;
    const seq = this.append(run, ["status", event]);
    this.options.onStatusChange?.(run.runId, change, (run.configurable.thread_id as string | undefined) ?? run.runId);
    return seq;
  }

  private drive(run: ActiveRun, input: unknown): Promise<void> {
    const driven = this.driveEngine(run, input);
    const stopped = driven.then(
      () => undefined,
      () => undefined,
    );
    run.engineStopped = stopped;
    return driven;
  }

  private async driveEngine(run: ActiveRun, input: unknown): Promise<void> {
    const controller = new AbortController();
    run.controller = controller;
    const interrupts: Interrupt[] = [];
    const scanUpdates = !run.graph.reportsOutcome;
    let outcome: { status: "done" | "interrupted"; interrupts: Interrupt[] } | undefined;
    run.driving = true;
    try {
      const stream: EngineStream = await run.graph.stream(input, {
        streamMode: run.engineModes,
        signal: controller.signal,
        configurable: run.configurable,
        ...(run.recursionLimit !== undefined ? { recursionLimit: run.recursionLimit } : {}),
        ...(run.subgraphs ? { subgraphs: true as const } : {}),
        ...(run.graph.reportsOutcome ? { checkpointRunId: run.runId } : {}),
      });
      for await (const enginePart of stream) {
        if (run.ended || controller.signal.aborted) break;
        const event = run.subgraphs ? namespacedEvent(enginePart as [Namespace, ...StreamPart]) : (enginePart as StreamPart);
        const [mode, chunk] = event;
        // Only root updates are counted, as without subgraphs: the root reports a subgraph's interrupts too.
        if (scanUpdates && mode === "updates" && event.length === 2 && chunk !== null && typeof chunk === "object" && ENGINE_INTERRUPT_KEY in chunk) {
          const asked = (chunk as Record<string, unknown>)[ENGINE_INTERRUPT_KEY];
          if (Array.isArray(asked)) interrupts.push(...(asked as Interrupt[]));
        }
        if (run.requested.has(mode)) this.append(run, event);
      }
      if (!scanUpdates && !run.ended && !controller.signal.aborted) outcome = await stream.outcome;
    } catch (error) {
      run.driving = false;
      if (run.ended || controller.signal.aborted) return this.stoppedIfEnded(run);
      this.log({ level: "warn", msg: "run failed", runId: run.runId, error: toTaskError(error) });
      this.finish(run, { status: "error", error: toTaskError(error) });
      return;
    }
    run.driving = false;
    if (run.ended || controller.signal.aborted) return this.stoppedIfEnded(run);
    const asked = outcome ? outcome.interrupts : interrupts;
    if (asked.length > 0) this.interrupt(run, asked);
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

  /** Logs the run's final status; resolves (when the store is durable) once it is committed. */
  private finish(run: ActiveRun, change: RunStatusChange): MaybePromise<void> {
    if (run.ended) return;
    run.ended = true;
    this.leaveRunning(run);
    this.clients.unpark(run);
    run.clearTimer();
    run.controller?.abort(new Error(change.reason ?? change.status));
    run.controller = null;
    const ended = () => {
      this.active.delete(run.runId);
      run.endCommitted = true;
      run.notifyAppended();
      run.markEnded();
      this.stoppedIfEnded(run);
    };
    let logged: MaybePromise<number>;
    try {
      if (change.error) this.append(run, ["error", change.error]);
      logged = this.setStatus(run, change);
    } catch (error) {
      ended();
      throw error;
    }
    // Reported stopped (ended()) once its final status is committed and, for a run cancelled while its
    // engine stream is still going, once that stream has stopped too (drive()): its last step may still
    // write checkpoints.
    const result = isPromise(logged) ? logged.then(ended, ended) : ended();
    this.log({ level: change.status === "error" ? "warn" : "info", msg: `run ${change.status}`, runId: run.runId, reason: change.reason });
    return result;
  }

  /**
   * Reports an ended run once its final status is committed (a deployment's lease of it has gone with it)
   * and no engine stream of it is running. Its checkpoints stay: they are its
   * thread's. A run left for the next process (durable store, shutdown) has not ended: not reported.
   */
  private stoppedIfEnded(run: ActiveRun): void {
    if (!run.ended || !run.endCommitted || run.driving || run.detached || run.stopReported) return;
    run.stopReported = true;
    this.options.onRunStopped?.(run.runId);
  }

  private log(line: RunManagerLogLine): void {
    this.options.log?.(line);
  }
}

/**
 * What a run is continued with (a restart, a takeover, a queued run's worker): what it was started with,
 * its configurable copied (a resume drops a fork's checkpoint_id from it). A run stored by an earlier Rill
 * has no `start`: `fallback` (a queued lease's), else its thread only.
 */
function startedWith(record: RunRecord, fallback?: { configurable: Record<string, unknown>; recursionLimit?: number | undefined }): { configurable: Record<string, unknown>; recursionLimit: number | undefined } {
  const start = record.start ?? fallback;
  if (start) return { configurable: { ...start.configurable }, recursionLimit: start.recursionLimit };
  const threadId = (record.metadata as { thread_id?: string }).thread_id ?? record.metadata.run_id;
  return { configurable: { thread_id: threadId }, recursionLimit: undefined };
}

/**
 * What a run left by a stopped process is continued with. Rill's engine is given the run's input again
 * with its run id (drive()): it goes on from the run's latest checkpoint when the run saved one, and starts
 * from the input when it had not (the process stopped before the first); without that, `null` would fail
 * with "Received no input writes", or go on from an earlier run's checkpoint of the thread. Another engine
 * (a project's own LangGraph.js) gets `null`: it continues from the thread's latest checkpoint, as before.
 */
function continuationInput(run: ActiveRun, record: RunRecord): unknown {
  return run.graph.reportsOutcome ? record.input : null;
}

/** The engine's `[namespace, mode, chunk]` as a logged event: `[mode, chunk]` at the root, `[mode, chunk, namespace]` inside a subgraph. */
function namespacedEvent([namespace, mode, chunk]: [Namespace, ...StreamPart]): StreamPart | SubgraphStreamPart {
  return (namespace.length === 0 ? [mode, chunk] : [mode, chunk, namespace]) as StreamPart | SubgraphStreamPart;
}
