import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runStoreCases } from "../runStore.cases";
import { SEGMENT_EVENTS, TAIL_EVENT_OVERHEAD } from "./eventSegments";
import { MemoryRunStore, RUN_OVERHEAD } from "./memoryRunStore";

runStoreCases("memory", (limits) => new MemoryRunStore(limits));

const roomy = { maxEventsPerRun: 1_000_000, maxBytesPerRun: 1e12, maxRuns: 100, maxTotalBytes: 1e12, maxAgeMs: 60_000 };
const meta = (runId: string) => ({ run_id: runId, graph_id: "g", stream_mode: ["custom" as const], created_at: "" });
/** ASCII, and (every third) with an emoji: such a JSON text is a two-byte string in V8, 4 UTF-8 bytes for the emoji. */
const event = (i: number) => JSON.stringify(["custom", { n: i, text: i % 3 === 0 ? `tok ${i} 🍦` : `tok ${i}` }]);

describe("memory run store: bytes of memory", () => {
  it("counts each event at no less than it holds, live (as strings) and packed (as UTF-8)", () => {
    const store = new MemoryRunStore(roomy);
    store.create(meta("run-m-0001"), { topic: "x" });
    const texts = Array.from({ length: 100 }, (_, i) => event(i + 1));
    for (const text of texts) store.append("run-m-0001", text);
    // Live: each event a V8 string (2 bytes a character once any is not Latin-1) and its object.
    const asStrings = texts.reduce((n, t) => n + t.length * (/[^\x00-\x7f]/.test(t) ? 2 : 1) + TAIL_EVENT_OVERHEAD, 0);
    assert.ok(store.get("run-m-0001")!.bytes >= asStrings);
    assert.ok(store.stats().bytes >= asStrings + RUN_OVERHEAD, "the run's record and input count too");
    // Ended: packed, counted at its UTF-8 bytes and offsets, and read back as the same texts.
    const done = JSON.stringify(["status", { status: "done" }]);
    store.append("run-m-0001", done);
    const utf8 = texts.reduce((n, t) => n + Buffer.byteLength(t) + 4, 0);
    assert.ok(store.get("run-m-0001")!.bytes >= utf8);
    assert.ok(store.get("run-m-0001")!.bytes < asStrings, "packed takes less than the strings did");
    assert.deepEqual(store.read("run-m-0001", 0, 1000).map((e) => e.json), [...texts, done]);
    assert.deepEqual(store.read("run-m-0001", 40, 3).map((e) => [e.seq, e.json]), [41, 42, 43].map((seq) => [seq, texts[seq - 1]]));
  });

  it("packs a long run's log as it grows, reading the same texts across packed and live events", () => {
    const store = new MemoryRunStore(roomy);
    store.create(meta("run-m-0002"), {});
    const total = SEGMENT_EVENTS * 3 + 17;
    for (let i = 1; i <= total; i++) store.append("run-m-0002", event(i));
    for (const from of [0, 1, SEGMENT_EVENTS - 2, SEGMENT_EVENTS * 3 - 5, total - 1]) {
      const read = store.read("run-m-0002", from, 300);
      assert.deepEqual(read.map((e) => e.seq), Array.from({ length: Math.min(300, total - from) }, (_, k) => from + 1 + k));
      assert.deepEqual(read.map((e) => e.json), read.map((e) => event(e.seq)));
    }
  });

  it("holds its total byte budget with packed logs: finished runs go first, then the growing run's oldest segment", () => {
    const budget = 200_000;
    const store = new MemoryRunStore({ ...roomy, maxTotalBytes: budget });
    for (let r = 1; r <= 3; r++) {
      store.create(meta(`run-f-000${r}`), {});
      for (let i = 1; i <= 500; i++) store.append(`run-f-000${r}`, event(i));
      store.append(`run-f-000${r}`, JSON.stringify(["status", { status: "done" }]));
      assert.ok(store.stats().bytes <= budget);
    }
    store.create(meta("run-g-0001"), {});
    for (let i = 1; i <= 20_000; i++) {
      store.append("run-g-0001", event(i));
      assert.ok(store.stats().bytes <= budget, `${store.stats().bytes} bytes counted after event ${i}, the budget is ${budget}`);
    }
    assert.equal(store.get("run-f-0001"), undefined, "finished runs made room first");
    const record = store.get("run-g-0001")!;
    assert.ok(record.firstSeq > 1 && record.lastSeq === 20_000);
    const tail = store.read("run-g-0001", record.firstSeq - 1, 100_000);
    assert.deepEqual(tail.map((e) => e.json), tail.map((e) => event(e.seq)), "what is kept is intact");
    assert.equal(tail.at(-1)!.seq, 20_000);
  });
});
