import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { serializeBatch } from "../../serializedBatch";
import { EventSegments, SEGMENT_EVENTS } from "./eventSegments";
import { PackedEvent } from "./packedEvent";

describe("PackedEvent", () => {
  it("reads back each packed event's exact text (ASCII or not), decoded on demand, usable wherever a logged event is", () => {
    const segments = new EventSegments();
    const texts = Array.from({ length: SEGMENT_EVENTS + 10 }, (_, i) => JSON.stringify(["custom", { n: i + 1, s: i % 3 ? "plain" : "é✓🐱" }]));
    for (const text of texts) segments.append(text);
    const events = segments.read(1, texts.length);
    const packed = events.slice(0, SEGMENT_EVENTS);
    assert.ok(packed.every((e) => e instanceof PackedEvent), "the first segment's events are packed");
    assert.ok(events.slice(SEGMENT_EVENTS).every((e) => !(e instanceof PackedEvent)), "the tail's are the logged objects");
    assert.deepEqual(events.map((e) => e.json), texts);
    assert.deepEqual(events.map((e) => e.seq), texts.map((_, i) => i + 1));
    for (const event of packed as PackedEvent[]) {
      assert.ok(event.jsonLength >= event.json.length, "a packed event's length (UTF-8 bytes) is never below its characters");
      assert.deepEqual(event.parse(), JSON.parse(event.json));
      assert.equal(JSON.stringify(event), event.json, "toJSON gives the same JSON");
    }
    assert.equal(serializeBatch("r", packed as PackedEvent[]).json, `{"runId":"r","firstSeq":1,"events":[${texts.slice(0, SEGMENT_EVENTS).join(",")}]}`);
  });
});
