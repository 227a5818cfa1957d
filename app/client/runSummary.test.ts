import assert from "node:assert/strict";
import { test } from "node:test";
import { formatRunTime, mergeRunLists, summarizeInput, type RunListItem } from "./runSummary";

test("summarizeInput names an object's keys and cuts long input", () => {
  assert.equal(summarizeInput({ topic: "ice cream" }), 'topic: "ice cream"');
  assert.equal(summarizeInput({ a: 1, b: [1, 2] }), "a: 1, b: [1,2]");
  assert.equal(summarizeInput({}), "{}");
  assert.equal(summarizeInput(null), "no input");
  assert.equal(summarizeInput("hello"), '"hello"');
  const long = summarizeInput({ topic: "x".repeat(10_000), other: 1 }, 20);
  assert.equal(long.length, 20);
  assert.ok(long.endsWith("…"));
});

test("formatRunTime shows the time of day today and the date otherwise", () => {
  const now = new Date(2026, 11, 4, 20, 0, 0);
  assert.equal(formatRunTime(new Date(2026, 11, 4, 9, 5, 7).toISOString(), now), "09:05:07");
  assert.equal(formatRunTime(new Date(2026, 10, 30, 23, 1, 2).toISOString(), now), "2026-11-30 23:01:02");
  assert.equal(formatRunTime("not a date", now), "not a date");
});

function item(runId: string, createdAt: string, status: RunListItem["status"] = "done"): RunListItem {
  return { runId, graphId: "joke", status, streamMode: ["values"], input: {}, createdAt, updatedAt: createdAt, lastEventId: `${runId}:0`, events: 0, firstAvailableSeq: 0 };
}

test("mergeRunLists keeps older interrupted runs, each run once, newest first", () => {
  const recent = [item("c", "2026-12-04T10:00:03.000Z"), item("b", "2026-12-04T10:00:02.000Z", "interrupted")];
  const interrupted = [item("b", "2026-12-04T10:00:02.000Z", "interrupted"), item("a", "2026-12-04T09:00:00.000Z", "interrupted")];
  assert.deepEqual(
    mergeRunLists(recent, interrupted).map((r) => r.runId),
    ["c", "b", "a"],
  );
});
