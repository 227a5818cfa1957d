// Consecutive events of one run that a `runs.stream` subscriber replaying over a WebSocket takes in one
// step of its subscription. tRPC's adapter spends its per-message work (a promise race, result objects:
// several KB of garbage a message) once for the run, and the WebSocket encoder (server/wireEncoder.ts)
// turns it into one frame per event, each exactly the message a single event would have been: the
// client sees the same messages, event ids and order. Only made for WebSocket subscribers (HTTP
// subscriptions have no such encoder and get one event a step).
import type { RunEvent } from "./runEvent";
import type { SerializedEvent } from "./serializedEvent";

export class SerializedEventRun {
  /** `events` must be consecutive (seq n, n+1, ...) and non-empty. */
  constructor(
    readonly runId: string,
    private events: readonly SerializedEvent[],
  ) {}

  /**
   * The events, once: the encoder takes them and the run lets go of them. tRPC's adapter keeps each value
   * it sent reachable from a promise-race cache (a WeakMap, cleared only by a full GC), so events still
   * held here would be copied by every young-generation GC until then.
   */
  take(): readonly SerializedEvent[] {
    const { events } = this;
    this.events = [];
    return events;
  }

  /** Nothing but the WebSocket encoder may serialize it: it is several messages, not one value. */
  toJSON(): never {
    throw new Error("a SerializedEventRun is several WebSocket messages; only server/wireEncoder.ts can send it");
  }
}

/** What a `runs.stream` step yields for a run of events (see asWireEvent): on the wire, each event is a message. */
export function asWireEventRun(run: SerializedEventRun): RunEvent {
  return run as unknown as RunEvent;
}
