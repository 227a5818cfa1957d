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
import type { QueuedOp } from "../durable/queuedChains";
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

it("refuses the batches sent after a failed transaction (they may build on it), then commits again", async () => {
  const saver = new SqliteSaver(join(dir, "pipelined.db"), { commitThread: true });
  const checkpoint = (id: string) => ({ v: 4, id, ts: "2026-01-01T00:00:00.000Z", channel_values: {}, channel_versions: {}, versions_seen: {} });
  const meta = { source: "loop" as const, step: 0, parents: {} };
  const count = () => (saver.db.prepare("SELECT count(*) AS c FROM checkpoints").get() as { c: number }).c;
  saver.db.exec("CREATE TRIGGER refuse AFTER INSERT ON checkpoints WHEN NEW.thread_id = 'bad' BEGIN SELECT RAISE(ABORT, 'refused'); END;");
  // A first transaction: 300 puts, the eleventh refused (full batches of 64 go to the thread as they fill,
  // in one transaction, which the read below ends at once, within this turn). Then a second one: 256 puts,
  // four full batches, all handed to the thread within this turn, before its answer to the first can be
  // read: the thread refuses them.
  const first = [];
  for (let i = 0; i < 300; i++) first.push(saver.put({ configurable: { thread_id: i === 10 ? "bad" : `t${i}` } }, checkpoint(`c${i}`), meta, {}));
  const read = saver.getTuple({ configurable: { thread_id: "t0" } });
  const second = [];
  for (let i = 0; i < 256; i++) second.push(saver.put({ configurable: { thread_id: `u${i}` } }, checkpoint(`d${i}`), meta, {}));
  const firstOutcomes = await Promise.allSettled(first);
  const secondOutcomes = await Promise.allSettled(second);
  for (const outcome of firstOutcomes) {
    assert.equal(outcome.status, "rejected");
    assert.match(String((outcome as PromiseRejectedResult).reason), /committing to .*pipelined\.db failed: refused/);
  }
  for (const outcome of secondOutcomes) {
    assert.equal(outcome.status, "rejected");
    assert.match(String((outcome as PromiseRejectedResult).reason), /not committed to .*pipelined\.db: an earlier batch it follows failed/);
  }
  assert.equal(await read, undefined, "nothing of the failed transaction is stored");
  assert.equal(count(), 0);
  saver.db.exec("DROP TRIGGER refuse");
  await saver.put({ configurable: { thread_id: "after" } }, checkpoint("c-after"), meta, {});
  assert.equal(count(), 1, "the thread commits again after the failure");
  await saver.close();
});

it("refuses a chain begun before a failure was known and committed after it, and forgets the layouts it resolved", async () => {
  /** Holds the batches holding a chain of thread "x" until `held` resolves. */
  class Holding extends SqliteSaver {
    held: Promise<unknown> = Promise.resolve();
    protected override commitBatch(ops: QueuedOp[], full: boolean) {
      if (ops.some((op) => op.kind === "chain" && op.threadId === "x")) return this.held.then(() => super.commitBatch(ops, full));
      return super.commitBatch(ops, full);
    }
  }
  const saver = new Holding(join(dir, "stale-chain.db"), { commitThread: true });
  saver.db.exec("CREATE TRIGGER refuse AFTER INSERT ON writes WHEN NEW.thread_id = 'bad' BEGIN SELECT RAISE(ABORT, 'refused'); END;");
  const config = (thread: string, id?: string) => ({ configurable: { thread_id: thread, checkpoint_ns: "", ...(id === undefined ? {} : { checkpoint_id: id }) } });
  const checkpoint = (id: string, n: number) => ({ v: 4, id, ts: "2026-01-01T00:00:00.000Z", channel_values: { n }, channel_versions: { n }, versions_seen: {} });
  const meta = { source: "loop" as const, step: 0, parents: {} };
  // A batch bound to fail goes to the thread; a chain of thread x begins before its answer comes back.
  const failing = saver.queueWrites(config("bad", "b0"), [["n", 1]], "t");
  void failing.settled(true);
  saver.held = failing.settled();
  const chained = saver.queuePut(config("x"), checkpoint("x1", 1), meta, { n: 1 });
  assert.notEqual(chained, failing, "the chain is in the next batch");
  await chained.settled();
  assert.match(String((failing.failure?.error as Error)?.message), /refused/);
  assert.match(String((chained.failure?.error as Error)?.message), /not written, because a batch before it failed/);
  // x1 was never written: x2 (n unchanged) must not point at it, and reads back without n rather than wrong.
  saver.held = Promise.resolve();
  await saver.put(config("x", "x1"), { ...checkpoint("x2", 1), channel_values: {} }, meta, {});
  const tuple = await saver.getTuple(config("x", "x2"));
  assert.deepEqual(tuple?.checkpoint.channel_values, {});
  const stored = (saver.db.prepare("SELECT layout FROM checkpoints WHERE checkpoint_id = 'x2'").pluck().get() as string) ?? "";
  assert.doesNotMatch(stored, /x1/, "its layout names no row of the refused batch");
  await saver.close();
});

it("commits full batches when nothing follows them", { timeout: 20_000 }, async () => {
  const saver = new SqliteSaver(join(dir, "ended.db"), { commitThread: true });
  const checkpoint = (id: string) => ({ v: 4, id, ts: "2026-01-01T00:00:00.000Z", channel_values: {}, channel_versions: {}, versions_seen: {} });
  const meta = { source: "loop" as const, step: 0, parents: {} };
  // Exactly two full batches (64 puts each): no batch that is not full ends their transaction; without the
  // end sent at the next turn (or the thread's own after a pause) they would never commit (then the thread
  // is stopped, and the test fails).
  const puts = [];
  for (let i = 0; i < 128; i++) puts.push(saver.put({ configurable: { thread_id: "t" } }, checkpoint(`c${String(i).padStart(3, "0")}`), meta, {}));
  let timer: NodeJS.Timeout | undefined;
  const committed = await Promise.race([
    Promise.all(puts).then(() => true),
    new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), 10_000))),
  ]);
  clearTimeout(timer);
  if (!committed) await (saver as unknown as { thread: { worker: { terminate(): Promise<number> } } }).thread.worker.terminate();
  assert.ok(committed, "the full batches committed");
  const reader = new Database(join(dir, "ended.db"), { readonly: true });
  assert.equal((reader.prepare("SELECT count(*) AS c FROM checkpoints").get() as { c: number }).c, 128);
  reader.close();
  await saver.close();
});

it("does not hold the write lock of a transaction left open from a caller blocked on the same file", { timeout: 30_000 }, () => {
  const file = join(dir, "open-transaction.db");
  const saver = new SqliteSaver(file, { commitThread: true });
  const checkpoint = (id: string) => ({ v: 4, id, ts: "2026-01-01T00:00:00.000Z", channel_values: {}, channel_versions: {}, versions_seen: {} });
  const meta = { source: "loop" as const, step: 0, parents: {} };
  const other = new Database(file);
  other.pragma("busy_timeout = 0");
  // One full batch: the thread writes it in a transaction it leaves open for the next batch.
  const puts = [];
  for (let i = 0; i < 64; i++) puts.push(saver.put({ configurable: { thread_id: "t" } }, checkpoint(`c${String(i).padStart(2, "0")}`), meta, {}));
  // This thread waits (synchronously, so the saver cannot send anything more) until the commit thread holds
  // the write lock, then writes to the same file: it must not wait for a commit that only it could cause.
  const began = Date.now();
  let locked = false;
  while (!locked && Date.now() - began < 10_000) {
    try {
      other.exec("BEGIN IMMEDIATE; ROLLBACK");
    } catch (error) {
      assert.match(String(error), /database is locked|SQLITE_BUSY/);
      locked = true;
    }
  }
  assert.ok(locked, "the commit thread took the write lock");
  other.pragma("busy_timeout = 8000");
  other.exec("INSERT INTO writes VALUES ('other', '', 'c', 't', 0, 'n', 'json', '1', '')");
  assert.equal((other.prepare("SELECT count(*) AS c FROM checkpoints").get() as { c: number }).c, 64, "the open transaction committed first");
  other.close();
  return Promise.all(puts).then(() => saver.close());
});

it("commits a run that never yields to the event loop every 16 batches, not only at its end", { timeout: 30_000 }, async () => {
  const file = join(dir, "long-run.db");
  const saver = new SqliteSaver(file, { commitThread: true });
  const checkpoint = (id: string) => ({ v: 4, id, ts: "2026-01-01T00:00:00.000Z", channel_values: {}, channel_versions: {}, versions_seen: {} });
  const meta = { source: "loop" as const, step: 0, parents: {} };
  const puts = [];
  // 20 full batches within this turn: nothing ends their transaction but its size.
  for (let i = 0; i < 20 * 64; i++) puts.push(saver.put({ configurable: { thread_id: "t" } }, checkpoint(`c${String(i).padStart(4, "0")}`), meta, {}));
  const reader = new Database(file, { readonly: true });
  const count = () => (reader.prepare("SELECT count(*) AS c FROM checkpoints").get() as { c: number }).c;
  // Still within the turn (this thread waits synchronously): the thread's first commit comes after at most 16
  // batches. (Sooner on a loaded machine, where a batch may come more than 5 ms after the one before and the
  // open transaction commits on its own; never after all 20, which only the missing end would commit.)
  const began = Date.now();
  let seen = count();
  while (seen === 0 && Date.now() - began < 10_000) seen = count();
  assert.ok(seen > 0 && seen <= 16 * 64, `the first commit, while the run had not yielded, held at most 16 batches: saw ${seen} rows`);
  assert.equal(seen % 64, 0, "whole batches");
  reader.close();
  await Promise.all(puts);
  await saver.close();
});

it("is started by a saver's first commit, not by opening the store: a saver that only reads has none", async () => {
  const file = join(dir, "lazy.db");
  const writer = new SqliteSaver(file);
  assert.equal(writer.commitThreadUtilization(), undefined, "opening starts no thread");
  const checkpoint = { v: 4, id: "c1", ts: "2026-01-01T00:00:00.000Z", channel_values: { n: 1 }, channel_versions: {}, versions_seen: {} };
  await writer.put({ configurable: { thread_id: "lazy" } }, checkpoint, { source: "loop", step: 0, parents: {} }, {});
  const busy = writer.commitThreadUtilization();
  assert.ok(busy !== undefined && busy.active > 0, "the first commit started it, and it has been busy");
  assert.ok(busy.utilization > 0 && busy.utilization <= 1);
  await writer.close();

  const reader = new SqliteSaver(file);
  assert.equal((await reader.getTuple({ configurable: { thread_id: "lazy" } }))?.checkpoint.channel_values.n, 1);
  for await (const tuple of reader.list({ configurable: { thread_id: "lazy" } })) assert.equal(tuple.checkpoint.id, "c1");
  assert.equal(reader.commitThreadUtilization(), undefined, "reading started none");
  await reader.close();
});

it("stores the same rows as the caller's thread, whatever the order of threads, namespaces, forks and writes in a batch", async () => {
  // The thread's rows leave out what they share with the batch's last put (FlatBatch's PUT_NEXT and
  // WRITE_NEXT): every case where that is, and is not, the case, in one batch and then across two.
  const checkpoint = (id: string, n: number) => ({ v: 4, id, ts: "2026-01-01T00:00:00.000Z", channel_values: { n }, channel_versions: { n }, versions_seen: {} });
  const cfg = (thread: string, ns = "", id?: string) => ({ configurable: id === undefined ? { thread_id: thread, checkpoint_ns: ns } : { thread_id: thread, checkpoint_ns: ns, checkpoint_id: id } });
  const meta = (step: number) => ({ source: "loop" as const, step, parents: {} });
  type Call = (saver: SqliteSaver) => Promise<unknown>;
  const put = (thread: string, id: string, parent?: string, ns = ""): Call => (s) => s.put(cfg(thread, ns, parent), checkpoint(id, Number(id.slice(1))), meta(0), { n: 1 });
  const write = (thread: string, id: string, task: string, writes: Array<[string, unknown]>, ns = "", path?: string): Call => (s) => s.putWrites(cfg(thread, ns, id), writes, task, path);
  const firstTick: Call[] = [
    put("a", "c01"),
    write("a", "c01", "t1", [["n", 1], ["__error__", { message: "x" }]]),
    put("a", "c02", "c01"),
    write("a", "c01", "t1b", [["n", 11]]), // the same thread, an earlier checkpoint than the last put
    write("a", "c02", "t2", [["n", 2]]),
    put("a", "c09", "c01"), // the same thread, a parent other than the last put
    write("b", "c02", "t2", [["n", 2]]), // another thread, the same checkpoint id
    put("b", "c03", "c02"), // another thread whose parent id is the last put's
    put("b", "c04", "c03", "sub:1"), // another namespace
    write("b", "c03", "t3", [["n", 3]]),
    put("b", "c05", "c03"),
    write("b", "c05", "t5", [["n", 5]], "", "~path"),
    put("a", "c06", "c01"), // a fork of thread a
    write("a", "c06", "t6", [["__interrupt__", 1], ["n", 6]]),
    write("a", "c06", "t6", [["__interrupt__", 2]]),
    put("a", "c07", "c06"),
  ];
  const secondTick: Call[] = [write("a", "c07", "t7", [["n", 7]]), put("a", "c08", "c07"), write("a", "c08", "t8", [["n", 8]], "sub:1")];
  const rows = async (commitThread: boolean) => {
    const saver = new SqliteSaver(join(dir, `same-rows-${commitThread}.db`), { commitThread });
    await Promise.all(firstTick.map((call) => call(saver)));
    await Promise.all(secondTick.map((call) => call(saver)));
    const tables = {
      checkpoints: saver.db.prepare("SELECT * FROM checkpoints ORDER BY thread_id, checkpoint_ns, checkpoint_id").all(),
      writes: saver.db.prepare("SELECT * FROM writes ORDER BY thread_id, checkpoint_ns, checkpoint_id, task_id, idx").all(),
    };
    await saver.close();
    return tables;
  };
  const onThread = await rows(true);
  assert.equal(onThread.checkpoints.length, 9);
  assert.equal(onThread.writes.length, 11);
  assert.deepEqual(onThread, await rows(false));
});
