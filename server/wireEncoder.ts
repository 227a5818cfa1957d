// The WebSocket encoder: JSON, like tRPC's default, with a fast path for subscription data held as JSON
// text (a SerializedJson: an event or a batch of events), spliced in instead of stringified again per
// subscriber. The bytes on the wire are exactly what JSON.stringify would produce, so clients use the
// default decoder.
//
// A SerializedEventRun (a replaying `runs.stream` subscriber's step: several events) becomes WireFrames:
// one message per event, each what the event alone would have been, with its own event id.
import { jsonEncoder, type Encoder } from "@trpc/server/adapters/ws";
import { SerializedEventRun } from "./runs/serializedEventRun";
import { SerializedJson } from "./runs/serializedJson";
import { WireFrames } from "./wireFrames";

interface TrackedDataMessage {
  id: number | string | null;
  jsonrpc?: "2.0";
  result: { type: "data"; id?: string; data: { id: string; data: unknown } };
}

function trackedDataOf(message: unknown): TrackedDataMessage | null {
  if (typeof message !== "object" || message === null) return null;
  const result = (message as { result?: { type?: unknown; data?: unknown } }).result;
  if (!result || result.type !== "data" || typeof result.data !== "object" || result.data === null) return null;
  const data = (result.data as { data?: unknown }).data;
  return data instanceof SerializedJson || data instanceof SerializedEventRun ? (message as TrackedDataMessage) : null;
}

/** The head of a data message up to its result's `"type":"data",` (its request id, jsonrpc). */
function dataMessageHead(message: TrackedDataMessage): string {
  return `{"id":${JSON.stringify(message.id)},${message.jsonrpc === undefined ? "" : `"jsonrpc":"2.0",`}"result":{"type":"data",`;
}

function eventRunFrames(message: TrackedDataMessage, run: SerializedEventRun): WireFrames {
  const head = dataMessageHead(message);
  const runIdJson = JSON.stringify(run.runId).slice(0, -1);
  const events = run.take();
  const texts = new Array<string>(events.length);
  for (let i = 0; i < events.length; i++) {
    const event = events[i]!;
    // lib/run/eventId.ts's `<runId>:<seq>`, as JSON, the run id stringified once for all events.
    const eventId = `${runIdJson}:${event.seq}"`;
    texts[i] = `${head}"id":${eventId},"data":{"id":${eventId},"data":${event.json}}}}`;
  }
  return new WireFrames(texts);
}

export const wireEncoder: Encoder = {
  encode(message) {
    const tracked = trackedDataOf(message);
    if (!tracked) return jsonEncoder.encode(message);
    const { result } = tracked;
    const value = result.data.data;
    // The socket (wsServer.ts) sends WireFrames as separate messages; tRPC passes it through untouched.
    if (value instanceof SerializedEventRun) return eventRunFrames(tracked, value) as unknown as string;
    const eventId = JSON.stringify(result.data.id);
    return (
      dataMessageHead(tracked) +
      `${result.id === undefined ? "" : `"id":${JSON.stringify(result.id)},`}"data":{"id":${eventId},"data":${(value as SerializedJson).json}}}}`
    );
  },
  decode: jsonEncoder.decode,
};
