// A shutdown with a durable run store resolves only once the runs' engines have stopped: an aborted
// engine first waits for its checkpoint writes to reach the saver, and a deployment hands the runs to
// another process as soon as the shutdown resolved (rillServer.close), which continues them from their
// last checkpoint; one still being committed would be missed (the other process redoes a step).
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, it } from "node:test";
import { z } from "zod";
import type { StreamPart } from "../../lib/graph/types";
import type { GraphSource, RunnableGraph } from "./graphSource";
import { RunManager } from "./runManager";
import { openSqliteRunStore } from "./stores/sqlite/sqliteRunStore";

const limits = { maxEventsPerRun: 1000, maxBytesPerRun: 1e9, maxRuns: 100, maxTotalBytes: 1e12, maxAgeMs: 60_000 };
const dir = mkdtempSync(path.join(tmpdir(), "rill-shutdown-order-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Resolves when `resolve` is called; for the test to say when the saver's commit completes. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

it("resolves a shutdown (durable store) only after the aborted engines wrote their checkpoints", async () => {
  const order: string[] = [];
  const commit = deferred();
  const flushAsked = deferred();
  // An engine that streams one step, then waits; aborted, it waits for its saver's commit before it
  // rejects, as Rill's engine does (pregel/drive.ts settleWrites).
  const graph: RunnableGraph = {
    id: "waits",
    input: z.object({}),
    graph: () => ({
      stream(_input, options) {
        async function* parts(): AsyncGenerator<StreamPart> {
          yield ["custom", { step: 1 }];
          await new Promise<void>((resolve) => options.signal.addEventListener("abort", () => resolve(), { once: true }));
          flushAsked.resolve();
          await commit.promise;
          order.push("checkpoint committed");
          throw new Error("aborted");
        }
        return parts();
      },
    }),
  };
  const store = await openSqliteRunStore(path.join(dir, "runs"), limits);
  const source: GraphSource = { get: (id) => (id === graph.id ? graph : undefined), ids: () => [graph.id] };
  const manager = new RunManager({
    store,
    graphs: source,
    limits: { maxConcurrentRuns: 10, maxRunsPerClient: 10, runTimeoutMs: 0, interruptTimeoutMs: 0, maxRecursionLimit: 10 },
    pacing: { highWaterBytes: 1 << 20, maxBufferedBytes: 8 << 20, slowTimeoutMs: 1000 },
    resumeCommand: (value) => value,
  });
  const { record } = await manager.start({ graphId: "waits", input: {}, streamMode: ["custom"] }, "client");
  const controller = new AbortController();
  for await (const { event } of await manager.follow({ runId: record.metadata.run_id, signal: controller.signal })) {
    if ((event.parse() as unknown[])[0] === "custom") break;
  }
  const stopped = Promise.resolve(manager.shutdown("the server is shutting down")).then((left) => {
    order.push("shutdown resolved");
    return left;
  });
  await flushAsked.promise;
  // The commit completes a turn of the event loop later (a shutdown not waiting for it has resolved by then).
  await new Promise((resolve) => setImmediate(resolve));
  commit.resolve();
  assert.equal(await stopped, 1, "one run left for the next process");
  assert.deepEqual(order, ["checkpoint committed", "shutdown resolved"]);
  assert.equal((await manager.get(record.metadata.run_id))?.status, "running", "left running in the store, for another process");
  manager.close();
  await store.close();
});
