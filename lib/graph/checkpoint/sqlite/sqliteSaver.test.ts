import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import Database from "better-sqlite3";
import { runCheckpointerCases } from "../checkpointer.cases";
import { PAGE_SIZE, SqliteSaver } from "./sqliteSaver";
import { SQLITE_SCHEMA_VERSION } from "./schema";

const dir = mkdtempSync(join(tmpdir(), "rill-sqlite-saver-"));
const opened: SqliteSaver[] = [];
let files = 0;
after(async () => {
  for (const saver of opened) await saver.close();
  rmSync(dir, { recursive: true, force: true });
});
function inFile(commitThread = false): SqliteSaver {
  const saver = new SqliteSaver(join(dir, `cases-${++files}.db`), { commitThread });
  opened.push(saver);
  return saver;
}

runCheckpointerCases("SqliteSaver (file)", () => inFile());
runCheckpointerCases("SqliteSaver (file, commit thread)", () => inFile(true));
runCheckpointerCases("SqliteSaver (:memory:)", () => new SqliteSaver(":memory:"));

describe("SqliteSaver (Rill's own)", () => {
  const checkpoint = (id: string, values: Record<string, unknown> = {}) => ({ v: 4, id, ts: "2026-01-01T00:00:00.000Z", channel_values: values, channel_versions: {}, versions_seen: {} });
  const meta = { source: "loop" as const, step: 0, parents: {} };

  it("keeps what was committed when the file is opened again", async () => {
    const path = join(dir, "reopen.db");
    const first = new SqliteSaver(path);
    const config = await first.put({ configurable: { thread_id: "t" } }, checkpoint("a", { n: 1 }), meta, {});
    await first.putWrites(config, [["x", 1]], "task");
    await first.close();
    const second = new SqliteSaver(path);
    opened.push(second);
    const tuple = await second.getTuple({ configurable: { thread_id: "t" } });
    assert.deepEqual(tuple?.checkpoint.channel_values, { n: 1 });
    assert.deepEqual(tuple?.pendingWrites, [["task", "x", 1]]);
  });

  it("creates a new file with 16 KB pages, and leaves an existing file's page size as it is", async () => {
    const fresh = new SqliteSaver(join(dir, "pages-new.db"));
    opened.push(fresh);
    assert.equal(fresh.db.pragma("page_size", { simple: true }), PAGE_SIZE);
    const path = join(dir, "pages-old.db");
    const before = new Database(path);
    before.exec("CREATE TABLE unrelated (x)");
    before.close();
    const existing = new SqliteSaver(path);
    opened.push(existing);
    assert.equal(existing.db.pragma("page_size", { simple: true }), 4096);
    const config = await existing.put({ configurable: { thread_id: "t" } }, checkpoint("a", { n: 1 }), meta, {});
    assert.deepEqual((await existing.getTuple(config))?.checkpoint.channel_values, { n: 1 });
  });

  it("stores a task's several writes with LangGraph's rules: a regular write's first value is kept, a special channel's last", async () => {
    const saver = new SqliteSaver(":memory:");
    opened.push(saver);
    const config = await saver.put({ configurable: { thread_id: "rules" } }, checkpoint("a"), meta, {});
    // Both calls land in one transaction (one tick): the second's regular writes are ignored, its special ones replace.
    await Promise.all([
      saver.putWrites(config, [["x", 1], ["y", 2], ["z", 3]], "t1"),
      saver.putWrites(config, [["x", 9], ["y", 9]], "t1"),
      saver.putWrites(config, [["__error__", "first"], ["__interrupt__", "first"]], "t2"),
      saver.putWrites(config, [["__error__", "second"], ["__interrupt__", "second"]], "t2"),
      saver.putWrites(config, [["x", 5], ["__error__", "mixed"]], "t3"),
    ]);
    const tuple = await saver.getTuple(config);
    assert.deepEqual(
      [...(tuple?.pendingWrites ?? [])].sort((p, q) => `${p[0]}${p[1]}`.localeCompare(`${q[0]}${q[1]}`)),
      [
        ["t1", "x", 1],
        ["t1", "y", 2],
        ["t1", "z", 3],
        ["t2", "__error__", "second"],
        ["t2", "__interrupt__", "second"],
        ["t3", "__error__", "mixed"],
        ["t3", "x", 5],
      ],
    );
  });

  for (const commitThread of [false, true]) {
    it(`commits the writes of one tick in one transaction, each call resolving after the commit (commitThread: ${commitThread})`, async () => {
      const saver = inFile(commitThread);
      const put = (i: number) => saver.put({ configurable: { thread_id: `t${i}` } }, checkpoint(`c${i}`), meta, {});
      const count = (db: Database.Database) => (db.prepare("SELECT count(*) AS n FROM checkpoints").get() as { n: number }).n;
      const reader = new Database(saver.db.name, { readonly: true });
      const puts = [];
      for (let i = 0; i < 50; i++) puts.push(put(i));
      assert.equal(count(reader), 0, "nothing is committed before the tick ends");
      await Promise.all(puts);
      assert.equal(count(reader), 50, "every put has committed when it resolves");
      // One transaction: a row refused in the middle of a tick's batch takes the whole batch with it.
      // (A trigger in the file, not a TEMP one: the commit thread has a connection of its own.)
      saver.db.exec("CREATE TRIGGER refuse AFTER INSERT ON checkpoints WHEN NEW.thread_id = 'bad' BEGIN SELECT RAISE(ABORT, 'refused'); END;");
      const batch = [put(100), saver.put({ configurable: { thread_id: "bad" } }, checkpoint("bad"), meta, {}), put(101)];
      const outcomes = await Promise.allSettled(batch);
      assert.deepEqual(outcomes.map((o) => o.status), ["rejected", "rejected", "rejected"]);
      assert.equal(count(reader), 50);
      reader.close();
      saver.db.exec("DROP TRIGGER refuse");
      await put(102);
      assert.equal(count(saver.db), 51, "the saver goes on after a failed batch");
    });
  }

  it("uses WAL mode and names the field when the thread id is unusable", async () => {
    const saver = inFile();
    assert.equal(saver.db.pragma("journal_mode", { simple: true }), "wal");
    await assert.rejects(saver.put({ configurable: { thread_id: { id: 1 } } }, checkpoint("a"), meta, {}), /SqliteSaver\.put: configurable\.thread_id must be a non-empty string, got object/);
    await assert.rejects(saver.putWrites({ configurable: { thread_id: "t" } }, [["x", 1]], "t"), /SqliteSaver\.putWrites: the config is missing configurable\.checkpoint_id/);
  });

  it("refuses a store whose schema is newer than this Rill, naming the file", () => {
    const path = join(dir, "newer.db");
    const db = new Database(path);
    db.pragma(`user_version = ${SQLITE_SCHEMA_VERSION + 1}`);
    db.close();
    assert.throws(() => new SqliteSaver(path), new RegExp(`newer\\.db has checkpoint schema version ${SQLITE_SCHEMA_VERSION + 1}, newer than this Rill's ${SQLITE_SCHEMA_VERSION}`));
  });

  it("names the path when the file cannot be opened", () => {
    assert.throws(() => new SqliteSaver(join(dir, "no-such-dir", "x.db")), /SqliteSaver: cannot open .*no-such-dir.*x\.db/);
  });

  it("stores an unchanged channel once, and forks of a thread never share a value", async () => {
    const { Annotation, START, StateGraph } = await import("../../index");
    const State = Annotation.Root({ big: Annotation<string>(), n: Annotation<number>() });
    const saver = inFile();
    const graph = new StateGraph(State)
      .addNode("a", (s) => ({ n: s.n + 1 }))
      .addNode("b", (s) => ({ n: s.n + 1 }))
      .addEdge(START, "a")
      .addEdge("a", "b")
      .compile({ checkpointer: saver });
    const config = { configurable: { thread_id: "blobs" } };
    await graph.invoke({ big: "x".repeat(10_000), n: 0 }, config);
    const holding = saver.db.prepare("SELECT count(*) AS n FROM checkpoints WHERE instr(checkpoint, 'xxxxxxxxxx') > 0").get() as { n: number };
    assert.equal(holding.n, 1, "the big value is stored once, not once per checkpoint");
    for await (const tuple of saver.list(config)) if (tuple.metadata!.step >= 0) assert.equal((tuple.checkpoint.channel_values.big as string).length, 10_000);
    const history = [];
    for await (const s of graph.getStateHistory(config)) history.push(s);
    const afterA = history.find((s) => s.next[0] === "b")!;
    const fork = await graph.updateState(afterA.config, { n: 100 });
    assert.equal((await graph.invoke(null, fork)).n, 101);
    assert.equal((await graph.getState(config)).values.n, 101);
    assert.equal((await graph.getState(afterA.config)).values.n, 1, "the original branch keeps its value");
  });

  it("gets a run's writes without waiting for each commit (one transaction holds many steps), and fails the run when a write fails", async () => {
    const { Annotation, END, START, StateGraph } = await import("../../index");
    class CountingSaver extends SqliteSaver {
      pending = 0;
      mostPending = 0;
      failAtStep: number | null = null;
      override async put(...args: Parameters<SqliteSaver["put"]>) {
        if (args[2].step === this.failAtStep) throw new Error(`refused at step ${this.failAtStep}`);
        this.mostPending = Math.max(this.mostPending, ++this.pending);
        try {
          return await super.put(...args);
        } finally {
          this.pending--;
        }
      }
    }
    const saver = new CountingSaver(":memory:");
    const State = Annotation.Root({ n: Annotation<number>() });
    const graph = new StateGraph(State)
      .addNode("a", (s) => ({ n: s.n + 1 }))
      .addNode("b", (s) => ({ n: s.n + 1 }))
      .addEdge(START, "a")
      .addEdge("a", "b")
      .addConditionalEdges("b", (s) => (s.n >= 100 ? END : "a"))
      .compile({ checkpointer: saver });
    assert.equal((await graph.invoke({ n: 0 }, { configurable: { thread_id: "many" }, recursionLimit: 200 })).n, 100);
    assert.ok(saver.mostPending > 10, `puts overlapped (at most ${saver.mostPending} at once)`);
    const history = [];
    for await (const snapshot of graph.getStateHistory({ configurable: { thread_id: "many" } })) history.push(snapshot.values.n);
    assert.equal(history.length, 102, "every step's checkpoint was stored");
    saver.failAtStep = 7;
    await assert.rejects(graph.invoke({ n: 0 }, { configurable: { thread_id: "fails" }, recursionLimit: 200 }), /refused at step 7/);
  });
});
