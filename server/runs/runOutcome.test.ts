// The run manager reads how a run ended from the engine's outcome (lib/graph RunStream.outcome) when the
// graph reports one: it streams only the modes asked for, and an interrupt reaches the log without any
// "updates" chunk carrying __interrupt__. And it does the same over a store that answers with promises
// (a durable store), waking followers only once events are committed.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { z } from "zod";
import type { StreamMode } from "../../lib/graph/types";
import type { EngineOutcome, GraphSource, RunnableGraph } from "./graphSource";
import { RunManager } from "./runManager";
import type { RunStore } from "./runStore";
import { MemoryRunStore } from "./stores/memory/memoryRunStore";
import { openSqliteRunStore } from "./stores/sqlite/sqliteRunStore";
import { FakeResume } from "./test/fakeGraphs";

const limits = { maxEventsPerRun: 1000, maxBytesPerRun: 1e9, maxRuns: 100, maxTotalBytes: 1e12, maxAgeMs: 60_000 };
const dir = mkdtempSync(path.join(tmpdir(), "rill-outcome-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A graph that reports its outcome: asks once (interrupted), then finishes when resumed. */
function askingGraph(asked: StreamMode[][]): RunnableGraph {
  return {
    id: "asking",
    input: z.object({}),
    graph: () => ({
      reportsOutcome: true,
      stream(input, options) {
        asked.push([...options.streamMode]);
        const resumed = input instanceof FakeResume;
        const outcome: Promise<EngineOutcome> = Promise.resolve(
          resumed ? { status: "done", interrupts: [] } : { status: "interrupted", interrupts: [{ id: "i1", value: { question: "ok?" } }] },
        );
        async function* parts() {
          yield ["custom", { resumed }] as ["custom", unknown];
        }
        return Object.assign(parts(), { outcome });
      },
    }),
  };
}

function managerOn(store: RunStore, graph: RunnableGraph): RunManager {
  const source: GraphSource = { get: (id) => (id === graph.id ? graph : undefined), ids: () => [graph.id] };
  return new RunManager({
    store,
    graphs: source,
    limits: { maxConcurrentRuns: 10, maxRunsPerClient: 10, runTimeoutMs: 0, interruptTimeoutMs: 0, maxRecursionLimit: 10 },
    pacing: { highWaterBytes: 1 << 20, maxBufferedBytes: 8 << 20, slowTimeoutMs: 1000 },
    resumeCommand: (value) => new FakeResume(value),
  });
}

async function events(manager: RunManager, runId: string, until: (event: unknown[]) => boolean): Promise<unknown[][]> {
  const out: unknown[][] = [];
  const controller = new AbortController();
  for await (const { event } of await manager.follow({ runId, signal: controller.signal })) {
    const parsed = event.parse() as unknown[];
    out.push(parsed);
    if (until(parsed)) break;
  }
  return out;
}

const isStatus = (status: string) => (event: unknown[]) => event[0] === "status" && (event[1] as { status: string }).status === status;

for (const [name, open] of [
  ["memory", async () => new MemoryRunStore(limits)],
  ["sqlite", () => openSqliteRunStore(path.join(dir, "runs"), limits)],
] as const) {
  describe(`run outcome from the engine (${name} store)`, () => {
    it("streams only the modes asked for, and interrupts from the outcome", async () => {
      const asked: StreamMode[][] = [];
      const store = await open();
      const manager = managerOn(store, askingGraph(asked));
      const { record } = await manager.start({ graphId: "asking", input: {}, streamMode: ["custom"] }, "client");
      const runId = record.metadata.run_id;
      const first = await events(manager, runId, isStatus("interrupted"));
      assert.deepEqual(asked, [["custom"]], "no 'updates' forced on");
      assert.deepEqual(first.slice(1), [
        ["custom", { resumed: false }],
        ["status", { status: "interrupted", interrupts: [{ id: "i1", value: { question: "ok?" } }] }],
      ]);
      assert.equal((await manager.get(runId))?.status, "interrupted");
      await manager.resume(runId, "yes");
      const all = await events(manager, runId, isStatus("done"));
      assert.deepEqual(all.slice(3), [["status", { status: "running" }], ["custom", { resumed: true }], ["status", { status: "done" }]]);
      assert.equal((await manager.whenEnded(runId)).status, "done");
      manager.close();
      await store.close();
    });
  });
}
