// The behaviour every RunStore implementation must have. Each implementation's test file calls
// `runStoreCases(name, factory)`; a new store is done when these pass against it. Stores may answer
// with values or promises: every call here is awaited, and a throw or a rejection both count.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { RunMetadata } from "../runEvent";
import {
  EventsEvictedError,
  RunExistsError,
  RunNotFoundError,
  StoreFullError,
  type RunStatusChange,
  type RunStore,
  type RunStoreLimits,
} from "../runStore";
import type { MaybePromise } from "../maybePromise";

/** A fresh, empty store (a durable one in its own file or database); the cases close it. */
export type RunStoreFactory = (limits: RunStoreLimits) => MaybePromise<RunStore>;

/** A status change as the run manager logs it: an ["error", …] event first when it carries one, then the ["status", …] event. */
export async function appendStatus(store: RunStore, runId: string, change: RunStatusChange, now = Date.now()): Promise<void> {
  const { error, ...status } = change;
  if (error) await store.append(runId, JSON.stringify(["error", error]), now);
  await store.append(runId, JSON.stringify(["status", status]), now);
}

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
async function unitsOf(makeStore: RunStoreFactory): Promise<{ run: number; event: number }> {
  const store = await makeStore(roomy);
  await store.create(metadata("run-u-0001"), {});
  const run = store.stats().bytes;
  await store.append("run-u-0001", event(1));
  const bytes = (await store.get("run-u-0001"))!.bytes;
  await store.close();
  return { run, event: bytes };
}

export function runStoreCases(name: string, makeStore: RunStoreFactory): void {
  describe(`RunStore contract: ${name}`, () => {
    it("creates a running run with an empty log", async () => {
      const store = await makeStore(roomy);
      const record = await store.create(metadata("run-a-0001"), { topic: "x" });
      assert.equal(record.status, "running");
      assert.deepEqual(record.input, { topic: "x" });
      assert.equal(record.lastSeq, 0);
      assert.equal(record.firstSeq, 1);
      assert.deepEqual((await store.read("run-a-0001", 0, 10)), []);
      assert.equal((await store.get("run-a-0001"))?.metadata.graph_id, "joke");
    });

    it("refuses a second run with the same id", async () => {
      const store = await makeStore(roomy);
      await store.create(metadata("run-a-0001"), {});
      await assert.rejects(async () => store.create(metadata("run-a-0001"), {}), RunExistsError);
    });

    it("numbers events from 1 and reads them back in order from any point", async () => {
      const store = await makeStore(roomy);
      await store.create(metadata("run-a-0001"), {});
      for (let i = 1; i <= 5; i++) assert.equal((await store.append("run-a-0001", event(i))), i);
      assert.deepEqual(
        (await store.read("run-a-0001", 0, 100)).map((e) => e.seq),
        [1, 2, 3, 4, 5],
      );
      assert.deepEqual(plain((await store.read("run-a-0001", 2, 2))), [
        { seq: 3, json: event(3) },
        { seq: 4, json: event(4) },
      ]);
      assert.deepEqual((await store.read("run-a-0001", 5, 10)), []);
      assert.equal((await store.get("run-a-0001"))?.lastSeq, 5);
      assert.ok((await store.get("run-a-0001"))!.bytes >= [1, 2, 3, 4, 5].reduce((n, i) => n + event(i).length, 0), "bytes count at least the JSON");
    });

    it("keeps runs apart", async () => {
      const store = await makeStore(roomy);
      await store.create(metadata("run-a-0001"), {});
      await store.create(metadata("run-b-0001"), {});
      await store.append("run-a-0001", event(1));
      await store.append("run-b-0001", event(2));
      await store.append("run-a-0001", event(3));
      assert.deepEqual((await store.read("run-a-0001", 0, 10)).map((e) => e.json), [event(1), event(3)]);
      assert.deepEqual((await store.read("run-b-0001", 0, 10)).map((e) => e.json), [event(2)]);
    });

    it("throws RunNotFoundError for unknown runs", async () => {
      const store = await makeStore(roomy);
      await assert.rejects(async () => store.read("nope-0001", 0, 1), RunNotFoundError);
      await assert.rejects(async () => store.append("nope-0001", event(1)), RunNotFoundError);
      assert.equal((await store.get("nope-0001")), undefined);
    });

    it("evicts a run's oldest events past the per-run count limit, and says so to readers", async () => {
      const store = await makeStore({ ...roomy, maxEventsPerRun: 3 });
      await store.create(metadata("run-a-0001"), {});
      for (let i = 1; i <= 10; i++) await store.append("run-a-0001", event(i));
      const record = (await store.get("run-a-0001"))!;
      assert.equal(record.firstSeq, 8);
      assert.equal(record.lastSeq, 10);
      assert.deepEqual((await store.read("run-a-0001", 7, 10)).map((e) => e.seq), [8, 9, 10]);
      await assert.rejects(
        async () => store.read("run-a-0001", 0, 10),
        (error: unknown) =>
          error instanceof EventsEvictedError &&
          error.requestedSeq === 1 &&
          error.firstSeq === 8 &&
          /events 1\.\.7 were evicted/.test(error.message),
      );
      await assert.rejects(async () => store.read("run-a-0001", 6, 10), EventsEvictedError);
    });

    it("evicts past the per-run byte limit but always keeps the newest event", async () => {
      const size = (await unitsOf(makeStore)).event;
      const store = await makeStore({ ...roomy, maxBytesPerRun: size * 2 });
      await store.create(metadata("run-a-0001"), {});
      for (let i = 1; i <= 6; i++) await store.append("run-a-0001", event(i));
      assert.deepEqual((await store.read("run-a-0001", 4, 10)).map((e) => e.seq), [5, 6]);
      assert.ok((await store.get("run-a-0001"))!.bytes <= size * 2);
      const huge = JSON.stringify(["custom", "x".repeat(size * 10)]);
      await store.append("run-a-0001", huge);
      assert.deepEqual(plain((await store.read("run-a-0001", 6, 10))), [{ seq: 7, json: huge }]);
    });

    it("stays correct across many evictions (head compaction)", async () => {
      const store = await makeStore({ ...roomy, maxEventsPerRun: 10 });
      await store.create(metadata("run-a-0001"), {});
      for (let i = 1; i <= 5000; i++) await store.append("run-a-0001", event(i));
      assert.deepEqual(
        (await store.read("run-a-0001", 4990, 100)).map((e) => e.json),
        Array.from({ length: 10 }, (_, k) => event(4991 + k)),
      );
      assert.equal(store.stats().events, 10);
    });

    it("records status changes; terminal ones set endedAt and clear interrupts", async () => {
      const store = await makeStore(roomy);
      await store.create(metadata("run-a-0001"), {});
      const interrupts = [{ id: "i1", value: { question: "ok?" } }];
      await appendStatus(store, "run-a-0001", { status: "interrupted", interrupts }, 10);
      assert.deepEqual((await store.get("run-a-0001"))?.interrupts, interrupts);
      assert.equal((await store.get("run-a-0001"))?.endedAt, undefined);
      await appendStatus(store, "run-a-0001", { status: "running" }, 20);
      assert.equal((await store.get("run-a-0001"))?.interrupts, undefined);
      await appendStatus(store, "run-a-0001", { status: "error", error: { name: "Error", message: "boom" } }, 30);
      const ended = (await store.get("run-a-0001"))!;
      assert.equal(ended.endedAt, 30);
      assert.deepEqual(ended.error, { name: "Error", message: "boom" });
      assert.equal(store.stats().activeRuns, 0);
    });

    it("lists newest first, filtered by status and graph", async () => {
      const store = await makeStore(roomy);
      await store.create(metadata("run-a-0001", "joke"), {});
      await store.create(metadata("run-b-0001", "loop"), {});
      await store.create(metadata("run-c-0001", "joke"), {});
      await appendStatus(store, "run-a-0001", { status: "done" });
      assert.deepEqual((await store.list()).map((r) => r.metadata.run_id), ["run-c-0001", "run-b-0001", "run-a-0001"]);
      assert.deepEqual((await store.list({ graphId: "joke" })).map((r) => r.metadata.run_id), ["run-c-0001", "run-a-0001"]);
      assert.deepEqual((await store.list({ status: "running" })).map((r) => r.metadata.run_id), ["run-c-0001", "run-b-0001"]);
      assert.deepEqual((await store.list({ limit: 1 })).map((r) => r.metadata.run_id), ["run-c-0001"]);
    });

    it("records who owns a run and lists one owner's runs, the limit counting only theirs", async () => {
      const store = await makeStore(roomy);
      await store.create(metadata("run-a-0001"), {}, "alice");
      await store.create(metadata("run-b-0001"), {}, "bob");
      await store.create(metadata("run-c-0001"), {}, "alice");
      await store.create(metadata("run-d-0001"), {});
      assert.equal((await store.get("run-b-0001"))?.owner, "bob");
      assert.equal((await store.get("run-d-0001"))?.owner, undefined);
      assert.deepEqual((await store.list({ owner: "alice" })).map((r) => r.metadata.run_id), ["run-c-0001", "run-a-0001"]);
      assert.deepEqual((await store.list({ owner: "alice", limit: 1 })).map((r) => r.metadata.run_id), ["run-c-0001"]);
      assert.deepEqual((await store.list({ owner: "bob" })).map((r) => r.metadata.run_id), ["run-b-0001"]);
      assert.deepEqual((await store.list({ owner: "carol" })), []);
    });

    it("drops the oldest finished run to stay within the run count, never an active one", async () => {
      const store = await makeStore({ ...roomy, maxRuns: 2 });
      await store.create(metadata("run-a-0001"), {});
      await store.create(metadata("run-b-0001"), {});
      await assert.rejects(async () => store.create(metadata("run-c-0001"), {}), StoreFullError);
      await appendStatus(store, "run-b-0001", { status: "done" });
      await store.create(metadata("run-c-0001"), {});
      assert.equal((await store.get("run-b-0001")), undefined);
      assert.ok((await store.get("run-a-0001")));
      assert.ok((await store.get("run-c-0001")));
    });

    it("drops finished runs older than maxAgeMs on sweep", async () => {
      const store = await makeStore({ ...roomy, maxAgeMs: 1000 });
      await store.create(metadata("run-a-0001"), {});
      await store.create(metadata("run-b-0001"), {});
      await store.create(metadata("run-c-0001"), {});
      const now = Date.now();
      await appendStatus(store, "run-a-0001", { status: "done" }, now - 5000);
      await appendStatus(store, "run-b-0001", { status: "cancelled" }, now);
      assert.deepEqual((await store.sweep(now)), ["run-a-0001"]);
      assert.ok((await store.get("run-b-0001")));
      assert.ok((await store.get("run-c-0001")), "active runs are never swept");
      assert.deepEqual((await store.sweep(now + 2000)), ["run-b-0001"]);
    });

    it("holds the total byte budget: finished runs first, then the growing run's oldest events", async () => {
      const units = await unitsOf(makeStore);
      const size = units.event;
      const store = await makeStore({ ...roomy, maxTotalBytes: units.run + size * 10 });
      await store.create(metadata("run-a-0001"), {});
      for (let i = 1; i <= 6; i++) await store.append("run-a-0001", event(i));
      await appendStatus(store, "run-a-0001", { status: "done" });
      await store.create(metadata("run-b-0001"), {});
      for (let i = 1; i <= 6; i++) await store.append("run-b-0001", event(i));
      assert.equal((await store.get("run-a-0001")), undefined, "the finished run made room");
      for (let i = 7; i <= 20; i++) await store.append("run-b-0001", event(i));
      assert.ok(store.stats().bytes <= units.run + size * 10 + 10);
      assert.equal((await store.get("run-b-0001"))!.lastSeq, 20);
      await assert.rejects(async () => store.read("run-b-0001", 0, 100), EventsEvictedError);
    });

    it("counts what it holds", async () => {
      const store = await makeStore(roomy);
      await store.create(metadata("run-a-0001"), {});
      await store.append("run-a-0001", event(1));
      await store.append("run-a-0001", event(2));
      const stats = store.stats();
      assert.deepEqual({ ...stats, bytes: 0 }, { runs: 1, activeRuns: 1, events: 2, bytes: 0 });
      assert.ok(stats.bytes >= event(1).length + event(2).length, "bytes count at least the JSON");
    });

    it("derives the record from the log: status and error events, not a separate write", async () => {
      const store = await makeStore(roomy);
      await store.create(metadata("run-a-0001"), {}, undefined, "host:1:0");
      await store.append("run-a-0001", event(1));
      await store.append("run-a-0001", JSON.stringify(["status", { status: "interrupted", interrupts: [{ id: "i1", value: 1 }] }]), 10);
      let record = (await store.get("run-a-0001"))!;
      assert.equal(record.status, "interrupted");
      assert.equal(record.updatedAt, 10);
      assert.equal(record.executor, "host:1:0");
      assert.deepEqual(
        (await store.read("run-a-0001", 0, 10)).map((e) => e.json),
        [event(1), JSON.stringify(["status", { status: "interrupted", interrupts: [{ id: "i1", value: 1 }] }])],
        "the status change is an event of the log",
      );
      await store.append("run-a-0001", JSON.stringify(["status", { status: "running", resumed: true }]), 20);
      record = (await store.get("run-a-0001"))!;
      assert.equal(record.status, "running");
      assert.equal(record.interrupts, undefined);
      await store.append("run-a-0001", JSON.stringify(["error", { name: "Error", message: "boom" }]), 30);
      await store.append("run-a-0001", JSON.stringify(["status", { status: "error" }]), 30);
      record = (await store.get("run-a-0001"))!;
      assert.deepEqual([record.status, record.error, record.endedAt, record.lastSeq], ["error", { name: "Error", message: "boom" }, 30, 5]);
    });

    it("lists the runs not ended and records who takes one over", async () => {
      const store = await makeStore(roomy);
      await store.create(metadata("run-a-0001"), {}, undefined, "host:1:0");
      await store.create(metadata("run-b-0001"), {}, undefined, "host:1:0");
      await store.create(metadata("run-c-0001"), {}, undefined, "host:1:0");
      await appendStatus(store, "run-b-0001", { status: "done" });
      await appendStatus(store, "run-c-0001", { status: "interrupted", interrupts: [] });
      assert.deepEqual((await store.unfinished()).map((r) => [r.metadata.run_id, r.status]), [
        ["run-a-0001", "running"],
        ["run-c-0001", "interrupted"],
      ]);
      await store.claim("run-a-0001", "host:2:5");
      assert.equal((await store.get("run-a-0001"))?.executor, "host:2:5");
      await assert.rejects(async () => store.claim("nope-0001", "host:2:5"), RunNotFoundError);
    });
  });
}
