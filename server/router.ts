// The tRPC router: graphs, system info, and runs. `runs.stream` is the heart: it starts or joins a run and
// yields `tracked("<runId>:<seq>", RunEvent)` — metadata first, then the run's tuples and status changes
// in log order — and completes when the run ends. Because event ids name the run, wsLink's automatic
// resubscribe after a reconnect (the ORIGINAL input plus lastEventId) continues the same run right after
// the last event the client got: no loss, no duplicate, never a second run.
//
// `runs.streamBatches` is the same subscription for heavy readers: it yields the events at hand together,
// `tracked(<id of the batch's last event>, RunEventBatch)`, so a burst of events costs one tRPC message
// and one WebSocket frame per batch instead of per event. Same input (plus `batchIntervalMs`, how far
// apart live batches may come: a screen asks for one a frame), same resume, same order.
//
// An interrupted run is not over: its subscriptions stay open (after the ["status", {status:
// "interrupted", interrupts}] event) until it is resumed — the same subscription then carries on — or
// cancelled, or the interrupt times out (RILL_INTERRUPT_TIMEOUT_MS).
import { tracked, TRPCError, type TrackedEnvelope } from "@trpc/server";
import { isVisibleTo, requireVisibleRun } from "./auth/ownership";
import { z } from "zod";
import type { GraphRegistry, GraphSummary } from "./graphRegistry";
import { waitForGraphChange, type GraphsRevision } from "./project/graphChanges";
import {
  cancelRunInput,
  checkInputSize,
  DEFAULT_STREAM_MODES,
  getRunInput,
  listRunsInput,
  resumeRunInput,
  streamBatchesInput,
  streamRunInput,
  type StreamRunInput,
} from "./procedureInputs";
import { tooManyReplaysMessage } from "./connectionBudget";
import { formatEventId, parseEventId, type EventPosition } from "../lib/run/eventId";
import type { BatchLimits, RunFollower, WrapEvents } from "./runs/followRun";
import type { FollowRequest, RunManager } from "./runs/runManager";
import { toRunInfo, type RunInfo } from "./runs/runInfo";
import type { RunStoreLimits, RunStoreStats } from "./runs/runStore";
import { serializeBatch, asWireBatch } from "./runs/serializedBatch";
import { asWireEvent, type SerializedEvent } from "./runs/serializedEvent";
import { deferredIterator } from "./runs/deferredIterator";
import { isPromise, settle, then, type MaybePromise } from "./runs/maybePromise";
import type { RunEvent, RunEventBatch } from "./runs/runEvent";
import { asWireEventRun, SerializedEventRun } from "./runs/serializedEventRun";
import { notAnEventOfRunMessage } from "./runs/runErrors";
import { asTRPCError, clientKeyOf, procedure, t, type RillContext } from "./trpc";
import type { ThreadService } from "./threads/threadService";
import { threadProcedures } from "./threads/threadProcedures";

export interface SystemInfo {
  model: { label: string; offline: boolean };
  defaultStreamMode: typeof DEFAULT_STREAM_MODES;
  authRequired: boolean;
  limits: {
    maxRuns: number;
    maxRunsPerClient: number;
    reservedRuns: number;
    maxInterruptedRunsPerClient: number;
    maxBatchSize: number;
    maxCallsPerSecond: number;
    maxReplaysPerConnection: number;
    maxInputBytes: number;
    maxMessageBytes: number;
    runTimeoutMs: number;
    interruptTimeoutMs: number;
    maxRecursionLimit: number;
    store: RunStoreLimits;
  };
  runs: { running: number; active: number; interrupted: number; store: RunStoreStats };
  draining: boolean;
  /** This process: RILL_INSTANCE_ID in a deployment (server/cluster/), else its own id. */
  instanceId: string;
}

export interface RouterDeps {
  runs: RunManager;
  /** Threads: runs.stream starts runs through it (threadId, checkpointId, multitaskStrategy). */
  threads: ThreadService;
  graphs: GraphRegistry;
  /** True when the served graphs may change while the server runs (a project with dev reload). */
  graphsWatched?: boolean;
  model: { label: string; offline: boolean };
  authRequired: boolean;
  limits: Omit<SystemInfo["limits"], "store">;
  /** Counts live subscriptions, so a shutdown can wait for them to deliver their final events. */
  subscriptions: { opened(): void; closed(): void };
}

/** `fn()`'s answer (a value, or a promise: a durable run store), with what it throws or rejects with as a TRPCError. */
function answerOrThrow<T>(fn: () => MaybePromise<T>): MaybePromise<T> {
  return settle(fn, (value) => value, (error) => {
    throw asTRPCError(error);
  });
}

/** Where a subscription starts: the run it follows, and the event it has (its lastEventId, parsed here once). */
interface FollowStart {
  runId: string;
  after: EventPosition | null;
  /**
   * This request started the run: its subscriber follows live from the start, never paced as a replay
   * (the few events the run may have logged while its start was answered are not a backlog to share).
   */
  started?: true;
}

/** The run a `runs.stream` call is about, starting one (on its thread) only when it is a fresh start. */
function resolveRun(deps: RouterDeps, input: StreamRunInput, ctx: RillContext): MaybePromise<FollowStart> {
  if (!("graphId" in input)) {
    const { lastEventId } = input;
    return then(deps.runs.get(input.runId), (found) => {
      const runId = requireVisibleRun(found, input.runId, ctx.identity).metadata.run_id;
      if (!lastEventId) return { runId, after: null };
      const after = parseEventId(lastEventId);
      if (!after) throw new TRPCError({ code: "BAD_REQUEST", message: notAnEventOfRunMessage(lastEventId, input.runId) });
      return { runId, after };
    });
  }
  checkInputSize(input.input, "input", deps.limits.maxInputBytes);
  checkInputSize(input.config, "config", deps.limits.maxInputBytes);
  if (input.lastEventId) {
    const position = parseEventId(input.lastEventId);
    if (!position) throw new TRPCError({ code: "BAD_REQUEST", message: `lastEventId: "${input.lastEventId}" is not an event id of this server` });
    return then(deps.runs.get(position.runId), (record) => {
      if (!record || !isVisibleTo(record, ctx.identity)) {
        throw new TRPCError({
          code: "NOT_FOUND",
          message: `run "${position.runId}" of lastEventId is gone (it was dropped after it ended, or the server restarted with a memory store); not starting a new one`,
        });
      }
      if (record.metadata.graph_id !== input.graphId) {
        throw new TRPCError({
          code: "BAD_REQUEST",
          message: `lastEventId: run "${position.runId}" is a run of graph "${record.metadata.graph_id}", not "${input.graphId}"`,
        });
      }
      return { runId: position.runId, after: position };
    });
  }
  const started = deps.threads.startRun(
    {
      graphId: input.graphId,
      input: input.input,
      streamMode: input.streamMode ?? DEFAULT_STREAM_MODES,
      subgraphs: input.subgraphs,
      config: input.config,
      runId: input.runId,
      threadId: input.threadId,
      checkpointId: input.checkpointId,
    },
    input.multitaskStrategy ?? "reject",
    clientKeyOf(ctx),
    ctx.identity,
  );
  return then(started, ({ record, joined }): FollowStart =>
    joined ? { runId: record.metadata.run_id, after: null } : { runId: record.metadata.run_id, after: null, started: true },
  );
}

/**
 * A batch closes at 256 events or once past 64 KiB of JSON: big enough to amortize, small enough to
 * parse in well under a frame. Live batches are at least 4 ms apart by default (a subscriber may ask for
 * another spacing with batchIntervalMs): a quarter of a 60 Hz frame, so a screen showing the stream
 * loses little, while a token-a-millisecond run costs a quarter of the messages.
 */
const STREAM_BATCH: BatchLimits = { maxEvents: 256, maxBytes: 64 * 1024, minIntervalMs: 4 };

export function createAppRouter(deps: RouterDeps) {
  const { runs } = deps;

  /** Starts or joins the run `input` names and follows it for this subscription, one event or one batch a message. */
  function follow<T>(
    input: StreamRunInput,
    ctx: RillContext,
    signal: AbortSignal | undefined,
    open: (request: FollowRequest) => MaybePromise<RunFollower<T>>,
  ): AsyncIterableIterator<T, void> {
    deps.subscriptions.opened();
    let opened = false;
    let follower: MaybePromise<RunFollower<T>>;
    try {
      follower = answerOrThrow(() =>
      then(resolveRun(deps, input, ctx), ({ runId, after, started }) =>
        then(started ? false : runs.isBehind(runId, after), (replaying) => {
          // A subscription starting behind the live end replays: counted per connection, paced process-wide.
          if (replaying && !ctx.budget.beginReplay()) {
            throw new TRPCError({ code: "TOO_MANY_REQUESTS", message: tooManyReplaysMessage(ctx.budget.limits) });
          }
          const request: FollowRequest = {
            runId,
            after,
            signal: signal ?? new AbortController().signal,
            socket: ctx.socket,
            onEnd: () => deps.subscriptions.closed(),
            mapError: asTRPCError,
            replay: replaying ? { onCaughtUp: () => ctx.budget.endReplay() } : null,
          };
          return settle(
            () => open(request),
            (opening) => {
              opened = true;
              return opening;
            },
            (error) => {
              if (replaying) ctx.budget.endReplay();
              throw error;
            },
          );
        }),
      ),
    );
    } catch (error) {
      deps.subscriptions.closed();
      throw error;
    }
    if (!isPromise(follower)) return follower;
    const closeUnopened = (error: unknown) => {
      if (!opened) deps.subscriptions.closed();
      throw error;
    };
    return deferredIterator(Promise.resolve(follower).catch(closeUnopened));
  }

  return t.router({
    graphs: t.router({
      list: procedure.query((): GraphSummary[] => deps.graphs.summaries()),
      changed: procedure
        .input(z.object({ since: z.number().int().min(0).optional() }).optional())
        .query(({ input, signal }): Promise<GraphsRevision> => waitForGraphChange(deps.graphs, deps.graphsWatched === true, input?.since, signal)),
    }),
    system: t.router({
      info: procedure.query(
        (): SystemInfo => ({
          model: { ...deps.model },
          defaultStreamMode: DEFAULT_STREAM_MODES,
          authRequired: deps.authRequired,
          limits: { ...deps.limits, store: { ...runs.store.limits } },
          runs: { running: runs.runningCount, active: runs.activeCount, interrupted: runs.interruptedCount, store: runs.store.stats() },
          draining: runs.isDraining,
          instanceId: runs.executor,
        }),
      ),
    }),
    threads: threadProcedures(deps.threads, deps.limits.maxInputBytes),
    runs: t.router({
      stream: procedure
        .input(streamRunInput())
        .subscription(({ input, ctx, signal }) =>
          // Over a WebSocket a replay yields runs of events, still sent one message per event (wireEncoder.ts).
          follow(input, ctx, signal, (request) => runs.follow(request, trackedEvent, ctx.socket ? trackedEventRun : undefined)),
        ),
      streamBatches: procedure
        .input(streamBatchesInput())
        .subscription(({ input, ctx, signal }) => {
          const limits = input.batchIntervalMs === undefined ? STREAM_BATCH : { ...STREAM_BATCH, minIntervalMs: input.batchIntervalMs };
          return follow(input, ctx, signal, (request) => runs.followBatches(request, trackedBatch, limits));
        }),
      resume: procedure
        .input(resumeRunInput())
        .mutation(async ({ input, ctx }): Promise<RunInfo> => {
          checkInputSize(input.resume, "resume", deps.limits.maxInputBytes);
          return answerOrThrow(() =>
            then(runs.get(input.runId), (found) => {
              requireVisibleRun(found, input.runId, ctx.identity);
              return then(runs.resume(input.runId, input.resume), toRunInfo);
            }),
          );
        }),
      cancel: procedure.input(cancelRunInput).mutation(
        async ({ input, ctx }): Promise<RunInfo> =>
          answerOrThrow(() =>
            then(runs.get(input.runId), (found) => {
              requireVisibleRun(found, input.runId, ctx.identity);
              return then(runs.cancel(input.runId, input.reason), toRunInfo);
            }),
          ),
      ),
      get: procedure
        .input(getRunInput)
        .query(
          async ({ input, ctx }): Promise<RunInfo> =>
            answerOrThrow(() => then(runs.get(input.runId), (found) => toRunInfo(requireVisibleRun(found, input.runId, ctx.identity)))),
        ),
      list: procedure.input(listRunsInput).query(
        async ({ input, ctx }): Promise<RunInfo[]> =>
          (await runs.list({ status: input?.status, graphId: input?.graphId, owner: ctx.identity ?? undefined, limit: input?.limit ?? 50 })).map(toRunInfo),
      ),
    }),
  });
}

function trackedEvent(id: string, event: SerializedEvent) {
  return tracked(id, asWireEvent(event));
}

/** Consecutive events for the WebSocket encoder to send one message each; tracked by the last one's id. */
const trackedEventRun: WrapEvents<TrackedEnvelope<RunEvent>> = (runId, events) =>
  tracked(formatEventId(runId, events[events.length - 1]!.seq), asWireEventRun(new SerializedEventRun(runId, events)));

const trackedBatch: WrapEvents<TrackedEnvelope<RunEventBatch>> = (runId, events) =>
  tracked(formatEventId(runId, events[events.length - 1]!.seq), asWireBatch(serializeBatch(runId, events)));

export type AppRouter = ReturnType<typeof createAppRouter>;
