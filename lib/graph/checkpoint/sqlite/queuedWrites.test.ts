// The engine's queued path to Rill's durable savers (pregel/threadStore.ts, durable/groupCommit.ts): writes
// are queued without a promise each, yet everything is committed when the run resolves, a failed
// transaction fails the run, and a subclass that overrides put is still called through put.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import Database from "better-sqlite3";
import { Annotation, END, START, StateGraph } from "../../index";
import type { QueuedOp } from "../durable/queuedChains";
import { SqliteSaver } from "./sqliteSaver";
import { storedCounts } from "./test/storedCounts";

const dir = mkdtempSync(join(tmpdir(), "rill-queued-writes-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function loop(checkpointer: SqliteSaver, steps: number) {
  const State = Annotation.Root({ n: Annotation<number>() });
  return new StateGraph(State)
    .addNode("a", (s) => ({ n: s.n + 1 }))
    .addNode("b", (s) => ({ n: s.n + 1 }))
    .addEdge(START, "a")
    .addEdge("a", "b")
    .addConditionalEdges("b", (s) => (s.n >= steps ? END : "a"))
    .compile({ checkpointer });
}

class CountingSaver extends SqliteSaver {
  queued = 0;
  batches: number[] = [];
  failWhenStep: number | null = null;
  override queuePut(...args: Parameters<SqliteSaver["queuePut"]>) {
    this.queued++;
    return super.queuePut(...args);
  }
  protected override commitBatch(ops: QueuedOp[], full: boolean) {
    this.batches.push(ops.length);
    const failing = this.failWhenStep;
    if (failing !== null && ops.some((op) => op.kind === "put" && op.metadata.includes(`"step":${failing},`))) throw new Error(`disk full at step ${failing}`);
    return super.commitBatch(ops, full);
  }
}

describe("SqliteSaver under Rill's engine (queued writes)", () => {
  for (const [durability, commitThread] of [["async", false], ["sync", false], ["async", true], ["sync", true]] as const) {
    it(`has committed every checkpoint and write when the run resolves (durability ${durability}, commitThread: ${commitThread})`, async () => {
      const file = join(dir, `committed-${durability}-${commitThread}.db`);
      const saver = new CountingSaver(file, { commitThread });
      const result = await loop(saver, 100).invoke({ n: 0 }, { configurable: { thread_id: "t" }, recursionLimit: 200, durability });
      assert.equal(result.n, 100);
      assert.equal(saver.queued, 102, "the engine queued every checkpoint (input, 100 steps, the end)");
      // Another connection sees every row at once: nothing was left waiting for the next tick.
      const other = new Database(file, { readonly: true });
      try {
        const stored = storedCounts(other);
        assert.equal(stored.checkpoints, 102);
        // The input's write and each step's task write (b's routes, its conditional edge's, ride in the same row).
        assert.equal(stored.writes, 1 + 100);
        // On the commit thread, the run's checkpoints go in chains (a row for many), on the caller's in rows.
        assert.equal(stored.chains > 0, commitThread);
      } finally {
        other.close();
      }
      // On the caller's thread, async durability commits once per event-loop turn, and the engine runs these
      // synchronous nodes' steps within one. (With the commit thread, how many steps a transaction holds
      // depends on how busy that thread is: nothing to assert.)
      if (durability === "async" && !commitThread) assert.ok(Math.max(...saver.batches) > 10, `one transaction held many steps (batches ${saver.batches.join(", ")})`);
      if (durability === "sync") assert.ok(Math.max(...saver.batches.slice(1)) <= 3, `each step committed before the next (batches ${saver.batches.join(", ")})`);
      await saver.close();
    });
  }

  it("fails the run with the error of a transaction that failed, and keeps what committed before it", async () => {
    const saver = new CountingSaver(":memory:");
    saver.failWhenStep = 42;
    await assert.rejects(loop(saver, 100).invoke({ n: 0 }, { configurable: { thread_id: "fails" }, recursionLimit: 200 }), /disk full at step 42/);
    saver.failWhenStep = null;
    const graph = loop(saver, 100);
    const state = await graph.getState({ configurable: { thread_id: "fails" } });
    assert.ok(state.metadata === undefined || (state.metadata.step as number) < 42, `no checkpoint of the failed transaction is stored (latest step ${state.metadata?.step})`);
    await saver.close();
  });

  it("writes nothing after a failed transaction, even when later steps went into later transactions", async () => {
    // Node b yields to the event loop, so each step's writes commit in a transaction of their own before
    // the next step runs: the failed one is not the last.
    const State = Annotation.Root({ n: Annotation<number>() });
    const graph = (saver: SqliteSaver) =>
      new StateGraph(State)
        .addNode("a", (s) => ({ n: s.n + 1 }))
        .addNode("b", async (s) => {
          await new Promise<void>((resolve) => setImmediate(resolve));
          return { n: s.n + 1 };
        })
        .addEdge(START, "a")
        .addEdge("a", "b")
        .addConditionalEdges("b", (s) => (s.n >= 100 ? END : "a"))
        .compile({ checkpointer: saver });
    const saver = new CountingSaver(":memory:");
    saver.failWhenStep = 42;
    await assert.rejects(graph(saver).invoke({ n: 0 }, { configurable: { thread_id: "gap" }, recursionLimit: 200 }), /disk full at step 42/);
    assert.ok(saver.batches.length > 3, `the steps were committed in several transactions (batches ${saver.batches.join(", ")})`);
    saver.failWhenStep = null;
    const steps: number[] = [];
    for await (const snapshot of graph(saver).getStateHistory({ configurable: { thread_id: "gap" } })) steps.push(snapshot.metadata!.step as number);
    assert.ok(steps.length > 0 && Math.max(...steps) < 42, `no checkpoint after the failed one is stored (steps ${steps.join(", ")})`);
    await saver.close();
  });

  it("calls put when a subclass overrides it (no queued shortcut past the override)", async () => {
    class Overriding extends SqliteSaver {
      puts = 0;
      override async put(...args: Parameters<SqliteSaver["put"]>) {
        this.puts++;
        return super.put(...args);
      }
    }
    const saver = new Overriding(":memory:");
    assert.equal(saver.queuedWrites(), null);
    assert.equal((await loop(saver, 10).invoke({ n: 0 }, { configurable: { thread_id: "o" }, recursionLimit: 50 })).n, 10);
    assert.equal(saver.puts, 12);
    await saver.close();
  });
});
