import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkpointId, checkpointTimestamp } from "./ids";

describe("checkpoint ids and timestamps", () => {
  it("ids made in a burst (many in one millisecond) are distinct, UUID-shaped and sorted by creation", () => {
    const ids = Array.from({ length: 20_000 }, () => checkpointId());
    assert.equal(new Set(ids).size, ids.length);
    for (const id of ids) assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    for (let i = 1; i < ids.length; i++) assert.ok(ids[i - 1]! < ids[i]!, `${ids[i - 1]} sorts before ${ids[i]}`);
  });

  it("a timestamp is the current time as an ISO string", () => {
    const before = Date.now();
    const ts = checkpointTimestamp();
    const after = Date.now();
    assert.equal(new Date(ts).toISOString(), ts);
    const at = Date.parse(ts);
    assert.ok(at >= before && at <= after, `${ts} lies between ${before} and ${after}`);
  });
});
