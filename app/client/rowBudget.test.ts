// chooseRows: how many new rows a virtual list creates per render, and which ones.
import { test } from "node:test";
import assert from "node:assert/strict";
import { chooseRows } from "./rowBudget";

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

test("a first render creates at most the budget, the newest rows when following", () => {
  const choice = chooseRows({ first: 0, last: 30 }, new Set(), 12, true);
  assert.deepEqual(choice.indices, range(18, 30));
  assert.equal(choice.deferred, true);
});

test("rows already shown are kept, and do not count against the budget", () => {
  const previous = new Set(range(18, 30));
  const choice = chooseRows({ first: 0, last: 30 }, previous, 12, true);
  assert.deepEqual(choice.indices, range(6, 30));
  assert.equal(choice.deferred, true);
  const last = chooseRows({ first: 0, last: 30 }, new Set(choice.indices), 12, true);
  assert.deepEqual(last.indices, range(0, 30));
  assert.equal(last.deferred, false);
});

test("a window that moved down fills from the bottom, keeping the rows still in view", () => {
  const previous = new Set(range(100, 130));
  const choice = chooseRows({ first: 120, last: 150 }, previous, 12, true);
  // 120..129 kept, 130..149 new: the 12 nearest the bottom now, 130..137 next time.
  assert.deepEqual(choice.indices, [...range(120, 130), ...range(138, 150)]);
  assert.equal(choice.deferred, true);
});

test("a window that moved up fills from the top", () => {
  const previous = new Set(range(100, 130));
  const choice = chooseRows({ first: 40, last: 70 }, previous, 12, false);
  assert.deepEqual(choice.indices, range(40, 52));
  assert.equal(choice.deferred, true);
});

test("within the budget every row in the window renders and nothing is deferred", () => {
  const choice = chooseRows({ first: 5, last: 15 }, new Set(range(0, 8)), 12, true);
  assert.deepEqual(choice.indices, range(5, 15));
  assert.equal(choice.deferred, false);
  assert.deepEqual(chooseRows({ first: 0, last: 0 }, new Set(), 12, true), { indices: [], deferred: false });
});
