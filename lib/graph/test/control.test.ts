// Retries, cancellation and bounded stream memory.
import assert from "node:assert/strict";
import { getEventListeners } from "node:events";
import { setImmediate as nextTurn } from "node:timers/promises";
import { describe, it } from "node:test";
import { Annotation, END, START, StateGraph, type NodeConfig } from "../index";
import { defaultRetryOn, retryDelay } from "../retry";

const State = Annotation.Root({ n: Annotation<number>({ reducer: (a, b) => a + b, default: () => 0 }), log: Annotation<string>() });
const quick = { initialInterval: 1, jitter: false, logWarning: false } as const;

function statusError(status: number): Error {
  return Object.assign(new Error(`HTTP ${status}`), { status });
}

describe("retry policy", () => {
  it("retries a failing node until it succeeds, within maxAttempts", async () => {
    let attempts = 0;
    const graph = new StateGraph(State)
      .addNode("flaky", () => {
        attempts++;
        if (attempts < 3) throw statusError(503);
        return { n: 1 };
      }, { retryPolicy: { ...quick, maxAttempts: 3 } })
      .addEdge(START, "flaky")
      .compile();
    const updates = [];
    for await (const u of await graph.stream({}, { streamMode: "updates" })) updates.push(u);
    assert.deepEqual(updates, [{ flaky: { n: 1 } }], "failed attempts stream nothing");
    assert.equal(attempts, 3);
  });

  it("gives up after maxAttempts with the last error", async () => {
    let attempts = 0;
    const graph = new StateGraph(State)
      .addNode("down", () => {
        attempts++;
        throw statusError(500);
      }, { retryPolicy: { ...quick, maxAttempts: 2 } })
      .addEdge(START, "down")
      .compile();
    await assert.rejects(graph.invoke({}), /HTTP 500/);
    assert.equal(attempts, 2);
  });

  it("does not retry 4xx errors (but 408/429), aborts, or without a policy", async () => {
    for (const [status, expected] of [[400, 1], [401, 1], [404, 1], [409, 1], [429, 3], [408, 3], [500, 3]] as const) {
      let attempts = 0;
      const graph = new StateGraph(State)
        .addNode("failing", () => {
          attempts++;
          throw statusError(status);
        }, { retryPolicy: { ...quick, maxAttempts: 3 } })
        .addEdge(START, "failing")
        .compile();
      await assert.rejects(graph.invoke({}));
      assert.equal(attempts, expected, `status ${status}`);
    }
    const abort = Object.assign(new Error("stop"), { name: "AbortError" });
    assert.equal(defaultRetryOn(abort), false);
    assert.equal(defaultRetryOn(new Error("Cancelled by user")), false);
    assert.equal(defaultRetryOn(Object.assign(new Error("quota"), { error: { code: "insufficient_quota" } })), false);
    assert.equal(defaultRetryOn(Object.assign(new Error("x"), { response: { status: 403 } })), false);
    let attempts = 0;
    const plain = new StateGraph(State)
      .addNode("failing", () => {
        attempts++;
        throw statusError(503);
      })
      .addEdge(START, "failing")
      .compile();
    await assert.rejects(plain.invoke({}));
    assert.equal(attempts, 1);
  });

  it("uses a custom retryOn", async () => {
    let attempts = 0;
    const graph = new StateGraph(State)
      .addNode("failing", () => {
        attempts++;
        throw new Error(attempts === 1 ? "retry me" : "final");
      }, { retryPolicy: { ...quick, retryOn: (e) => (e as Error).message === "retry me" } })
      .addEdge(START, "failing")
      .compile();
    await assert.rejects(graph.invoke({}), /final/);
    assert.equal(attempts, 2);
  });

  it("backs off exponentially up to maxInterval, with jitter of up to one second", () => {
    const policy = { initialInterval: 100, backoffFactor: 3, maxInterval: 1000, jitter: false };
    assert.deepEqual([1, 2, 3, 4].map((a) => retryDelay(policy, a)), [100, 300, 900, 1000]);
    const jittered = retryDelay({ initialInterval: 100 }, 1);
    assert.ok(jittered >= 100 && jittered < 1100);
    assert.equal(retryDelay({ jitter: false }, 1), 500);
  });
});

describe("cancellation", () => {
  it("aborts the run promptly when the caller's signal aborts, and the node sees config.signal", async () => {
    let nodeSignal: AbortSignal | undefined;
    let nodeStarted!: () => void;
    const started = new Promise<void>((r) => (nodeStarted = r));
    const graph = new StateGraph(State)
      .addNode("slow", (_s, config: NodeConfig) => {
        nodeSignal = config.signal;
        nodeStarted();
        return new Promise(() => {}); // never settles on its own
      })
      .addEdge(START, "slow")
      .compile();
    const controller = new AbortController();
    const run = (async () => {
      for await (const _ of await graph.stream({}, { signal: controller.signal }));
    })();
    await started;
    controller.abort();
    await assert.rejects(run, (e: Error) => e.name === "AbortError");
    assert.equal(nodeSignal?.aborted, true);
  });

  it("uses the signal's reason as the error when it is one", async () => {
    const graph = new StateGraph(State).addNode("a", () => ({ n: 1 })).addEdge(START, "a").compile();
    const reason = new Error("user left");
    await assert.rejects(graph.invoke({}, { signal: AbortSignal.abort(reason) }), (e) => e === reason);
  });

  it("stops the run when the consumer stops reading", async () => {
    let steps = 0;
    let signal: AbortSignal | undefined;
    const graph = new StateGraph(State)
      .addNode("tick", async (_s, config: NodeConfig) => {
        steps++;
        signal = config.signal;
        await nextTurn();
        return { n: 1 };
      })
      .addEdge(START, "tick")
      .addConditionalEdges("tick", () => "tick")
      .compile();
    for await (const _ of await graph.stream({}, { recursionLimit: 1000 })) break;
    const after = steps;
    for (let i = 0; i < 20; i++) await nextTurn();
    assert.equal(signal?.aborted, true);
    assert.ok(steps <= after + 1, `the run kept going: ${after} -> ${steps}`);
  });

  it("leaves no abort listener behind when an asynchronous subgraph finishes (it shares the run's signal)", async () => {
    const counts: number[] = [];
    const child = new StateGraph(State)
      .addNode("inner", async (_s, config: NodeConfig) => {
        counts.push(getEventListeners(config.signal!, "abort").length);
        return { n: 1 };
      })
      .addEdge(START, "inner")
      .compile();
    const graph = new StateGraph(State)
      .addNode("sub", child)
      .addEdge(START, "sub")
      .addConditionalEdges("sub", () => (counts.length >= 30 ? END : "sub"))
      .compile();
    await graph.invoke({}, { recursionLimit: 100 });
    assert.equal(counts.length, 30);
    // (The first call runs before the parent graph awaits its step, so before the parent's own listener exists.)
    assert.equal(counts.at(-1), counts[1], `listeners on the run's signal grew: ${counts[1]} -> ${counts.at(-1)}`);
  });
});

describe("streamSync cancellation", () => {
  it("stops between steps when the consumer leaves the loop, and aborts the nodes' signal", () => {
    let steps = 0;
    let signal: AbortSignal | undefined;
    const graph = new StateGraph(State)
      .addNode("tick", (_s, config: NodeConfig) => {
        steps++;
        signal = config.signal;
        return { n: 1 };
      })
      .addEdge(START, "tick")
      .addConditionalEdges("tick", () => "tick")
      .compile();
    for (const _ of graph.streamSync({}, { recursionLimit: 1000 })) if (steps === 3) break;
    assert.equal(steps, 3);
    assert.equal(signal?.aborted, true);
  });
});

describe("bounded stream memory", () => {
  it("does not start a superstep while more than maxBufferedChunks chunks are unread", async () => {
    let ran = 0;
    const graph = new StateGraph(State)
      .addNode("tick", () => (ran++, { n: 1 }))
      .addEdge(START, "tick")
      .addConditionalEdges("tick", (s) => (s.n >= 200 ? END : "tick"))
      .compile();
    const bound = 8;
    const stream = await graph.stream({}, { streamMode: "updates", maxBufferedChunks: bound, recursionLimit: 1000 });
    let read = 0;
    let maxAhead = 0;
    for await (const _ of stream) {
      read++;
      maxAhead = Math.max(maxAhead, ran - read);
      assert.ok(stream.bufferedCount <= bound + 1, `buffered ${stream.bufferedCount} > ${bound} + one step`);
      await nextTurn(); // a slow consumer
    }
    assert.equal(read, 200);
    assert.ok(stream.peakBuffered <= bound + 1, `peak ${stream.peakBuffered}`);
    assert.ok(maxAhead <= bound + 1, `the run got ${maxAhead} steps ahead of its consumer`);
  });

  it("counts a step's chunks together: a wide step may exceed the bound, the next one waits", async () => {
    const Wide = Annotation.Root({ items: Annotation<number[]>({ reducer: (a, b) => a.concat(b), default: () => [] }) });
    let second = 0;
    const graph = new StateGraph(Wide)
      .addNode("w1", () => ({ items: [1] }))
      .addNode("w2", () => ({ items: [2] }))
      .addNode("w3", () => ({ items: [3] }))
      .addNode("next", () => (second++, {}))
      .addEdge(START, "w1")
      .addEdge(START, "w2")
      .addEdge(START, "w3")
      .addEdge(["w1", "w2", "w3"], "next")
      .compile();
    const stream = await graph.stream({}, { streamMode: "updates", maxBufferedChunks: 1 });
    await nextTurn();
    assert.equal(stream.bufferedCount, 3, "the first step's three updates");
    assert.equal(second, 0, "the second step waits for the consumer");
    const all = [];
    for await (const c of stream) all.push(c);
    assert.equal(all.length, 4);
    assert.equal(second, 1);
  });
});
