// preparePut's path for the engine's own checkpoints (owned, plain JSON: the row's JSON written straight from
// the channels that moved) stores exactly what its general path stores for the same checkpoint: the same
// JSON, byte for byte, and the same channels held; shapes it does not write by hand take the general path.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ChannelVersions, Checkpoint } from "../base";
import { setOwnValue } from "../../prototypeKeys";
import { JsonSerializer } from "../serde";
import { preparePut } from "./records";
import { ValueCodec } from "./serialized";

const codec = new ValueCodec(new JsonSerializer());
const config = { configurable: { thread_id: "t", checkpoint_ns: "", checkpoint_id: "parent" } };
const metadata = { source: "loop" as const, step: 3, parents: {} };
const task = { id: "task-1", name: "a", path: ["__pregel_pull", "a"], triggers: ["branch:to:a"] };

function checkpointOf(values: Record<string, unknown>, versionsSeen: Record<string, unknown> = {}): Checkpoint {
  const channel_versions: ChannelVersions = {};
  for (const channel of Object.keys(values)) setOwnValue(channel_versions as Record<string, unknown>, channel, 4);
  return { v: 4, id: "c1", ts: "2026-12-06T10:00:00.000Z", channel_values: values, channel_versions, versions_seen: versionsSeen as Checkpoint["versions_seen"] };
}

/**
 * The owned put and the general one (not owned: the versions copied, the held channels worked out) of the
 * same checkpoint; `moved` in the values' order, as the engine makes its versions.
 */
function both(checkpoint: Checkpoint, moved: string[]) {
  const newVersions: ChannelVersions = {};
  for (const channel of moved) setOwnValue(newVersions as Record<string, unknown>, channel, 4);
  const owned = preparePut("S", codec, config, checkpoint, metadata, newVersions, true);
  const general = preparePut("S", codec, config, checkpoint, metadata, newVersions, false);
  return { owned, general };
}

describe("preparePut: the engine's own checkpoints", () => {
  const cases: Array<[string, Record<string, unknown>, string[], Record<string, unknown>?]> = [
    ["a step of a loop", { n: 1, __rill_last_node__: "a", __rill_next__: [task], __rill_barriers__: {} }, ["n", "__rill_last_node__", "__rill_next__"]],
    ["no scheduled tasks among the moved", { n: 1, name: "x" }, ["n", "name"]],
    ["the tasks alone", { n: 1, __rill_next__: [task, { ...task, id: "task-2" }] }, ["__rill_next__"]],
    ["nothing moved", { n: 1 }, []],
    ["arrays, null, booleans, escapes", { list: [["n", 1], [true, null]], text: 'quo"te\n', flag: false, none: null }, ["list", "text", "flag", "none"]],
    ["an object value (the general path)", { messages: [{ role: "user", content: "hi" }], n: 2, __rill_next__: [task] }, ["messages", "n", "__rill_next__"]],
    ["a channel named __proto__", { n: 1 }, ["n", "__proto__"]],
    ["an undefined value (JSON.stringify leaves it out)", { n: undefined, m: 1 }, ["n", "m"]],
    ["versions seen (the general path)", { n: 1 }, ["n"], { a: { x: 1 } }],
  ];
  for (const [name, values, moved, seen] of cases) {
    it(`stores what the general path stores: ${name}`, () => {
      if (name.startsWith("a channel named")) setOwnValue(values, "__proto__", 5);
      const { owned, general } = both(checkpointOf(values, seen), moved);
      assert.equal(owned.checkpoint[0], "json");
      assert.equal(owned.checkpoint[1], general.checkpoint[1]);
      assert.deepEqual(Object.keys(owned.stored).sort(), Object.keys(general.stored).sort(), "the channels the row holds");
      assert.deepEqual(owned.versions, general.versions);
      assert.equal(owned.metadata, general.metadata);
      assert.equal(owned.parentId, "parent");
      assert.equal(owned.chained, true);
    });
  }

  it("writes the checkpoint's values as JSON.stringify does, the scheduled tasks last", () => {
    const values = { n: 7, __rill_next__: [task], who: "b" };
    const { owned } = both(checkpointOf(values), ["n", "__rill_next__", "who"]);
    const expected = JSON.stringify({ v: 4, ts: "2026-12-06T10:00:00.000Z", channel_values: { n: 7, who: "b", __rill_next__: [task] }, versions_seen: {} });
    assert.equal(owned.checkpoint[1], expected);
  });
});
