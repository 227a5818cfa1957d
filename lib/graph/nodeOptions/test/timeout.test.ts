// Per-node `timeout` (and a Send's own): NodeTimeoutError, the node's signal, retries, idle timeouts.
import assert from "node:assert/strict";
import { setTimeout as wait } from "node:timers/promises";
import { describe, it } from "node:test";
import { Annotation, END, NodeTimeoutError, START, Send, StateGraph, coerceTimeoutPolicy, isNodeTimeoutError, type NodeConfig } from "../../index";

const State = Annotation.Root({ x: Annotation<number>() });

/** Settles only when `signal` aborts: a node that would run forever without its timeout. */
function untilAborted(signal: AbortSignal | undefined): Promise<never> {
  return new Promise((_, reject) => signal?.addEventListener("abort", () => reject(new Error("aborted")), { once: true }));
}

function busyWait(ms: number): void {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    // blocks the event loop, as a CPU-bound node does
  }
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  assert.fail("expected the run to reject");
}

describe("node timeout", () => {
  it("fails the run with NodeTimeoutError naming the node, and aborts the node's signal", async () => {
    let sawAbort = false;
    const graph = new StateGraph(State)
      .addNode(
        "slow",
        async (state, config: NodeConfig) => {
          try {
            await untilAborted(config.signal);
          } finally {
            sawAbort = config.signal?.aborted === true;
          }
          return { x: state.x + 1 };
        },
        { timeout: 30 },
      )
      .addEdge(START, "slow")
      .addEdge("slow", END)
      .compile();
    const error = await rejection(graph.invoke({ x: 1 }));
    assert.ok(isNodeTimeoutError(error));
    assert.ok(error instanceof NodeTimeoutError);
    assert.equal(error.node, "slow");
    assert.equal(error.kind, "run");
    assert.equal(error.runTimeout, 30);
    assert.match(error.message, /Node "slow" exceeded its run timeout of 30ms/);
    assert.equal(sawAbort, true);
  });

  it("lets a node that finishes in time complete", async () => {
    const graph = new StateGraph(State)
      .addNode("fast", async (state) => ({ x: state.x + 1 }), { timeout: 10_000 })
      .addEdge(START, "fast")
      .compile();
    assert.deepEqual(await graph.invoke({ x: 1 }), { x: 2 });
  });

  it("retries a timed-out attempt under the node's retry policy, with a fresh timer and signal", async () => {
    let attempts = 0;
    const graph = new StateGraph(State)
      .addNode(
        "flaky",
        async (state, config: NodeConfig) => {
          attempts++;
          if (attempts === 1) await untilAborted(config.signal);
          assert.equal(config.signal?.aborted, false);
          return { x: state.x + 1 };
        },
        { timeout: 30, retryPolicy: { maxAttempts: 3, initialInterval: 1, jitter: false, logWarning: false } },
      )
      .addEdge(START, "flaky")
      .compile();
    assert.deepEqual(await graph.invoke({ x: 0 }), { x: 1 });
    assert.equal(attempts, 2);
  });

  it("fails a synchronous node that blocked past its run timeout, dropping its update", async () => {
    const graph = new StateGraph(State)
      .addNode("cpu", () => {
        busyWait(60);
        return { x: 99 };
      }, { timeout: 20 })
      .addEdge(START, "cpu")
      .compile();
    const error = await rejection(graph.invoke({ x: 1 }));
    assert.ok(isNodeTimeoutError(error));
    assert.equal(error.kind, "run");
  });

  it("idle timeout: heartbeats keep a node alive; without them it times out as idle", async () => {
    const beating = async (state: { x: number }, config: NodeConfig) => {
      for (let i = 0; i < 8; i++) {
        await wait(20);
        config.heartbeat?.();
      }
      return { x: state.x + 1 };
    };
    const alive = new StateGraph(State).addNode("beat", beating, { timeout: { idleTimeout: 120 } }).addEdge(START, "beat").compile();
    assert.deepEqual(await alive.invoke({ x: 0 }), { x: 1 });

    const silent = new StateGraph(State)
      .addNode("quiet", async (_state, config: NodeConfig) => untilAborted(config.signal), { timeout: { idleTimeout: 30 } })
      .addEdge(START, "quiet")
      .compile();
    const error = await rejection(silent.invoke({ x: 0 }));
    assert.ok(isNodeTimeoutError(error));
    assert.equal(error.kind, "idle");
    assert.equal(error.idleTimeout, 30);
  });

  it("refreshOn 'heartbeat': custom writes do not count as progress", async () => {
    const graph = new StateGraph(State)
      .addNode(
        "writer",
        async (state, config: NodeConfig) => {
          for (let i = 0; i < 8; i++) {
            await wait(15);
            config.writer({ i });
          }
          return { x: state.x + 1 };
        },
        { timeout: { idleTimeout: 50, refreshOn: "heartbeat" } },
      )
      .addEdge(START, "writer")
      .compile();
    const error = await rejection(graph.invoke({ x: 0 }));
    assert.ok(isNodeTimeoutError(error));
    assert.equal(error.kind, "idle");
  });

  it("a Send's timeout replaces the node's for that task", async () => {
    const graph = new StateGraph(State)
      .addNode("slow", async (_state, config: NodeConfig) => untilAborted(config.signal), { timeout: { idleTimeout: 60_000 } })
      .addConditionalEdges(START, (state) => [new Send("slow", state, { timeout: { idleTimeout: 30 } })], ["slow"])
      .compile();
    const error = await rejection(graph.invoke({ x: 1 }));
    assert.ok(isNodeTimeoutError(error));
    assert.equal(error.kind, "idle");
    assert.equal(error.idleTimeout, 30);
  });

  it("rejects bad timeouts at addNode, naming the node", () => {
    assert.throws(() => new StateGraph(State).addNode("a", () => ({}), { timeout: 0 }), /Node "a": timeout must be greater than 0/);
    assert.throws(() => new StateGraph(State).addNode("a", () => ({}), { timeout: { idleTimeout: -1 } }), /Node "a": idleTimeout must be greater than 0/);
    assert.throws(() => new StateGraph(State).addNode("a", () => ({}), { timeout: { runTimeout: 1, refreshOn: "nope" as never } }), /refreshOn must be "auto" or "heartbeat"/);
    assert.deepEqual(coerceTimeoutPolicy(1500), { runTimeout: 1500, idleTimeout: undefined, refreshOn: "auto" });
    assert.equal(coerceTimeoutPolicy({}), undefined);
  });

  it("NodeTimeoutError needs the timeout of the kind that fired", () => {
    assert.throws(() => new NodeTimeoutError({ node: "n", elapsed: 1, kind: "run" }), /runTimeout is required/);
    assert.throws(() => new NodeTimeoutError({ node: "n", elapsed: 1, kind: "idle" }), /idleTimeout is required/);
    const error = new NodeTimeoutError({ node: "n", elapsed: 12, kind: "idle", idleTimeout: 50, runTimeout: 100 });
    assert.equal(error.timeout, 50);
    assert.equal(error.name, "NodeTimeoutError");
  });
});
