import assert from "node:assert/strict";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import Database from "better-sqlite3";
import { appendStatus, runStoreCases } from "../runStore.cases";
import type { RunStore, RunStoreLimits } from "../../runStore";
import { DurableRunStore } from "../durable/durableRunStore";
import { openSqliteRunStore, RUNS_FILE } from "./sqliteRunStore";
import { RUN_STORE_SQLITE_VERSION } from "./schema";

const root = mkdtempSync(path.join(tmpdir(), "rill-sqlite-runs-"));
const opened: RunStore[] = [];
let dirs = 0;
after(async () => {
  for (const store of opened) await store.close();
  rmSync(root, { recursive: true, force: true });
});

async function fresh(limits: RunStoreLimits, dir = path.join(root, `d${++dirs}`)): Promise<DurableRunStore> {
  const store = await openSqliteRunStore(dir, limits);
  opened.push(store);
  return store;
}

runStoreCases("sqlite", (limits) => fresh(limits));

const roomy: RunStoreLimits = { maxEventsPerRun: 1000, maxBytesPerRun: 1e9, maxRuns: 100, maxTotalBytes: 1e12, maxAgeMs: 60_000 };
const meta = (runId: string) => ({ run_id: runId, graph_id: "g", stream_mode: ["custom" as const], created_at: "2026-01-01T00:00:00.000Z" });
const event = (i: number) => JSON.stringify(["custom", { i, text: i % 3 === 0 ? `tok ${i} 🍦` : `tok ${i}` }]);

describe("sqlite run store", () => {
  it("keeps runs, logs and statuses across a reopen, identically", async () => {
    const dir = path.join(root, "reopen");
    const first = await fresh(roomy, dir);
    await first.create(meta("run-r-0001"), { topic: "x" }, "alice", "host:1:0");
    for (let i = 1; i <= 300; i++) void first.append("run-r-0001", event(i));
    const endedAt = Date.now();
    await appendStatus(first, "run-r-0001", { status: "done" }, endedAt);
    await first.create(meta("run-r-0002"), {});
    await appendStatus(first, "run-r-0002", { status: "interrupted", interrupts: [{ id: "i1", value: { q: 1 } }] });
    const before = first.read("run-r-0001", 0, 1000) as Array<{ seq: number; json: string }>;
    await first.close();

    const second = await fresh(roomy, dir);
    const record = second.get("run-r-0001")!;
    assert.deepEqual([record.status, record.endedAt, record.lastSeq, record.owner, record.executor], ["done", endedAt, 301, "alice", "host:1:0"]);
    assert.deepEqual(record.input, { topic: "x" });
    const after = (await second.read("run-r-0001", 0, 1000)).map(({ seq, json }) => ({ seq, json }));
    assert.deepEqual(after, before.map(({ seq, json }) => ({ seq, json })));
    assert.equal(after.length, 301);
    assert.deepEqual(second.get("run-r-0002")?.interrupts, [{ id: "i1", value: { q: 1 } }]);
    assert.deepEqual(second.unfinished().map((r) => r.metadata.run_id), ["run-r-0002"]);
    assert.deepEqual(second.stats().events, 302);
  });

  it("keeps what a run was started with across a reopen; a run an earlier Rill stored (no start in its head) loads without it", async () => {
    const dir = path.join(root, "start");
    const first = await fresh(roomy, dir);
    const start = { configurable: { thread_id: "t-1", checkpoint_id: "c-3", model: "m-small" }, recursionLimit: 4 };
    await first.create(meta("run-s-0001"), { topic: "x" }, undefined, "host:1:0", start);
    await first.create(meta("run-s-0002"), {});
    await first.close();
    // A head as Rill wrote it before runs kept their start: metadata, input and owner only (the same schema version).
    const db = new Database(path.join(dir, RUNS_FILE));
    db.prepare("INSERT INTO runs (run_id, position, head, state) VALUES (?, ?, ?, ?)").run(
      "run-s-0003",
      99,
      JSON.stringify({ metadata: meta("run-s-0003"), input: { old: true }, owner: "alice" }),
      JSON.stringify({ status: "running", updatedAt: 1, lastSeq: 0, firstSeq: 1, bytes: 0 }),
    );
    db.close();

    const second = await fresh(roomy, dir);
    assert.deepEqual(second.get("run-s-0001")?.start, start);
    assert.equal(second.get("run-s-0002")?.start, undefined);
    const old = second.get("run-s-0003")!;
    assert.deepEqual([old.start, old.owner, old.input, old.status], [undefined, "alice", { old: true }, "running"]);
  });

  it("group-commits: the appends of one tick go in one transaction, and readers see only what is committed", async () => {
    const store = await fresh(roomy);
    await store.create(meta("run-g-0001"), {});
    const commitsBefore = store.commits;
    const seqs = Array.from({ length: 100 }, (_, i) => store.append("run-g-0001", event(i + 1)));
    assert.deepEqual(store.read("run-g-0001", 0, 1000), [], "nothing is visible before the commit");
    assert.deepEqual(await Promise.all(seqs), Array.from({ length: 100 }, (_, i) => i + 1));
    assert.equal(store.commits, commitsBefore + 1, "one transaction for the tick");
    assert.equal((store.read("run-g-0001", 0, 1000) as unknown[]).length, 100);
  });

  it("reads from the middle of a commit's events, and after a reopen, with its oldest evicted", async () => {
    const dir = path.join(root, "chunks");
    const first = await fresh({ ...roomy, maxEventsPerRun: 30 }, dir);
    await first.create(meta("run-c-0001"), {});
    await Promise.all(Array.from({ length: 100 }, (_, i) => first.append("run-c-0001", event(i + 1))));
    assert.deepEqual((first.read("run-c-0001", 75, 10) as Array<{ seq: number }>).map((e) => e.seq), [76, 77, 78, 79, 80, 81, 82, 83, 84, 85]);
    await first.close();
    const second = await fresh({ ...roomy, maxEventsPerRun: 30 }, dir);
    const middle = await second.read("run-c-0001", 75, 10);
    assert.deepEqual(middle.map((e) => [e.seq, e.json]), [76, 77, 78, 79, 80, 81, 82, 83, 84, 85].map((seq) => [seq, event(seq)]));
    await assert.rejects(async () => second.read("run-c-0001", 60, 10), /events 61\.\.70 were evicted/);
    // Taken over by this process, it grows again within its limits.
    await second.claim("run-c-0001", "host:2:0");
    await second.append("run-c-0001", event(101));
    const record = second.get("run-c-0001")!;
    assert.deepEqual([record.firstSeq, record.lastSeq], [72, 101]);
    assert.equal(record.bytes, Array.from({ length: 30 }, (_, i) => event(72 + i).length).reduce((a, b) => a + b, 0));
  });

  it("holds retention in the file: evicted events and dropped runs are deleted from it", async () => {
    const dir = path.join(root, "retention");
    const store = await fresh({ ...roomy, maxEventsPerRun: 5, maxRuns: 2 }, dir);
    await store.create(meta("run-e-0001"), {});
    for (let i = 1; i <= 20; i++) void store.append("run-e-0001", event(i));
    await appendStatus(store, "run-e-0001", { status: "done" });
    await store.create(meta("run-e-0002"), {});
    await store.create(meta("run-e-0003"), {});
    await store.close();
    const db = new Database(path.join(dir, RUNS_FILE), { readonly: true });
    try {
      assert.deepEqual(db.prepare("SELECT run_id FROM runs ORDER BY position").all(), [{ run_id: "run-e-0002" }, { run_id: "run-e-0003" }]);
      assert.deepEqual(db.prepare("SELECT count(*) AS n FROM run_event_chunks").get(), { n: 0 }, "the dropped run's events went with it");
    } finally {
      db.close();
    }
  });

  it("refuses a file whose schema is newer than this Rill, saying so", async () => {
    const dir = path.join(root, "newer");
    await (await fresh(roomy, dir)).close();
    const db = new Database(path.join(dir, RUNS_FILE));
    db.pragma(`user_version = ${RUN_STORE_SQLITE_VERSION + 1}`);
    db.close();
    await assert.rejects(openSqliteRunStore(dir, roomy), /schema version 2, newer than this Rill's 1/);
  });

  it("fails naming the data directory when it cannot be created", async () => {
    const file = path.join(root, "a-file");
    writeFileSync(file, "not a directory");
    const dir = path.join(file, "data");
    await assert.rejects(openSqliteRunStore(dir, roomy), (error: Error) => error.message.includes(dir) && /RILL_DATA_DIR/.test(error.message));
  });

  it("fails naming the data directory when it cannot be written", { skip: process.getuid?.() === 0 ? "root writes anywhere" : false }, async () => {
    const dir = path.join(root, "readonly");
    await (await fresh(roomy, path.join(dir, "x"))).close();
    chmodSync(dir, 0o500);
    try {
      await assert.rejects(openSqliteRunStore(path.join(dir, "y"), roomy), (error: Error) => error.message.includes(path.join(dir, "y")));
    } finally {
      chmodSync(dir, 0o700);
    }
  });
});
