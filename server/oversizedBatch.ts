// A frame with more than `maxBatchSize` calls (RILL_MAX_BATCH_SIZE) is refused here, before tRPC
// builds an error shape and a message per call in one go (measured: a 10,000-call frame held the loop
// for hundreds of ms). Each call gets the same precomputed error. Nothing here holds the event loop for
// long: the frame is scanned for its calls a slice per turn (frameElements.ts; JSON.parse of the whole
// frame was one 5–8 ms block), then each call is parsed on its own for its id and refused, a slice per
// turn, the slice's replies corked into one write.
//
// A connection's second such frame is not looked at: the connection is closed (1008, the reason names
// the limit). Over all connections such frames take at most a tenth of the time (BatchGate): one
// arriving while another is refused, or sooner after it than nine times its work, waits with its
// connection paused (its sender cannot send more, and has no reason to reconnect: closing it made the
// flooding client reconnect and upload another frame at once, each costing a handshake and an unmask).
// A few connections wait at most; past that they are closed, as before.
import { EventEmitter } from "node:events";
import type { Socket } from "node:net";
import { performance } from "node:perf_hooks";
import { WebSocket } from "ws";
import { FrameElementScanner } from "./frameElements";

/** Connections that may wait for the gate at once; more are closed. */
const MAX_WAITING = 4;

/** Shared by all connections of a server: lets one oversized frame be worked on at a time, at most a tenth of the time. */
export class BatchGate {
  private busy = false;
  private nextOpenAt = 0;
  private readonly waiting: Array<() => void> = [];
  private timer: NodeJS.Timeout | null = null;

  /** Runs `work` now or when the gate opens (then true); false when too many wait already. */
  enter(work: () => void): boolean {
    if (!this.busy && this.waiting.length === 0 && performance.now() >= this.nextOpenAt) {
      this.busy = true;
      work();
      return true;
    }
    if (this.waiting.length >= MAX_WAITING) return false;
    this.waiting.push(work);
    this.schedule();
    return true;
  }

  /** The work that entered is done, having taken `workedMs` of the loop. */
  leave(workedMs: number): void {
    this.busy = false;
    this.nextOpenAt = performance.now() + 9 * workedMs;
    this.schedule();
  }

  private schedule(): void {
    if (this.busy || this.timer || this.waiting.length === 0) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.busy) return;
      const work = this.waiting.shift();
      if (!work) return;
      this.busy = true;
      work();
    }, Math.max(0, this.nextOpenAt - performance.now()));
    // The waiting connections keep the process alive; the gate's timer alone must not.
    this.timer.unref();
  }
}

const BAD_REQUEST = -32600;
const PARSE_ERROR = -32700;
/** The shortest call tRPC accepts, `{"id":1,"method":"query"}`: a frame shorter than this many times the limit cannot be over it. */
const MIN_CALL_CHARS = 25;
const METHOD_KEY = Buffer.from('"method"');
/** Bytes of the frame scanned per event-loop turn (well under a millisecond). */
const SCAN_BYTES_PER_TURN = 64 * 1024;
/** Calls parsed and refused per event-loop turn. */
const REFUSALS_PER_TURN = 256;

function occursMoreThan(data: Buffer, needle: Buffer, limit: number): boolean {
  let count = 0;
  for (let at = data.indexOf(needle); at !== -1; at = data.indexOf(needle, at + needle.length)) {
    if (++count > limit) return true;
  }
  return false;
}

/** The id to answer a call with: none for a call without one, a subscription.stop, or an element that is not JSON. */
function idOfCall(text: string): number | string | undefined {
  let call: unknown;
  try {
    call = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof call !== "object" || call === null || !("id" in call)) return undefined;
  const { id, method } = call as { id: unknown; method?: unknown };
  if (method === "subscription.stop" || (typeof id !== "number" && typeof id !== "string")) return undefined;
  return id;
}

/**
 * Takes the frame when it may hold more than `maxBatchSize` calls (returns true; should the scan find it
 * within the limit after all, it is then emitted to tRPC, with the "message" event's `args`, in a later
 * turn). Returns false for a frame tRPC should have at once.
 */
export function refuseOversizedBatch(
  ws: WebSocket & { refusedBatch?: boolean },
  data: Buffer,
  maxBatchSize: number,
  gate: BatchGate,
  args: unknown[],
): boolean {
  if (data.length < MIN_CALL_CHARS * (maxBatchSize + 1) || data[0] !== 0x5b /* [ */) return false;
  // Every call has a "method" key: fewer occurrences than the limit and the frame is within it (no scan).
  if (!occursMoreThan(data, METHOD_KEY, maxBatchSize)) return false;
  if (ws.refusedBatch) {
    ws.close(1008, `a second batch over RILL_MAX_BATCH_SIZE=${maxBatchSize} calls`);
    return true;
  }
  ws.refusedBatch = true;
  // Paused until the gate lets it in (at once, usually): nothing more is read from it meanwhile.
  ws.pause();
  const admitted = gate.enter(() => {
    if (ws.readyState !== WebSocket.OPEN) return gate.leave(0);
    ws.resume();
    refuseInSlices(ws, data, maxBatchSize, gate, args);
  });
  if (!admitted) ws.close(1008, `a batch over RILL_MAX_BATCH_SIZE=${maxBatchSize} calls while the server refuses others`);
  return true;
}

/** Scans `data`, then refuses its calls, a slice per turn; calls gate.leave() when done. */
function refuseInSlices(ws: WebSocket & { refusedBatch?: boolean }, data: Buffer, maxBatchSize: number, gate: BatchGate, args: unknown[]): void {
  // ws writes each message with its own writev: a slice's replies are corked together so they reach the
  // kernel in one call, not 256 (measured: unbatched, these syscalls were the largest part of the
  // server's CPU under a flood of such frames).
  const tcp = (ws as unknown as { _socket?: Socket })._socket;
  const scanner = new FrameElementScanner(data);
  let worked = 0;
  let finished = false;
  let starts: number[] = [];
  let ends: number[] = [];
  let error = "";
  let next = 0;
  let answered = 0;
  const send = (text: string) => {
    if (ws.readyState === WebSocket.OPEN) ws.send(text);
  };
  const step = () => {
    const startedAt = performance.now();
    try {
      finished = stepOnce();
    } catch {
      finished = true;
      ws.close(1011, "the server failed refusing an oversized batch");
    } finally {
      worked += performance.now() - startedAt;
      if (finished) {
        gate.leave(worked);
      } else {
        setImmediate(step);
      }
    }
  };
  /** One turn's work; true when the frame is done with. */
  const stepOnce = (): boolean => {
    if (ws.readyState !== WebSocket.OPEN) return true;
    if (!error) {
      const scan = scanner.scan(SCAN_BYTES_PER_TURN);
      if (scan.kind === "scanning") return false;
      if (scan.kind === "malformed") {
        const message = `the frame is not a JSON array of requests: ${scan.problem}`;
        send(JSON.stringify({ id: null, error: { code: PARSE_ERROR, message, data: { code: "PARSE_ERROR", httpStatus: 400 } } }));
        return true;
      }
      if (scan.starts.length <= maxBatchSize) {
        // "method" was in strings, not calls: the frame is within the limit after all.
        ws.refusedBatch = false;
        // ws's own emit (the guarded class's override would take it again).
        EventEmitter.prototype.emit.call(ws, "message", ...args);
        return true;
      }
      ({ starts, ends } = scan);
      const message = `a batch of ${starts.length} calls, over this server's limit of ${maxBatchSize} calls in one message (RILL_MAX_BATCH_SIZE=${maxBatchSize}); send fewer calls at once`;
      error = `"error":${JSON.stringify({ code: BAD_REQUEST, message, data: { code: "BAD_REQUEST", httpStatus: 400 } })}}`;
    }
    const end = Math.min(starts.length, next + REFUSALS_PER_TURN);
    tcp?.cork();
    for (; next < end; next++) {
      const id = idOfCall(data.toString("utf8", starts[next], ends[next]));
      if (id === undefined) continue;
      send(`{"id":${JSON.stringify(id)},${error}`);
      answered++;
    }
    tcp?.uncork();
    if (next < starts.length) return false;
    // A batch without a call to answer still hears why it was refused.
    if (answered === 0) send(`{"id":null,${error}`);
    return true;
  };
  step();
}
