// The run manager's per-client limits: interrupted runs are capped per client and pooled process-wide
// so they never take the store slots running runs need; the reserved slots; a client's counts follow
// its key (an identity), not a connection.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { RunRequestError } from "./runErrors";
import { RunManager, type RunLimits } from "./runManager";
import { MemoryRunStore } from "./stores/memory/memoryRunStore";
import { sync } from "./test/sync";
import { countingScript, fakeGraph, fakeSource, FakeResume, gate, type Script } from "./test/fakeGraphs";

const asks: Script = async function* () {
  yield ["updates", { __interrupt__: [{ id: "int-1", value: { question: "Approve?" } }] }];
};

function makeManager(limits: Partial<RunLimits>, storeMaxRuns: number) {
  const g = gate();
  return {
    open: g.open,
    manager: new RunManager({
      store: new MemoryRunStore({ maxEventsPerRun: 1000, maxBytesPerRun: 1e9, maxRuns: storeMaxRuns, maxTotalBytes: 1e9, maxAgeMs: 60_000 }),
      graphs: fakeSource(fakeGraph("asks", asks), fakeGraph("long", countingScript(2, { after: 1, wait: g.wait }))),
      limits: { maxConcurrentRuns: 4, maxRunsPerClient: 4, runTimeoutMs: 0, interruptTimeoutMs: 0, maxRecursionLimit: 100, ...limits },
      pacing: { highWaterBytes: 1 << 20, maxBufferedBytes: 8 << 20, slowTimeoutMs: 1000 },
      resumeCommand: (value) => new FakeResume(value),
    }),
  };
}

const tooMany = (pattern: RegExp) => (e: unknown) => e instanceof RunRequestError && e.code === "TOO_MANY_REQUESTS" && pattern.test(e.message);

async function park(manager: RunManager, client: string): Promise<string> {
  const { record } = sync(manager.start({ graphId: "asks", input: { topic: "x" }, streamMode: ["updates"] }, client));
  while (sync(manager.get(record.metadata.run_id))!.status === "running") await new Promise((resolve) => setImmediate(resolve));
  return record.metadata.run_id;
}

describe("per-client run limits", () => {
  it("caps a client's interrupted runs, and the pool over all clients is the store's slots minus the running ones", async () => {
    // 10 store slots, 4 for running runs: 6 interrupted runs can wait; 3 per client.
    const { manager } = makeManager({ maxInterruptedRunsPerClient: 3 }, 10);
    assert.equal(manager.interruptedPool, 6);
    const a = [await park(manager, "a"), await park(manager, "a"), await park(manager, "a")];
    assert.throws(() => manager.start({ graphId: "asks", input: { topic: "x" }, streamMode: ["updates"] }, "a"), tooMany(/RILL_MAX_INTERRUPTED_RUNS_PER_CLIENT=3/));
    const b = [await park(manager, "b"), await park(manager, "b")];
    const c = [await park(manager, "c"), await park(manager, "c")];
    // The 7th waiting run displaced the oldest of the client with the most (a).
    assert.equal(manager.interruptedCount, 6);
    assert.equal(sync(manager.get(a[0]!))!.status, "cancelled");
    assert.match(sync(manager.get(a[0]!))!.reason!, /at most 6 interrupted runs \(RILL_STORE_MAX_RUNS - RILL_MAX_RUNS\).*had the most waiting \(3\)/);
    for (const id of [...a.slice(1), ...b, ...c]) assert.equal(sync(manager.get(id))!.status, "interrupted");
    // Every running slot still finds a store slot.
    for (const client of ["d", "e", "f", "g"]) sync(manager.start({ graphId: "long", input: { topic: "x" }, streamMode: ["custom"] }, client));
    assert.equal(manager.runningCount, 4);
    manager.shutdown("test over");
  });

  it("keeps the last reserved slots for clients with no run running", () => {
    const { manager } = makeManager({ maxConcurrentRuns: 5, maxRunsPerClient: 5, reservedRuns: 2 }, 100);
    const start = (client: string) => sync(manager.start({ graphId: "long", input: { topic: "x" }, streamMode: ["custom"] }, client));
    start("a");
    start("a");
    start("a");
    assert.throws(() => start("a"), tooMany(/3 of this server's 5 run slots \(RILL_MAX_RUNS\) are in use and the last 2 are kept for clients with no run running \(RILL_RESERVED_RUNS=2\); this client has 3/));
    start("b");
    assert.throws(() => start("b"), tooMany(/RILL_RESERVED_RUNS=2/));
    start("c");
    assert.throws(() => start("d"), tooMany(/^5 runs are running, this server's limit \(RILL_MAX_RUNS=5\)/));
    manager.shutdown("test over");
  });

  it("counts a client's runs by its key, whichever connection it comes from (an identity's reconnect resets nothing)", async () => {
    const { manager } = makeManager({ maxRunsPerClient: 2, maxInterruptedRunsPerClient: 1 }, 100);
    const start = (client: string) => sync(manager.start({ graphId: "long", input: { topic: "x" }, streamMode: ["custom"] }, client));
    start("identity:alice"); // first connection
    start("identity:alice"); // after a reconnect: the same key
    assert.throws(() => start("identity:alice"), tooMany(/this client has 2 runs running, the limit per client \(RILL_MAX_RUNS_PER_CLIENT=2\)/));
    await park(manager, "identity:bob");
    assert.throws(() => manager.start({ graphId: "asks", input: { topic: "x" }, streamMode: ["updates"] }, "identity:bob"), tooMany(/RILL_MAX_INTERRUPTED_RUNS_PER_CLIENT=1/));
    manager.shutdown("test over");
  });
});
