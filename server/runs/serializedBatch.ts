// Consecutive events of one run as one RunEventBatch, built by joining the events' stored JSON texts:
// no event is parsed or stringified again, however many subscribers receive the batch.
import type { RunEventBatch } from "./runEvent";
import type { SerializedEvent } from "./serializedEvent";
import { SerializedJson } from "./serializedJson";

/** `events` must be consecutive (seq n, n+1, ...) and non-empty. */
export function serializeBatch(runId: string, events: readonly SerializedEvent[]): SerializedJson {
  let json = `{"runId":${JSON.stringify(runId)},"firstSeq":${events[0]!.seq},"events":[`;
  for (let i = 0; i < events.length; i++) json += (i === 0 ? "" : ",") + events[i]!.json;
  return new SerializedJson(json + "]}");
}

/** What a batched subscription yields: on the wire the value IS a RunEventBatch (see asWireEvent). */
export function asWireBatch(batch: SerializedJson): RunEventBatch {
  return batch as unknown as RunEventBatch;
}
