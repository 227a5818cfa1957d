// The shared run vocabulary: event ids (format and strict parse) and run statuses.
import { test } from "node:test";
import assert from "node:assert/strict";
import { formatEventId, MAX_SEQ_DIGITS, parseEventId } from "./eventId";
import { isTerminalStatus, RUN_STATUSES, TERMINAL_STATUSES } from "./runStatus";

test("parseEventId reads back every id formatEventId writes", () => {
  for (const [runId, seq] of [["run_abc", 0], ["run_abc", 1], ["client-chosen-1", 42], ["r", 999_999_999_999_999]] as const) {
    const id = formatEventId(runId, seq);
    assert.equal(id, `${runId}:${seq}`);
    assert.deepEqual(parseEventId(id), { runId, seq });
  }
});

test("parseEventId refuses anything formatEventId does not write", () => {
  const bad = [
    "",
    "nope",
    ":3",
    "run_abc:",
    "run_abc:-1",
    "run_abc:+1",
    "run_abc:1.5",
    "run_abc:1e3",
    "run_abc: 1",
    "run_abc:1 ",
    "run_abc:07",
    "run_abc:00",
    "a:b:7",
    "run_abc::7",
    "run_abc:0x1",
    `run_abc:${"1".repeat(MAX_SEQ_DIGITS + 1)}`,
    "run_abc:１",
  ];
  for (const id of bad) assert.equal(parseEventId(id), null, JSON.stringify(id));
});

test("parseEventId is one linear pass, even on long hostile ids", () => {
  const long = "a".repeat(1_000_000);
  assert.equal(parseEventId(`${long}:${"9".repeat(MAX_SEQ_DIGITS + 1)}`), null);
  assert.equal(parseEventId(`${":".repeat(1_000_000)}1`), null);
  assert.deepEqual(parseEventId(`${long}:5`), { runId: long, seq: 5 });
});

test("every run status, and which are terminal", () => {
  assert.deepEqual([...RUN_STATUSES], ["running", "interrupted", "done", "error", "cancelled"]);
  assert.deepEqual([...TERMINAL_STATUSES].sort(), ["cancelled", "done", "error"]);
  const terminal = Object.fromEntries(RUN_STATUSES.map((status) => [status, isTerminalStatus(status)]));
  assert.deepEqual(terminal, { running: false, interrupted: false, done: true, error: true, cancelled: true });
  for (const other of ["idle", "connecting", "", "DONE"]) assert.equal(isTerminalStatus(other), false, other);
});
