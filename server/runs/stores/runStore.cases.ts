// The behaviour every RunStore implementation must have. Each implementation's test file calls
// `runStoreCases(name, factory)`; a new store is done when these pass against it.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { RunMetadata } from "../runEvent";
import {
  EventsEvictedError,
  RunExistsError,
  RunNotFoundError,
  StoreFullError,
  type RunStore,
  type RunStoreLimits,
} from "../runStore";

export type RunStoreFactory = (limits: RunStoreLimits) => RunStore;

/** Reads as plain { seq, json } (stores may return their own StoredEvent objects). */
function plain(events: Array<{ seq: number; json: string }>): Array<{ seq: number; json: string }> {
  return events.map(({ seq, json }) => ({ seq, json }));
}

const roomy: RunStoreLimits = {
  maxEventsPerRun: 1000,
  maxBytesPerRun: 1_000_000,
  maxRuns: 100,
  maxTotalBytes: 10_000_000,
  maxAgeMs: 60_000,
};

function metadata(runId: string, graphId = "joke"): RunMetadata {
  return { run_id: runId, graph_id: graphId, stream_mode: ["updates"], created_at: new Date(0).toISOString() };
}

function event(i: number): string {
  return JSON.stringify(["custom", { i }]);
}

/**
 * What a store counts for a run with no events, and for one more event like event(1): stores count
 * bytes their own way (at least the JSON's length; the memory store adds measured overheads).
 */
function unitsOf(makeStore: RunStoreFactory): { run: number; event: number } {
  const store = makeStore(roomy);
  store.create(metadata("run-u-0001"), {});
  const run = store.stats().bytes;
  store.append("run-u-0001", event(1));
  return { run, event: store.get("run-u-0001")!.bytes };
}

export function runStoreCases(name: string, makeStore: RunStoreFactory): void {
  describe(`RunStore contract: ${name}`, () => {
    it("creates a running run with an empty log", () => {
      const store = makeStore(roomy);
      const record = store.create(metadata("run-a-0001"), { topic: "x" });
      assert.equal(record.status, "running");
      assert.deepEqual(record.input, { topic: "x" });
      assert.equal(record.lastSeq, 0);
      assert.equal(record.firstSeq, 1);
      assert.deepEqual(store.read("run-a-0001", 0, 10), []);
      assert.equal(store.get("run-a-0001")?.metadata.graph_id, "joke");
    });

    it("refuses a second run with the same id", () => {
      const store = makeStore(roomy);
      store.create(metadata("run-a-0001"), {});
      assert.throws(() => store.create(metadata("run-a-0001"), {}), RunExistsError);
    });

    it("numbers events from 1 and reads them back in order from any point", () => {
      const store = makeStore(roomy);
      store.create(metadata("run-a-0001"), {});
      for (let i = 1; i <= 5; i++) assert.equal(store.append("run-a-0001", event(i)), i);
      assert.deepEqual(
        store.read("run-a-0001", 0, 100).map((e) => e.seq),
        [1, 2, 3, 4, 5],
      );
      assert.deepEqual(plain(store.read("run-a-0001", 2, 2)), [
        { seq: 3, json: event(3) },
        { seq: 4, json: event(4) },
      ]);
      assert.deepEqual(store.read("run-a-0001", 5, 10), []);
      assert.equal(store.get("run-a-0001")?.lastSeq, 5);
      assert.ok(store.get("run-a-0001")!.bytes >= [1, 2, 3, 4, 5].reduce((n, i) => n + event(i).length, 0), "bytes count at least the JSON");
    });

    it("keeps runs apart", () => {
      const store = makeStore(roomy);
      store.create(metadata("run-a-0001"), {});
      store.create(metadata("run-b-0001"), {});
      store.append("run-a-0001", event(1));
      store.append("run-b-0001", event(2));
      store.append("run-a-0001", event(3));
      assert.deepEqual(store.read("run-a-0001", 0, 10).map((e) => e.json), [event(1), event(3)]);
      assert.deepEqual(store.read("run-b-0001", 0, 10).map((e) => e.json), [event(2)]);
    });

    it("throws RunNotFoundError for unknown runs", () => {
      const store = makeStore(roomy);
      assert.throws(() => store.read("nope-0001", 0, 1), RunNotFoundError);
      assert.throws(() => store.append("nope-0001", event(1)), RunNotFoundError);
      assert.equal(store.get("nope-0001"), undefined);
    });

    it("evicts a run's oldest events past the per-run count limit, and says so to readers", () => {
      const store = makeStore({ ...roomy, maxEventsPerRun: 3 });
      store.create(metadata("run-a-0001"), {});
      for (let i = 1; i <= 10; i++) store.append("run-a-0001", event(i));
      const record = store.get("run-a-0001")!;
      assert.equal(record.firstSeq, 8);
      assert.equal(record.lastSeq, 10);
      assert.deepEqual(store.read("run-a-0001", 7, 10).map((e) => e.seq), [8, 9, 10]);
      assert.throws(
        () => store.read("run-a-0001", 0, 10),
        (error: unknown) =>
          error instanceof EventsEvictedError &&
          error.requestedSeq === 1 &&
          error.firstSeq === 8 &&
          /events 1\.\.7 were evicted/.test(error.message),
      );
      assert.throws(() => store.read("run-a-0001", 6, 10), EventsEvictedError);
    });

    it("evicts past the per-run byte limit but always keeps the newest event", () => {
      const size = unitsOf(makeStore).event;
      const store = makeStore({ ...roomy, maxBytesPerRun: size * 2 });
      store.create(metadata("run-a-0001"), {});
      for (let i = 1; i <= 6; i++) store.append("run-a-0001", event(i));
      assert.deepEqual(store.read("run-a-0001", 4, 10).map((e) => e.seq), [5, 6]);
      assert.ok(store.get("run-a-0001")!.bytes <= size * 2);
      const huge = JSON.stringify(["custom", "x".repeat(size * 10)]);
      store.append("run-a-0001", huge);
      assert.deepEqual(plain(store.read("run-a-0001", 6, 10)), [{ seq: 7, json: huge }]);
    });

    it("stays correct across many evictions (head compaction)", () => {
      const store = makeStore({ ...roomy, maxEventsPerRun: 10 });
      store.create(metadata("run-a-0001"), {});
      for (let i = 1; i <= 5000; i++) store.append("run-a-0001", event(i));
      assert.deepEqual(
        store.read("run-a-0001", 4990, 100).map((e) => e.json),
        Array.from({ length: 10 }, (_, k) => event(4991 + k)),
      );
      assert.equal(store.stats().events, 10);
    });

    it("records status changes; terminal ones set endedAt and clear interrupts", () => {
      const store = makeStore(roomy);
      store.create(metadata("run-a-0001"), {});
      const interrupts = [{ id: "i1", value: { question: "ok?" } }];
      assert.deepEqual(store.setStatus("run-a-0001", { status: "interrupted", interrupts }, 10).interrupts, interrupts);
      assert.equal(store.get("run-a-0001")?.endedAt, undefined);
      store.setStatus("run-a-0001", { status: "running" }, 20);
      assert.equal(store.get("run-a-0001")?.interrupts, undefined);
      const ended = store.setStatus("run-a-0001", { status: "error", error: { name: "Error", message: "boom" } }, 30);
      assert.equal(ended.endedAt, 30);
      assert.deepEqual(ended.error, { name: "Error", message: "boom" });
      assert.equal(store.stats().activeRuns, 0);
    });

    it("lists newest first, filtered by status and graph", () => {
      const store = makeStore(roomy);
      store.create(metadata("run-a-0001", "joke"), {});
      store.create(metadata("run-b-0001", "loop"), {});
      store.create(metadata("run-c-0001", "joke"), {});
      store.setStatus("run-a-0001", { status: "done" });
      assert.deepEqual(store.list().map((r) => r.metadata.run_id), ["run-c-0001", "run-b-0001", "run-a-0001"]);
      assert.deepEqual(store.list({ graphId: "joke" }).map((r) => r.metadata.run_id), ["run-c-0001", "run-a-0001"]);
      assert.deepEqual(store.list({ status: "running" }).map((r) => r.metadata.run_id), ["run-c-0001", "run-b-0001"]);
      assert.deepEqual(store.list({ limit: 1 }).map((r) => r.metadata.run_id), ["run-c-0001"]);
    });

    it("records who owns a run and lists one owner's runs, the limit counting only theirs", () => {
      const store = makeStore(roomy);
      store.create(metadata("run-a-0001"), {}, "alice");
      store.create(metadata("run-b-0001"), {}, "bob");
      store.create(metadata("run-c-0001"), {}, "alice");
      store.create(metadata("run-d-0001"), {});
      assert.equal(store.get("run-b-0001")?.owner, "bob");
      assert.equal(store.get("run-d-0001")?.owner, undefined);
      assert.deepEqual(store.list({ owner: "alice" }).map((r) => r.metadata.run_id), ["run-c-0001", "run-a-0001"]);
      assert.deepEqual(store.list({ owner: "alice", limit: 1 }).map((r) => r.metadata.run_id), ["run-c-0001"]);
      assert.deepEqual(store.list({ owner: "bob" }).map((r) => r.metadata.run_id), ["run-b-0001"]);
      assert.deepEqual(store.list({ owner: "carol" }), []);
    });

    it("drops the oldest finished run to stay within the run count, never an active one", () => {
      const store = makeStore({ ...roomy, maxRuns: 2 });
      store.create(metadata("run-a-0001"), {});
      store.create(metadata("run-b-0001"), {});
      assert.throws(() => store.create(metadata("run-c-0001"), {}), StoreFullError);
      store.setStatus("run-b-0001", { status: "done" });
      store.create(metadata("run-c-0001"), {});
      assert.equal(store.get("run-b-0001"), undefined);
      assert.ok(store.get("run-a-0001"));
      assert.ok(store.get("run-c-0001"));
    });

    it("drops finished runs older than maxAgeMs on sweep", () => {
      const store = makeStore({ ...roomy, maxAgeMs: 1000 });
      store.create(metadata("run-a-0001"), {});
      store.create(metadata("run-b-0001"), {});
      store.create(metadata("run-c-0001"), {});
      const now = Date.now();
      store.setStatus("run-a-0001", { status: "done" }, now - 5000);
      store.setStatus("run-b-0001", { status: "cancelled" }, now);
      assert.deepEqual(store.sweep(now), ["run-a-0001"]);
      assert.ok(store.get("run-b-0001"));
      assert.ok(store.get("run-c-0001"), "active runs are never swept");
      assert.deepEqual(store.sweep(now + 2000), ["run-b-0001"]);
    });

    it("holds the total byte budget: finished runs first, then the growing run's oldest events", () => {
      const units = unitsOf(makeStore);
      const size = units.event;
      const store = makeStore({ ...roomy, maxTotalBytes: units.run + size * 10 });
      store.create(metadata("run-a-0001"), {});
      for (let i = 1; i <= 6; i++) store.append("run-a-0001", event(i));
      store.setStatus("run-a-0001", { status: "done" });
      store.create(metadata("run-b-0001"), {});
      for (let i = 1; i <= 6; i++) store.append("run-b-0001", event(i));
      assert.equal(store.get("run-a-0001"), undefined, "the finished run made room");
      for (let i = 7; i <= 20; i++) store.append("run-b-0001", event(i));
      assert.ok(store.stats().bytes <= units.run + size * 10 + 10);
      assert.equal(store.get("run-b-0001")!.lastSeq, 20);
      assert.throws(() => store.read("run-b-0001", 0, 100), EventsEvictedError);
    });

    it("counts what it holds", () => {
      const store = makeStore(roomy);
      store.create(metadata("run-a-0001"), {});
      store.append("run-a-0001", event(1));
      store.append("run-a-0001", event(2));
      const stats = store.stats();
      assert.deepEqual({ ...stats, bytes: 0 }, { runs: 1, activeRuns: 1, events: 2, bytes: 0 });
      assert.ok(stats.bytes >= event(1).length + event(2).length, "bytes count at least the JSON");
    });
  });
}
