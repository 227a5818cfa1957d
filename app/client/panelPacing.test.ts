// pacePanels: which run view each secondary panel shows after a page render.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { RunView } from "./liveRunStore";
import { initialShown, pacePanels, type PanelSlice } from "./panelPacing";
import { createRunData, type RunData } from "./runStore";

const SLICES = {
  updates: (v) => [v.updatesCount],
  raw: (v) => [v.eventCount],
  custom: (v) => [v.customCount],
} satisfies Record<string, PanelSlice>;
type Key = keyof typeof SLICES;
const KEYS = Object.keys(SLICES) as Key[];
const INTERVAL = 60;

function viewOf(run: RunData, frame: number, counts: Partial<Pick<RunView, "updatesCount" | "eventCount" | "customCount" | "status" | "failure">> = {}): RunView {
  return {
    run,
    frame,
    status: "running",
    runId: "r",
    eventCount: 0,
    tokenCount: 0,
    valuesCount: 0,
    updatesCount: 0,
    messagesVersion: 0,
    customCount: 0,
    tasksVersion: 0,
    taskCount: 0,
    timelineEnd: 0,
    nodesVersion: 0,
    metaVersion: 0,
    failure: null,
    resumedAfter: null,
    restoredCount: 0,
    ...counts,
  };
}

const frames = (shown: Record<Key, { view: RunView }>) => KEYS.map((key) => shown[key].view.frame);

test("a panel whose slice moved renders at once after a quiet spell; the next one a spacing later", () => {
  const run = createRunData();
  const first = viewOf(run, 0);
  const shown = initialShown(first, KEYS);
  const next = viewOf(run, 1, { updatesCount: 1, eventCount: 1 });
  const spacing = INTERVAL / KEYS.length;
  const decision = pacePanels(shown, next, SLICES, 1_000, INTERVAL);
  // updates moved first (it is first among panels that waited equally long); raw waits its turn;
  // custom's slice did not move, so it is up to date for free.
  assert.deepEqual(frames(decision.shown), [1, 0, 1]);
  assert.ok(decision.retryInMs !== null && Math.abs(decision.retryInMs - spacing) < 1e-9);
  // A render sooner than that (the next frame) moves nothing.
  const soon = pacePanels(shown, next, SLICES, 1_010, INTERVAL);
  assert.deepEqual(frames(soon.shown), [1, 0, 1]);
  const later = pacePanels(shown, next, SLICES, 1_000 + spacing, INTERVAL);
  assert.deepEqual(frames(later.shown), [1, 1, 1]);
  assert.equal(later.retryInMs, null);
});

test("while the run streams fast, a panel renders at most once per interval", () => {
  const run = createRunData();
  const shown = initialShown(viewOf(run, 0), ["updates"] as const);
  const slices = { updates: SLICES.updates };
  let renders = 0;
  let last = shown.updates.view;
  // 60 frames a second for one second, every frame with a new update.
  for (let frame = 1; frame <= 60; frame++) {
    const now = frame * (1000 / 60);
    pacePanels(shown, viewOf(run, frame, { updatesCount: frame }), slices, now, INTERVAL);
    if (shown.updates.view !== last) renders++;
    last = shown.updates.view;
  }
  assert.ok(renders >= 1000 / INTERVAL - 2 && renders <= 1000 / INTERVAL, `renders: ${renders}`);
  // When events stop, the panel catches up after the rest of its interval.
  const decision = pacePanels(shown, viewOf(run, 61, { updatesCount: 61 }), slices, 1_001, INTERVAL);
  assert.notEqual(shown.updates.view.frame, 61);
  assert.ok(decision.retryInMs !== null && decision.retryInMs > 0 && decision.retryInMs <= INTERVAL);
  pacePanels(shown, viewOf(run, 61, { updatesCount: 61 }), slices, 1_001 + decision.retryInMs, INTERVAL);
  assert.equal(shown.updates.view.frame, 61);
});

test("a status change makes every panel due at once, but they still move one at a time", () => {
  const run = createRunData();
  const streaming = viewOf(run, 1, { updatesCount: 5, eventCount: 5, customCount: 5 });
  const shown = initialShown(streaming, KEYS);
  for (const key of KEYS) shown[key].at = 1_000; // all rendered just now
  const ended = viewOf(run, 2, { updatesCount: 6, eventCount: 6, customCount: 6, status: "done" });
  const spacing = INTERVAL / KEYS.length;
  const seen: number[][] = [];
  let now = 1_000 + spacing;
  let decision = pacePanels(shown, ended, SLICES, now, INTERVAL);
  seen.push(frames(shown));
  while (decision.retryInMs !== null) {
    // Due well before the interval is over: a spacing after the previous panel, not 50 ms.
    assert.ok(Math.abs(decision.retryInMs - spacing) < 1e-9, `retry in ${decision.retryInMs}`);
    now += decision.retryInMs;
    decision = pacePanels(shown, ended, SLICES, now, INTERVAL);
    seen.push(frames(shown));
  }
  assert.deepEqual(seen, [
    [2, 1, 1],
    [2, 2, 1],
    [2, 2, 2],
  ]);
});

test("a panel whose slice did not move still shows the new status", () => {
  const run = createRunData();
  const shown = initialShown(viewOf(run, 1), ["custom"] as const);
  pacePanels(shown, viewOf(run, 2, { status: "done" }), { custom: SLICES.custom }, 5, INTERVAL);
  assert.equal(shown.custom.view.status, "done");
});

test("a new run (reset or restore) moves every panel at once", () => {
  const shown = initialShown(viewOf(createRunData(), 1, { updatesCount: 9 }), KEYS);
  const fresh = viewOf(createRunData(), 2);
  const decision = pacePanels(shown, fresh, SLICES, 10, INTERVAL);
  assert.deepEqual(frames(shown), [2, 2, 2]);
  assert.equal(decision.retryInMs, null);
});
