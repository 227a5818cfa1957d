// The SQLite saver's commit thread (commitThread.ts): a process that never closes its saver still exits,
// with its writes committed; `commitThread: false` commits on the caller's thread, with the same results.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, it } from "node:test";
import Database from "better-sqlite3";
import { SqliteSaver } from "./sqliteSaver";

const dir = mkdtempSync(join(tmpdir(), "rill-commit-thread-"));
after(() => rmSync(dir, { recursive: true, force: true }));

it("does not keep a process alive that never closes its saver, and its write is committed", { timeout: 60_000 }, async () => {
  const file = join(dir, "unclosed.db");
  const child = spawn(process.execPath, ["--import", "tsx", fileURLToPath(new URL("./test/unclosedWriter.ts", import.meta.url)), file], { stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c)));
  assert.equal(code, 0);
  assert.equal(out, "committed\n");
  const db = new Database(file, { readonly: true });
  try {
    assert.equal((db.prepare("SELECT count(*) AS c FROM checkpoints").get() as { c: number }).c, 1);
  } finally {
    db.close();
  }
});

it("commits on the caller's thread with commitThread: false, and reads back the same", async () => {
  for (const commitThread of [true, false]) {
    const saver = new SqliteSaver(join(dir, `thread-${commitThread}.db`), { commitThread });
    const checkpoint = { v: 4, id: "c1", ts: "2026-01-01T00:00:00.000Z", channel_values: { n: 7 }, channel_versions: { n: "1" }, versions_seen: {} };
    const config = await saver.put({ configurable: { thread_id: "t" } }, checkpoint, { source: "loop", step: 0, parents: {} }, { n: "1" });
    await saver.putWrites(config, [["n", 8]], "task-1");
    const tuple = await saver.getTuple({ configurable: { thread_id: "t" } });
    assert.equal(tuple?.checkpoint.channel_values.n, 7, `commitThread: ${commitThread}`);
    assert.deepEqual(tuple?.pendingWrites, [["task-1", "n", 8]], `commitThread: ${commitThread}`);
    await saver.close();
    await assert.rejects(saver.put(config, checkpoint, { source: "loop", step: 1, parents: {} }, {}), /SqliteSaver.put: the saver is closed/);
  }
});

it("refuses the batches sent after a failed one (they may build on it), then commits again", async () => {
  const saver = new SqliteSaver(join(dir, "pipelined.db"), { commitThread: true });
  const checkpoint = (id: string) => ({ v: 4, id, ts: "2026-01-01T00:00:00.000Z", channel_values: {}, channel_versions: {}, versions_seen: {} });
  const meta = { source: "loop" as const, step: 0, parents: {} };
  const count = () => (saver.db.prepare("SELECT count(*) AS c FROM checkpoints").get() as { c: number }).c;
  saver.db.exec("CREATE TRIGGER refuse AFTER INSERT ON checkpoints WHEN NEW.thread_id = 'bad' BEGIN SELECT RAISE(ABORT, 'refused'); END;");
  // Two full batches (256 puts each, the pipelined maxBatch), both handed to the thread within this loop,
  // before its answer to the first can be read: the first fails, the second, sent behind it, is refused.
  // (A batch handed over later, at the end of the tick, may be sent after the failure was known and the
  // thread reset: that one commits, as any batch after a failed one does without the thread.)
  const puts = [];
  for (let i = 0; i < 512; i++) puts.push(saver.put({ configurable: { thread_id: i === 10 ? "bad" : `t${i}` } }, checkpoint(`c${i}`), meta, {}));
  const outcomes = await Promise.allSettled(puts);
  assert.equal(outcomes.filter((o) => o.status === "fulfilled").length, 0);
  const reasons = new Set(outcomes.map((o) => (o.status === "rejected" ? String((o.reason as Error).message) : "")));
  assert.ok([...reasons].some((r) => /committing to .*pipelined\.db failed: refused/.test(r)), [...reasons].join(" | "));
  assert.ok([...reasons].some((r) => /an earlier batch it follows failed/.test(r)), [...reasons].join(" | "));
  assert.equal(count(), 0);
  saver.db.exec("DROP TRIGGER refuse");
  await saver.put({ configurable: { thread_id: "after" } }, checkpoint("c-after"), meta, {});
  assert.equal(count(), 1, "the thread commits again after the failure");
  await saver.close();
});

it("is started by a saver's first commit, not by opening the store: a saver that only reads has none", async () => {
  const file = join(dir, "lazy.db");
  const writer = new SqliteSaver(file);
  const threadOf = (saver: SqliteSaver) => (saver as unknown as { thread: unknown }).thread;
  assert.equal(threadOf(writer), null, "opening starts no thread");
  const checkpoint = { v: 4, id: "c1", ts: "2026-01-01T00:00:00.000Z", channel_values: { n: 1 }, channel_versions: {}, versions_seen: {} };
  await writer.put({ configurable: { thread_id: "lazy" } }, checkpoint, { source: "loop", step: 0, parents: {} }, {});
  assert.notEqual(threadOf(writer), null, "the first commit started it");
  await writer.close();

  const reader = new SqliteSaver(file);
  assert.equal((await reader.getTuple({ configurable: { thread_id: "lazy" } }))?.checkpoint.channel_values.n, 1);
  for await (const tuple of reader.list({ configurable: { thread_id: "lazy" } })) assert.equal(tuple.checkpoint.id, "c1");
  assert.equal(threadOf(reader), null, "reading started none");
  await reader.close();
});
