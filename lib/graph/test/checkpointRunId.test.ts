// RunConfig.checkpointRunId (and metadata.run_id): each checkpoint a run saves names it as `run_id`, and
// a run restarted with its input continues from the thread's latest checkpoint when that run saved it
// (LangGraph.js's runIdMatchesPrevious), and starts from the input otherwise. What a server needs to
// continue a run that stopped (its process died) whether or not it had saved a checkpoint yet.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Annotation, END, MemorySaver, START, StateGraph } from "../index";

const State = Annotation.Root({
  total: Annotation<number>(),
  n: Annotation<number>({ reducer: (_a, b) => b, default: () => 0 }),
});

/** Counts to `total`, one superstep a step; stops (throws) in step `failAt` once, like a process dying there. */
function counter(failAt: number | null) {
  let failed = false;
  const steps: number[] = [];
  const graph = new StateGraph(State)
    .addNode("step", (state) => {
      const step = state.n + 1;
      steps.push(step);
      if (step === failAt && !failed) {
        failed = true;
        throw new Error("stopped");
      }
      return { n: step };
    })
    .addEdge(START, "step")
    .addConditionalEdges("step", (state) => (state.n < state.total ? "step" : END))
    .compile({ checkpointer: new MemorySaver() });
  return { graph, steps };
}

/** How many of the thread's checkpoints are input checkpoints (one per time an input was applied). */
async function inputCheckpoints(graph: ReturnType<typeof counter>["graph"], threadId: string): Promise<number> {
  let count = 0;
  for await (const snapshot of graph.getStateHistory({ configurable: { thread_id: threadId } })) if (snapshot.metadata?.source === "input") count++;
  return count;
}

describe("checkpointRunId", () => {
  it("writes run_id into every checkpoint's metadata", async () => {
    const { graph } = counter(null);
    const config = { configurable: { thread_id: "t" }, checkpointRunId: "run-1" };
    await graph.invoke({ total: 2 }, config);
    const history = [];
    for await (const snapshot of graph.getStateHistory({ configurable: { thread_id: "t" } })) history.push(snapshot);
    assert.ok(history.length >= 3);
    assert.ok(history.every((snapshot) => snapshot.metadata?.run_id === "run-1"), "each checkpoint names its run");
  });

  it("the same run restarted with its input continues from its own checkpoint", async () => {
    const { graph, steps } = counter(3);
    const config = { configurable: { thread_id: "t" }, checkpointRunId: "run-1" };
    await assert.rejects(graph.invoke({ total: 5 }, config), /stopped/);
    const state = await graph.invoke({ total: 5 }, config);
    assert.equal(state.n, 5);
    assert.deepEqual(steps, [1, 2, 3, 3, 4, 5], "step 3 ran again, nothing before it");
    assert.equal(await inputCheckpoints(graph, "t"), 1, "continued: no second input checkpoint");
  });

  it("a run whose input checkpoint was never saved starts from its input", async () => {
    const { graph, steps } = counter(null);
    // The thread's latest checkpoint is an earlier run's: this run has saved none.
    await graph.invoke({ total: 2 }, { configurable: { thread_id: "t" }, checkpointRunId: "run-1" });
    const state = await graph.invoke({ total: 4 }, { configurable: { thread_id: "t" }, checkpointRunId: "run-2" });
    assert.equal(state.n, 4);
    assert.deepEqual(steps, [1, 2, 3, 4], "run-2 applied its input on top of run-1's state");
  });

  it("a fork (checkpoint_id) restarted with its run id goes on from its own latest checkpoint, not from the fork point", async () => {
    const { graph, steps } = counter(3);
    await graph.invoke({ total: 2 }, { configurable: { thread_id: "t" }, checkpointRunId: "run-1" });
    let forkAt: string | undefined;
    for await (const snapshot of graph.getStateHistory({ configurable: { thread_id: "t" } })) {
      if (snapshot.values.n === 1 && snapshot.next.includes("step")) forkAt = snapshot.config.configurable!.checkpoint_id as string;
    }
    assert.ok(forkAt, "run-1's checkpoint after its step 1");
    // From n = 1 the fork counts 2, 3, 4; it stops in step 3, its step 2 saved.
    const fork = { configurable: { thread_id: "t", checkpoint_id: forkAt }, checkpointRunId: "run-2" };
    await assert.rejects(graph.invoke({ total: 4 }, fork), /stopped/);
    const state = await graph.invoke({ total: 4 }, fork);
    assert.equal(state.n, 4);
    assert.deepEqual(steps, [1, 2, 2, 3, 3, 4], "step 3 ran again, nothing before it");
  });

  it("a fork restarted with metadata.run_id forks again (LangGraph.js's rule: the checkpoint asked for is loaded)", async () => {
    const { graph, steps } = counter(3);
    await graph.invoke({ total: 2 }, { configurable: { thread_id: "t" } });
    let forkAt: string | undefined;
    for await (const snapshot of graph.getStateHistory({ configurable: { thread_id: "t" } })) {
      if (snapshot.values.n === 1 && snapshot.next.includes("step")) forkAt = snapshot.config.configurable!.checkpoint_id as string;
    }
    const fork = { configurable: { thread_id: "t", checkpoint_id: forkAt }, metadata: { run_id: "run-2" } };
    await assert.rejects(graph.invoke({ total: 4 }, fork), /stopped/);
    assert.equal((await graph.invoke({ total: 4 }, fork)).n, 4);
    assert.deepEqual(steps, [1, 2, 2, 3, 2, 3, 4]);
  });

  it("metadata.run_id names the run too (LangGraph.js's key)", async () => {
    const { graph, steps } = counter(2);
    const config = { configurable: { thread_id: "t" }, metadata: { run_id: "run-1" } };
    await assert.rejects(graph.invoke({ total: 3 }, config), /stopped/);
    assert.equal((await graph.invoke({ total: 3 }, config)).n, 3);
    assert.deepEqual(steps, [1, 2, 2, 3]);
    assert.equal(await inputCheckpoints(graph, "t"), 1, "continued: no second input checkpoint");
  });

  it("without a run id, an input always starts over", async () => {
    const { graph, steps } = counter(2);
    const config = { configurable: { thread_id: "t" } };
    await assert.rejects(graph.invoke({ total: 3 }, config), /stopped/);
    const state = await graph.invoke({ total: 3 }, config);
    assert.equal(state.n, 3);
    assert.deepEqual(steps, [1, 2, 2, 3]);
    assert.equal(await inputCheckpoints(graph, "t"), 2, "started over: the input was applied again");
    const latest = await graph.getState({ configurable: { thread_id: "t" } });
    assert.equal(latest.metadata?.run_id, undefined);
  });
});
