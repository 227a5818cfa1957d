// One subscriber following one run: replay from its position in the run log, then live events as they
// are appended, until the run ends (the subscription then completes) or the subscriber goes away.
// A subscriber is only a cursor into the log: nothing is queued per subscriber, nothing is copied.
import { formatEventId } from "./eventId";
import type { RunMetadata } from "./runEvent";
import { isTerminal, type RunStore } from "./runStore";
import { SerializedEvent } from "./serializedEvent";
import { canSendNow, paceSubscriber, type PacingLimits, type SubscriberSocket } from "./subscriberPacing";

export interface FollowedEvent {
  /** `<runId>:<seq>`; seq 0 is the metadata event. */
  id: string;
  event: SerializedEvent;
}

/** Tells followers of an active run that something was appended. */
export interface RunSignals {
  /**
   * Resolves after the next append to `runId` (or when `signal` aborts); null when the run is not active
   * in this process, so nothing more will be appended.
   */
  whenAppended(runId: string, signal: AbortSignal): Promise<void> | null;
}

export interface FollowOptions {
  /** Seq of the last event the subscriber has; -1 for none (the metadata event comes first). */
  afterSeq: number;
  signal: AbortSignal;
  /** The subscriber's socket, when it has one: pacing watches its unsent bytes. */
  socket?: SubscriberSocket | null;
  pacing: PacingLimits;
  onDrop?: (info: { runId: string; seq: number; bufferedAmount: number }) => void;
}

const READ_BATCH = 256;
/** Give I/O a turn after this many events sent back to back (a long replay must not starve others). */
const EVENTS_PER_TURN = 512;

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export function metadataEvent(metadata: RunMetadata): SerializedEvent {
  return new SerializedEvent(JSON.stringify(["metadata", metadata]));
}

export async function* followRun(
  store: RunStore,
  signals: RunSignals,
  runId: string,
  options: FollowOptions,
): AsyncGenerator<FollowedEvent, void, undefined> {
  const { signal, socket, pacing } = options;
  let cursor = options.afterSeq;
  if (cursor < 0) {
    const record = store.get(runId);
    if (!record) return;
    yield { id: formatEventId(runId, 0), event: metadataEvent(record.metadata) };
    cursor = 0;
  }
  let sentThisTurn = 0;
  while (!signal.aborted) {
    const batch = store.read(runId, cursor, READ_BATCH);
    for (const stored of batch) {
      if (socket && !canSendNow(socket, pacing)) {
        const outcome = await paceSubscriber(socket, pacing, signal);
        if (outcome === "stop") return;
        if (outcome === "drop") {
          options.onDrop?.({ runId, seq: stored.seq, bufferedAmount: socket.bufferedAmount });
          socket.terminate();
          return;
        }
      }
      if (signal.aborted) return;
      socket?.batchThisTurn?.();
      yield { id: formatEventId(runId, stored.seq), event: new SerializedEvent(stored.json) };
      cursor = stored.seq;
      if (++sentThisTurn >= EVENTS_PER_TURN) {
        sentThisTurn = 0;
        await yieldToEventLoop();
      }
    }
    if (batch.length > 0) continue;
    sentThisTurn = 0;
    const record = store.get(runId);
    if (!record) return;
    if (isTerminal(record.status) && cursor >= record.lastSeq) return;
    const appended = signals.whenAppended(runId, signal);
    if (!appended) {
      // Not active here yet not ended: the process that ran it is gone. Nothing more will come.
      if (cursor >= record.lastSeq) return;
      continue;
    }
    await appended;
  }
}
