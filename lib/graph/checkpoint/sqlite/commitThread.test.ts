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
