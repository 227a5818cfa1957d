// A durable store survives SIGKILL of the real server, on SQLite and on PostgreSQL: finished runs replay
// identically, interrupted runs are still interrupted and resume, and a run that was running continues
// in the restarted process from its last checkpoint, its log going on with contiguous seqs after a
// ["status", { status: "running", resumed: true }] event; a subscriber resuming with its lastEventId
// gets every event after it exactly once.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { createTestDatabase, postgresSkipReason } from "../../lib/graph/checkpoint/postgres/test/testDatabase";
import { assertContiguousAfter, collect, connect, isStatus, runIdOf, seqOf, stepOf, type Received } from "../test/harness";
import { startRestartTarget, type RestartTarget } from "./test/restartTargetProcess";


/** The steps the "steps" graph wrote (its custom events), in order. */
const stepsOf = (events: Received[]) => events.map(stepOf).filter((step) => step !== undefined);

/** collect()'s stop: at the custom event of `step`. */
const atStep = (step: number) => (event: Received) => (stepOf(event) === step ? "stop" : undefined);

async function killAndRestart(env: Record<string, string>): Promise<void> {
  // 1. A server that hangs "steps" in step 3.
  let target: RestartTarget = await startRestartTarget({ ...env, RESTART_HANG_AT: "3" });
  let client = connect(target);
  const finished = await collect(client, { graphId: "steps", input: { total: 2 }, streamMode: ["custom", "updates"] });
  assert.ok(isStatus(finished.events.at(-1)!, "done"), "a run that finishes before the kill");
  // An interrupted run's subscription stays open (the run may go on): stop at the interrupt.
  const asking = await collect(client, { graphId: "approve", input: { topic: "x" }, streamMode: ["updates"] }, (event) =>
    isStatus(event, "interrupted") ? "stop" : undefined,
  );
  assert.ok(isStatus(asking.events.at(-1)!, "interrupted"));
  const seen = await collect(client, { graphId: "steps", input: { total: 5 }, streamMode: ["custom", "updates"] }, atStep(3));
  const runningId = runIdOf(seen.events);
  const lastSeen = seen.events.at(-1)!;
  await client.close();
  await target.kill();

  // 2. The same store, a new process (no hang).
  target = await startRestartTarget(env);
  client = connect(target);
  try {
    const replayed = await collect(client, { runId: runIdOf(finished.events) });
    assert.deepEqual(replayed.events, finished.events, "a finished run replays identically (ids and tuples)");

    const rest = await collect(client, { runId: runningId, lastEventId: lastSeen.id });
    assert.equal(rest.error, undefined);
    assertContiguousAfter(rest.events, lastSeen);
    const resumedAt = rest.events.findIndex((e) => e.data[0] === "status");
    assert.deepEqual(rest.events[resumedAt]!.data, ["status", { status: "running", resumed: true }]);
    const steps = stepsOf(rest.events);
    assert.deepEqual(steps, [3, 4, 5], "the unfinished step ran again, then the rest");
    assert.ok(isStatus(rest.events.at(-1)!, "done"));
    const whole = await collect(client, { runId: runningId });
    assert.deepEqual(whole.events.map(seqOf), whole.events.map((_, i) => i), "the whole log: seqs 0..n, no gap, no repeat");

    const interrupted = await client.trpc.runs.get.query({ runId: runIdOf(asking.events) });
    assert.equal(interrupted.status, "interrupted");
    assert.deepEqual(interrupted.interrupts?.map((i) => i.value), [{ question: "ok x?" }]);
    await client.trpc.runs.resume.mutate({ runId: interrupted.runId, resume: "yes" });
    const resumed = await collect(client, { runId: interrupted.runId, lastEventId: asking.events.at(-1)!.id });
    assert.ok(isStatus(resumed.events.at(-1)!, "done"));
    assert.ok(
      resumed.events.some((e) => e.data[0] === "updates" && JSON.stringify(e.data[1]).includes('"answer":"yes"')),
      "the resumed run finished with the answer",
    );
  } finally {
    await client.close();
    await target.stop();
  }
}

/**
 * Killed before the run's first checkpoint (the killed process saves none: CHECKPOINTS_NEVER_SAVED), the
 * run is continued from its input by the next process: its steps run from the first, and it finishes.
 */
async function killBeforeFirstCheckpoint(env: Record<string, string>): Promise<void> {
  let target: RestartTarget = await startRestartTarget({ ...env, RESTART_HANG_AT: "2", CHECKPOINTS_NEVER_SAVED: "1" });
  let client = connect(target);
  const seen = await collect(client, { graphId: "steps", input: { total: 3 }, streamMode: ["custom", "updates"] }, atStep(2));
  const runId = runIdOf(seen.events);
  const lastSeen = seen.events.at(-1)!;
  await client.close();
  await target.kill();

  target = await startRestartTarget(env);
  client = connect(target);
  try {
    const rest = await collect(client, { runId, lastEventId: lastSeen.id });
    assert.equal(rest.error, undefined);
    assertContiguousAfter(rest.events, lastSeen);
    assert.deepEqual(rest.events[0]!.data, ["status", { status: "running", resumed: true }]);
    const steps = stepsOf(rest.events);
    assert.deepEqual(steps, [1, 2, 3], "no checkpoint of the run: it started again from its input");
    assert.ok(isStatus(rest.events.at(-1)!, "done"), `it finishes (not "Received no input writes"): ${JSON.stringify(rest.events.at(-1)!.data)}`);
    const updates = rest.events.filter((e) => e.data[0] === "updates").map((e) => e.data[1]);
    assert.deepEqual(updates, [{ step: { n: 1 } }, { step: { n: 2 } }, { step: { n: 3 } }], "the right output");
  } finally {
    await client.close();
    await target.stop();
  }
}

/**
 * A run continued after a restart runs with what it was started with: its configurable (the "steps" graph
 * writes its `label`) and recursion limit. Killed before its first checkpoint, it starts again from its
 * input, so it must do exactly what it does uninterrupted: the same steps, labelled, and the same
 * recursion-limit error; and its thread's status follows it (`error`).
 */
async function keepsStartOptions(env: Record<string, string>): Promise<void> {
  const request = { graphId: "steps", input: { total: 10 }, streamMode: ["custom" as const], config: { recursionLimit: 3, configurable: { label: "kept" } } };
  const outcome = (events: Received[]) => ({
    written: events.filter((e) => e.data[0] === "custom").map((e) => e.data[1]),
    end: events.filter((e) => e.data[0] === "status").at(-1)?.data[1],
  });
  let target: RestartTarget = await startRestartTarget({ ...env, RESTART_HANG_AT: "2", CHECKPOINTS_NEVER_SAVED: "1" });
  let client = connect(target);
  const seen = await collect(client, request, atStep(2));
  const runId = runIdOf(seen.events);
  await client.close();
  await target.kill();

  target = await startRestartTarget(env);
  client = connect(target);
  try {
    const rest = await collect(client, { runId, lastEventId: seen.events.at(-1)!.id });
    assert.equal(rest.error, undefined);
    assert.deepEqual(rest.events[0]!.data, ["status", { status: "running", resumed: true }]);
    const reference = await collect(client, request);
    const expected = outcome(reference.events);
    assert.ok(isStatus(reference.events.at(-1)!, "error"), `the limit matters: ${JSON.stringify(expected.end)}`);
    assert.ok(expected.written.every((w) => (w as { label?: string }).label === "kept"));
    assert.deepEqual(outcome(rest.events.slice(1)), expected, "same steps, same label, same recursion-limit error");
    // The restarted process wrote the thread's status as the run it continued ended.
    const threadId = (seen.events[0]!.data[1] as { thread_id: string }).thread_id;
    assert.equal((await client.trpc.threads.get.query({ threadId })).status, "error");
  } finally {
    await client.close();
    await target.stop();
  }
}

const database = await createTestDatabase();
after(async () => database?.drop());

/** Runs `scenario` with a SQLite run store and checkpoints in a directory of its own, removed after. */
async function onSqlite(scenario: (env: Record<string, string>) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), "rill-restart-"));
  try {
    await scenario({ RILL_STORE: "sqlite", RILL_DATA_DIR: dir, RESTART_CHECKPOINTS: path.join(dir, "test-checkpoints.db") });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("a durable store survives kill -9 of the server", () => {
  it("on SQLite (RILL_DATA_DIR)", async () => {
    await onSqlite(killAndRestart);
  });

  it("on PostgreSQL (DATABASE_URL)", { skip: database ? false : postgresSkipReason }, async () => {
    await killAndRestart({ RILL_STORE: "postgres", DATABASE_URL: database!.url, RESTART_CHECKPOINTS: database!.url });
  });

  it("killed before the run's first checkpoint: the next process starts it again from its input (SQLite)", async () => {
    await onSqlite(killBeforeFirstCheckpoint);
  });

  it("killed before the run's first checkpoint, on PostgreSQL", { skip: database ? false : postgresSkipReason }, async () => {
    await killBeforeFirstCheckpoint({ RILL_STORE: "postgres", DATABASE_URL: database!.url, RESTART_CHECKPOINTS: database!.url });
  });

  it("the continued run keeps its configurable and recursion limit (SQLite)", async () => {
    await onSqlite(keepsStartOptions);
  });
});
