// A RunEvent kept as the JSON text it was serialized to once, when it was logged. The in-memory store
// keeps these very objects (a StoredEvent), subscriptions yield them as they are, and the WebSocket
// encoder splices the text into the tRPC envelope, so an event costs one JSON.stringify however many
// subscribers receive it.
import type { RunEvent } from "./runEvent";
import { SerializedJson } from "./serializedJson";

export class SerializedEvent extends SerializedJson {
  constructor(
    json: string,
    /** Its seq in the run's log (0 for the metadata event, which is not logged). */
    readonly seq: number = 0,
  ) {
    super(json);
  }

  /** The event as a value, for in-process readers (tests, runs.get). */
  parse(): RunEvent {
    return JSON.parse(this.json) as RunEvent;
  }
}

/**
 * What a subscription yields as its `RunEvent`. One of the two casts on the wire path (the other is
 * asWireBatch): on the wire, and to every client, the value IS a RunEvent (its JSON); only the server
 * holds it as text.
 */
export function asWireEvent(event: SerializedEvent): RunEvent {
  return event as unknown as RunEvent;
}
