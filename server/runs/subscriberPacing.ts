// A subscriber reads the run log at its own pace; the run never waits for it. What bounds memory is the
// subscriber's socket: before each event, if the socket holds more than `highWaterBytes` unsent, the
// subscriber stops reading until it drains. A socket still over the mark after `slowTimeoutMs`, or ever
// over `maxBufferedBytes`, is dropped (terminated): its client reconnects and resumes from its
// lastEventId, read from the log. So per subscriber the server holds at most about one high-water mark
// of unsent bytes, whatever the run emits.

/** The part of a `ws` WebSocket pacing looks at. */
export interface SubscriberSocket {
  readonly bufferedAmount: number;
  readonly readyState: number;
  terminate(): void;
  /** Hold this turn's writes and send them together (see subscriberSocket.ts). */
  batchThisTurn?(): void;
  /** Resolves when the socket's buffered bytes have been handed to the kernel (or it closed). */
  whenDrained?(): Promise<void>;
}

export interface PacingLimits {
  highWaterBytes: number;
  maxBufferedBytes: number;
  slowTimeoutMs: number;
}

export type PaceOutcome = "send" | "drop" | "stop";

const OPEN = 1;
const POLL_MIN_MS = 2;
const POLL_MAX_MS = 50;

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}

/** Resolves on drain, after `ms`, or on abort, whichever comes first; leaves no timer behind. */
function drainOrTimeout(socket: SubscriberSocket & { whenDrained(): Promise<void> }, ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
    void socket.whenDrained().then(done);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
  });
}

/** True when `socket` can take another event right now (the common case: no promise, no await). */
export function canSendNow(socket: SubscriberSocket, limits: PacingLimits): boolean {
  return socket.bufferedAmount <= limits.highWaterBytes && socket.readyState === OPEN;
}

/** Waits until `socket` can take another event. "drop" means the caller must drop this subscriber. */
export async function paceSubscriber(
  socket: SubscriberSocket,
  limits: PacingLimits,
  signal: AbortSignal,
): Promise<PaceOutcome> {
  if (socket.bufferedAmount <= limits.highWaterBytes) return socket.readyState === OPEN ? "send" : "stop";
  const deadline = Date.now() + limits.slowTimeoutMs;
  let pollMs = POLL_MIN_MS;
  while (socket.bufferedAmount > limits.highWaterBytes) {
    if (signal.aborted || socket.readyState !== OPEN) return "stop";
    const left = deadline - Date.now();
    if (socket.bufferedAmount > limits.maxBufferedBytes || left <= 0) return "drop";
    if (socket.whenDrained) {
      await drainOrTimeout(socket as SubscriberSocket & { whenDrained(): Promise<void> }, left, signal);
    } else {
      await sleep(Math.min(pollMs, left), signal);
      pollMs = Math.min(pollMs * 2, POLL_MAX_MS);
    }
  }
  return signal.aborted || socket.readyState !== OPEN ? "stop" : "send";
}
