import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import Database from "better-sqlite3";
import { threadStoreCases } from "../threadStore.cases";
import { SqliteThreadStore } from "./sqliteThreadStore";

const dir = mkdtempSync(path.join(tmpdir(), "rill-threads-"));
after(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const freshFile = () => path.join(dir, `threads-${++files}.db`);

threadStoreCases("sqlite", () => new SqliteThreadStore(freshFile()));

describe("sqlite thread store: the file", () => {
  it("keeps threads across a close and reopen", async () => {
    const file = freshFile();
    const first = new SqliteThreadStore(file);
    await first.create({ threadId: "t-1", graphId: "chat", metadata: { a: 1 } });
    await first.setStatus("t-1", "interrupted");
    await first.close();
    const second = new SqliteThreadStore(file);
    assert.deepEqual([(await second.get("t-1"))!.status, (await second.get("t-1"))!.metadata], ["interrupted", { a: 1 }]);
    await second.close();
  });

  it("refuses a file of a newer Rill, naming it", () => {
    const file = freshFile();
    const db = new Database(file);
    db.pragma("user_version = 99");
    db.close();
    assert.throws(() => new SqliteThreadStore(file), (error: Error) => error.message.includes(file) && /newer than this Rill/.test(error.message));
  });
});
