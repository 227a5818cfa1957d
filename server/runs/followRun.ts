// One subscriber following one run: replay from its position in the run log, then live events as they
// are appended, until the run ends (the iteration then completes) or the subscriber goes away.
// A subscriber is only a cursor into the log: nothing is queued per subscriber, nothing is copied.
//
// This is the hot path (every event, every subscriber), so it is a hand-written async iterator rather
// than an async generator: when the next event is already in the log — replay, or a subscriber keeping
// up — next() returns it as an already-resolved promise with no further awaits. It only goes async to
// wait for an append, for a congested socket, to give the event loop a turn during long replays, or
// to keep live batches `minIntervalMs` apart.
//
// Each next() takes the events at hand, up to `maxEvents` and about `maxBytes`, and hands them to
// `wrap` together: one event for `runs.stream` (one tRPC message per event), a batch for
// `runs.streamBatches`, whose per-message costs (tRPC's, the frame's, the client's) are paid per batch.
import { formatEventId } from "../../lib/run/eventId";
import { isTerminalStatus } from "../../lib/run/runStatus";
import { isPromise } from "./maybePromise";
import type { RunMetadata } from "./runEvent";
import type { RunRecord, RunStore, StoredEvent } from "./runStore";
import { noteLiveDelivery, type ReplayPacer } from "./replayPacer";
import { SerializedEvent } from "./serializedEvent";
import { canSendNow, paceSubscriber, type PacingLimits, type SubscriberSocket } from "./subscriberPacing";

export interface FollowedEvent {
  /** `<runId>:<seq>`; seq 0 is the metadata event. */
  id: string;
  event: SerializedEvent;
}

/** What a follower reads: the run store, or a deployment's view of it (server/cluster/). */
export type FollowedLog = Pick<RunStore, "read" | "get">;

/** Tells followers of an active run that something was appended. */
export interface RunSignals {
  /**
   * Calls `wake` once after the next append to `runId` (after seq `afterSeq`, the follower's cursor); false
   * (and no call) when the run is not active in this process or its deployment, so nothing more will be appended.
   */
  onNextAppend(runId: string, wake: () => void, afterSeq: number): boolean;
}

export interface FollowOptions {
  /** Seq of the last event the subscriber has; -1 for none (the metadata event comes first). */
  afterSeq: number;
  /** The run's metadata: event 0, sent first when afterSeq is -1. */
  metadata: RunMetadata;
  signal: AbortSignal;
  /** The subscriber's socket, when it has one: pacing watches its unsent bytes. */
  socket?: SubscriberSocket | null;
  pacing: PacingLimits;
  onDrop?: (info: { runId: string; seq: number; bufferedAmount: number }) => void;
  /** Called once when the iteration ends, however it ends. */
  onEnd?: () => void;
  /** What next() rejects with for an error (e.g. to turn EventsEvictedError into the caller's error type). */
  mapError?: (error: unknown) => unknown;
  /**
   * Set when the subscriber starts behind the live end (a join or a resume): until it first catches up
   * it sends only within the process's shared replay budget; then `onCaughtUp` is called (once; also
   * when it ends first) and it is a live subscriber.
   */
  replay?: { pacer: ReplayPacer; onCaughtUp?: () => void } | null;
}

/** Builds what the iterator yields from an event's id and JSON text (no intermediate object). */
export type WrapEvent<T> = (id: string, event: SerializedEvent) => T;

export const followedEvent: WrapEvent<FollowedEvent> = (id, event) => ({ id, event });

/** Builds what the iterator yields from consecutive events of the run (at least one). */
export type WrapEvents<T> = (runId: string, events: SerializedEvent[]) => T;

export interface BatchLimits {
  maxEvents: number;
  /** A batch stops growing once its events' JSON passes this many characters. */
  maxBytes: number;
  /**
   * Live, a batch follows the previous one by at least this long (0 = as soon as there are events), so
   * a run emitting a token every millisecond costs its readers one message per interval, not one per
   * token. The first event after a quiet spell goes at once, and a full batch is followed at once (a
   * replay is never slowed).
   */
  minIntervalMs: number;
}

/** One event per next(). */
export const SINGLE_EVENTS: BatchLimits = { maxEvents: 1, maxBytes: 0, minIntervalMs: 0 };

/**
 * A replay given a `replayWrap` takes up to this many events a step (still within the shared replay
 * budget), handed to that wrap together: for `runs.stream` over a WebSocket, one message per event all
 * the same (server/runs/serializedEventRun.ts), with tRPC's per-message work paid once per step.
 */
export const REPLAY_RUN: BatchLimits = { maxEvents: 32, maxBytes: 32 * 1024, minIntervalMs: 0 };

/** More than an event's message adds to its JSON: the tRPC envelope with its id twice, the frame header. */
const RUN_MESSAGE_OVERHEAD = 256;

/** Adapts a per-event `wrap` to the follower (with SINGLE_EVENTS, `events` is always one event). */
export function eachEvent<T>(wrap: WrapEvent<T>): WrapEvents<T> {
  return (runId, events) => wrap(formatEventId(runId, events[0]!.seq), events[0]!);
}

const READ_BATCH = 256;
/**
 * A replay reads no further ahead than it may send this turn (the shared replay budget, its batch
 * limit), and at most this many: with a hundred replays each sends about one event a turn, so events
 * read ahead would stay alive, decoded (packed logs), for tens of turns and be copied by the
 * young-generation GCs in between.
 */
const REPLAY_READ_BATCH = 32;
/** Give I/O a turn after this many events sent back to back (a long replay must not starve others). */
const EVENTS_PER_TURN = 512;

export function metadataEvent(metadata: RunMetadata): SerializedEvent {
  return new SerializedEvent(JSON.stringify(["metadata", metadata]));
}

const DONE: IteratorReturnResult<void> = { done: true, value: undefined };

/** Resolves after `ms`, or at once when `signal` aborts (step() then ends the iteration). */
function abortableDelay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, Math.max(0, ms));
    signal.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
  });
}

/** Why next() cannot produce an event right now ("loading": the store answered with a promise). */
type Blocked = "congested" | "turn" | "replay" | "waiting" | "interval" | "loading";

export class RunFollower<T> implements AsyncIterableIterator<T, void> {
  private cursor: number;
  private batch: StoredEvent[] = [];
  private index = 0;
  private sentThisTurn = 0;
  /** When the last batch was yielded (performance.now()), and whether it was full. */
  private lastYieldAt = -Infinity;
  private lastWasFull = false;
  private ended = false;
  /** The replay pacing, until the subscriber first catches up. */
  private replay: FollowOptions["replay"];
  private wake: (() => void) | null = null;
  /** A store answer being waited for (a durable store's read or get). */
  private loading: Promise<void> | null = null;
  /** The last read answered asynchronously and found nothing new: do not read again before waiting. */
  private readEmpty = false;
  /** The record as last answered asynchronously, for the end check after a wait. */
  private loadedRecord: RunRecord | undefined | null = null;
  private readonly onAbort = () => this.wake?.();

  constructor(
    private readonly store: FollowedLog,
    private readonly signals: RunSignals,
    private readonly runId: string,
    private readonly options: FollowOptions,
    private readonly wrap: WrapEvents<T>,
    private readonly limits: BatchLimits = SINGLE_EVENTS,
    /** While replaying, events are taken REPLAY_RUN at a time and built by this instead (see REPLAY_RUN). */
    private readonly replayWrap?: WrapEvents<T>,
  ) {
    this.cursor = options.afterSeq;
    this.replay = options.replay;
    options.signal.addEventListener("abort", this.onAbort, { once: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<T, void>> {
    try {
      const step = this.step();
      return typeof step === "string" ? this.nextWhenUnblocked(step) : Promise.resolve(step);
    } catch (error) {
      this.end();
      return Promise.reject(this.options.mapError ? this.options.mapError(error) : error);
    }
  }

  return(): Promise<IteratorResult<T, void>> {
    this.end();
    return Promise.resolve(DONE);
  }

  /** Events or the end if at hand, else why not. Throws what the store throws (evicted events). */
  private step(): IteratorResult<T, void> | Blocked {
    if (this.ended || this.options.signal.aborted) {
      this.end();
      return DONE;
    }
    const inRuns = this.replay && this.replayWrap ? this.replayWrap : null;
    const limits = inRuns ? REPLAY_RUN : this.limits;
    if (limits.minIntervalMs > 0 && !this.lastWasFull && performance.now() - this.lastYieldAt < limits.minIntervalMs) {
      return "interval";
    }
    if (this.loading) return "loading";
    const events: SerializedEvent[] = [];
    let bytes = 0;
    if (this.cursor < 0) {
      this.cursor = 0;
      const metadata = metadataEvent(this.options.metadata);
      events.push(metadata);
      bytes += metadata.jsonLength;
    }
    const { socket } = this.options;
    while (events.length < limits.maxEvents && bytes <= limits.maxBytes) {
      if (this.index >= this.batch.length) {
        if (this.readEmpty) {
          this.readEmpty = false;
          break;
        }
        let read: ReturnType<RunStore["read"]>;
        try {
          read = this.store.read(this.runId, this.cursor, this.replay ? this.replayReadSize(limits, events.length) : READ_BATCH);
        } catch (error) {
          // What was taken goes first (the metadata, a run's first events); the next step reads again and throws.
          if (events.length > 0) break;
          throw error;
        }
        if (isPromise(read)) {
          this.loading = Promise.resolve(read).then((batch) => {
            this.batch = batch;
            this.index = 0;
            this.readEmpty = batch.length === 0;
          });
          if (events.length > 0) break;
          return "loading";
        }
        this.batch = read;
        this.index = 0;
        if (this.batch.length === 0) break;
      }
      if (events.length === 0) {
        // Pacing is per message: a socket over its high-water mark gets nothing more until it drains.
        if (socket && !canSendNow(socket, this.options.pacing)) return "congested";
        if (this.sentThisTurn >= EVENTS_PER_TURN) return "turn";
        if (this.replay && !this.replay.pacer.canSend()) return "replay";
      } else if (inRuns && !this.roomInRun(events.length, bytes)) {
        break;
      }
      const stored = this.batch[this.index++]!;
      this.cursor = stored.seq;
      const event = stored instanceof SerializedEvent ? stored : new SerializedEvent(stored.json, stored.seq);
      events.push(event);
      bytes += event.jsonLength;
    }
    if (events.length > 0) {
      if (limits.minIntervalMs > 0) {
        this.lastYieldAt = performance.now();
        this.lastWasFull = events.length >= limits.maxEvents || bytes > limits.maxBytes;
      }
      this.sentThisTurn += events.length;
      if (this.replay) this.replay.pacer.spend(events.length, bytes);
      else noteLiveDelivery();
      socket?.batchThisTurn?.();
      return { done: false, value: (inRuns ?? this.wrap)(this.runId, events) };
    }
    let record: RunRecord | undefined;
    if (this.loadedRecord !== null) {
      record = this.loadedRecord;
      this.loadedRecord = null;
    } else {
      const got = this.store.get(this.runId);
      if (isPromise(got)) {
        this.loading = Promise.resolve(got).then((answer) => {
          this.loadedRecord = answer;
          // What was empty may not be any more: read again before deciding.
          this.readEmpty = false;
        });
        return "loading";
      }
      record = got;
    }
    if (!record || (isTerminalStatus(record.status) && this.cursor >= record.lastSeq)) return this.end();
    this.caughtUp();
    return "waiting";
  }

  /**
   * Whether a run of events (one message each) may take one more after `events` of `bytes`: not past
   * this turn's shared replay budget, nor past the socket's high-water mark — the messages already in the
   * run counted as if sent, so the socket holds at most what one message at a time would leave it.
   */
  private roomInRun(events: number, bytes: number): boolean {
    if (this.replay!.pacer.remainingEvents() <= events) return false;
    const { socket } = this.options;
    return !socket || socket.bufferedAmount + bytes + events * RUN_MESSAGE_OVERHEAD <= this.options.pacing.highWaterBytes;
  }

  /** How many events a replay reads at once: what it may still send this turn, at least one. */
  private replayReadSize(limits: BatchLimits, inBatch: number): number {
    const room = Math.min(limits.maxEvents - inBatch, this.replay!.pacer.remainingEvents());
    return Math.max(1, Math.min(REPLAY_READ_BATCH, room));
  }

  private caughtUp(): void {
    const replay = this.replay;
    if (!replay) return;
    this.replay = null;
    replay.onCaughtUp?.();
  }

  private async nextWhenUnblocked(blocked: Blocked): Promise<IteratorResult<T, void>> {
    try {
      for (;;) {
        this.sentThisTurn = 0;
        if (blocked === "congested") {
          const socket = this.options.socket!;
          const outcome = await paceSubscriber(socket, this.options.pacing, this.options.signal);
          if (outcome === "stop") return this.end();
          if (outcome === "drop") {
            this.options.onDrop?.({ runId: this.runId, seq: this.cursor + 1, bufferedAmount: socket.bufferedAmount });
            socket.terminate();
            return this.end();
          }
        } else if (blocked === "interval") {
          await abortableDelay(this.lastYieldAt + this.limits.minIntervalMs - performance.now(), this.options.signal);
        } else if (blocked === "turn") {
          await new Promise<void>((resolve) => setImmediate(resolve));
        } else if (blocked === "replay") {
          await this.replay!.pacer.nextTurn();
        } else if (blocked === "loading") {
          const loading = this.loading!;
          try {
            await loading;
          } finally {
            this.loading = null;
          }
        } else {
          let active = false;
          const appended = new Promise<void>((resolve) => {
            this.wake = resolve;
            active = this.signals.onNextAppend(this.runId, resolve, this.cursor);
          });
          if (!active) {
            // Not active here yet not ended: the process that ran it is gone. Nothing more will come.
            this.wake = null;
            const got = this.store.get(this.runId);
            const record = isPromise(got) ? await got : got;
            if (!record || this.cursor >= record.lastSeq) return this.end();
          } else {
            await appended;
            this.wake = null;
          }
        }
        const step = this.step();
        if (typeof step !== "string") return step;
        blocked = step;
      }
    } catch (error) {
      this.end();
      throw this.options.mapError ? this.options.mapError(error) : error;
    }
  }

  private end(): IteratorReturnResult<void> {
    if (!this.ended) {
      this.ended = true;
      this.batch = [];
      this.options.signal.removeEventListener("abort", this.onAbort);
      this.wake?.();
      this.caughtUp();
      this.options.onEnd?.();
    }
    return DONE;
  }
}
