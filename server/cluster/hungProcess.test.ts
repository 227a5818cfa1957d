// Fencing with real processes: the executing process hangs (SIGSTOP) past its lease, the other takes the
// run over and goes on with it; then the hung one wakes (SIGCONT). Its commits of the run are refused
// (the lease's generation is no longer its own) or it sees on its next renewal that the run was taken, and
// either way it stops executing the run without ending it: the log holds only the new executor's events
// after the takeover, contiguous and each once, and the run finishes there.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { collect, isStatus, runIdOf, seqOf, type Received } from "../test/harness";
import { deploymentServices, startProcessPair, type ProcessPair } from "./test/deployment";

const { database, redis, skip, processEnv } = await deploymentServices();

const tickOf = (event: Received) => (event.data[0] === "custom" ? (event.data[1] as { tick: number }).tick : undefined);

describe("a process that hung past its lease and wakes cannot log into the run", { skip }, () => {
  let pair: ProcessPair;

  before(async () => {
    const env = processEnv({ RILL_LEASE_MS: "1000", TICK_MS: "10" });
    pair = await startProcessPair({ ...env, RILL_INSTANCE_ID: "hangs-a" }, { ...env, RILL_INSTANCE_ID: "takes-b" });
  });

  after(async () => {
    await pair?.close();
    await redis?.cleanup();
    await database?.drop();
  });

  it("SIGSTOP of the executor, takeover, SIGCONT: no event of the woken process reaches the log", async () => {
    const { a, onA, onB } = pair;
    // Ten ticks a superstep (a checkpoint every ten): stopped in the middle of its second superstep.
    const seen = await collect(onA, { graphId: "ticks", input: { total: 200 }, streamMode: ["custom"] }, (event) => (tickOf(event) === 15 ? "stop" : undefined));
    const runId = runIdOf(seen.events);
    a.pause();

    let woken = false;
    const rest = collect(onB, { runId, lastEventId: seen.events.at(-1)!.id }, (event) => {
      // B has taken the run over: wake A while B executes it.
      if (!woken && event.data[0] === "status" && (event.data[1] as { resumed?: boolean }).resumed) {
        woken = true;
        a.resume();
      }
    });
    const { events, error } = await rest;
    assert.equal(error, undefined);
    assert.ok(woken, "B took the run over");
    await a.stderrMatches(/took a run over|lease of a run was taken over/);
    assert.ok(isStatus(events.at(-1)!, "done"), `the run finishes on B: ${JSON.stringify(events.at(-1)!.data)}`);

    const whole = await collect(onB, { runId });
    assert.deepEqual(whole.events.map(seqOf), whole.events.map((_, i) => i), "the whole log: seqs 0..n, no gap, no repeat");
    const resumedAt = whole.events.findIndex((e) => e.data[0] === "status" && (e.data[1] as { resumed?: boolean }).resumed);
    assert.deepEqual(whole.events[resumedAt]!.data, ["status", { status: "running", resumed: true, worker: "takes-b" }]);
    assert.equal(whole.events.filter((e) => e.data[0] === "status").length, 2, "one takeover, then done: no status from the woken process");
    const ticks = (from: number, to: number) => whole.events.slice(from, to).map(tickOf).filter((t) => t !== undefined);
    const beforeTakeover = ticks(0, resumedAt);
    const afterTakeover = ticks(resumedAt, whole.events.length);
    assert.deepEqual(beforeTakeover, beforeTakeover.map((_, i) => i + 1), "A's ticks, from 1, each once");
    // B goes on from the last checkpoint (a multiple of ten ticks) to the end: each tick once, none of A's after it.
    const from = afterTakeover[0]!;
    assert.equal((from - 1) % 10, 0, `B starts after a checkpoint, at tick ${from}`);
    assert.ok(from <= beforeTakeover.length + 1, "nothing skipped");
    assert.deepEqual(afterTakeover, afterTakeover.map((_, i) => from + i), "B's ticks: contiguous, each once, to the end");
    assert.equal(afterTakeover.at(-1), 200);
    const info = await onB.trpc.runs.get.query({ runId });
    assert.deepEqual([info.status, info.worker], ["done", "takes-b"]);
    assert.equal((await fetch(`${a.url}/healthz`)).status, 200, "the woken process is up");
  });
});
