// The WebSocket encoder: JSON, like tRPC's default, with a fast path for subscription data held as JSON
// text (a SerializedJson: an event or a batch of events), spliced in instead of stringified again per
// subscriber. The bytes on the wire are exactly what JSON.stringify would produce, so clients use the
// default decoder.
import { jsonEncoder, type Encoder } from "@trpc/server/adapters/ws";
import { SerializedJson } from "./runs/serializedJson";

interface TrackedDataMessage {
  id: number | string | null;
  jsonrpc?: "2.0";
  result: { type: "data"; id?: string; data: { id: string; data: unknown } };
}

function isSerializedDataMessage(message: unknown): message is TrackedDataMessage {
  if (typeof message !== "object" || message === null) return false;
  const result = (message as { result?: { type?: unknown; data?: unknown } }).result;
  if (!result || result.type !== "data" || typeof result.data !== "object" || result.data === null) return false;
  return (result.data as { data?: unknown }).data instanceof SerializedJson;
}

export const wireEncoder: Encoder = {
  encode(message) {
    if (!isSerializedDataMessage(message)) return jsonEncoder.encode(message);
    const { id, jsonrpc, result } = message;
    const value = result.data.data as SerializedJson;
    const eventId = JSON.stringify(result.data.id);
    return (
      `{"id":${JSON.stringify(id)},${jsonrpc === undefined ? "" : `"jsonrpc":"2.0",`}"result":{"type":"data",` +
      `${result.id === undefined ? "" : `"id":${JSON.stringify(result.id)},`}"data":{"id":${eventId},"data":${value.json}}}}`
    );
  },
  decode: jsonEncoder.decode,
};
