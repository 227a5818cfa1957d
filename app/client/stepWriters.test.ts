// stepWriters: the nodes that wrote in a step, for the state panel's "after <node>" chips.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { UpdateEntry } from "./runStore";
import { stepWriters } from "./stepWriters";

const update = (step: number | null, node: string, isInterrupt = false): UpdateEntry => ({ step, node, update: {}, isInterrupt, eventIndex: 0, scope: null, nodeKey: node });

const UPDATES = [update(null, "early"), update(1, "a"), update(2, "b"), update(2, "c"), update(2, "b"), update(2, "__interrupt__", true), update(3, "d")];

test("the writers of a step, in stream order, each once, without interrupts", () => {
  assert.deepEqual(stepWriters(UPDATES, UPDATES.length, 2), ["b", "c"]);
  assert.deepEqual(stepWriters(UPDATES, UPDATES.length, 3), ["d"]);
  assert.deepEqual(stepWriters(UPDATES, UPDATES.length, 1), ["a"]);
});

test("only the first `count` entries count, and a step nobody wrote in has no writers", () => {
  assert.deepEqual(stepWriters(UPDATES, 3, 2), ["b"]);
  assert.deepEqual(stepWriters(UPDATES, 1, 1), []);
  assert.deepEqual(stepWriters(UPDATES, UPDATES.length, 4), []);
  assert.deepEqual(stepWriters([], 0, 1), []);
});
