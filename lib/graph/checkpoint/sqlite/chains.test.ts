// Chains (durable/chains.ts): on the commit thread, the engine's checkpoints are stored a batch of a run's
// steps to a row. Whatever the mix of calls, a saver storing chains reads back exactly what one storing
// rows (the caller's thread) does: tuples, pending writes with the table's keep/replace rules, lists with
// `before` and `limit`, the latest checkpoint, a rollback's cut and a thread's deletion.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, it } from "node:test";
import Database from "better-sqlite3";
import { chainCallViews, config, forkOfChained, put } from "../durable/test/chainCalls";
import { SQLITE_MIGRATIONS } from "./schema";
import { SqliteSaver } from "./sqliteSaver";
import { storedCounts } from "./test/storedCounts";

const dir = mkdtempSync(join(tmpdir(), "rill-chains-"));
after(() => rmSync(dir, { recursive: true, force: true }));

async function stored(commitThread: boolean, name: string, more?: (saver: SqliteSaver) => Promise<unknown>) {
  const saver = new SqliteSaver(join(dir, `${name}-${commitThread}.db`), { commitThread });
  const view = await chainCallViews(saver, true, more);
  const counts = storedCounts(saver.db);
  await saver.close();
  return { view, counts };
}

it("stores the engine's checkpoints in chains on the commit thread and reads back what rows give", async () => {
  const chains = await stored(true, "same");
  const rows = await stored(false, "same");
  assert.deepEqual(chains.view, rows.view);
  assert.equal(rows.counts.chains, 0);
  assert.ok(chains.counts.chains >= 3, `chains stored: ${chains.counts.chains}`);
  assert.equal(chains.counts.checkpoints, rows.counts.checkpoints);
  // A key written again is stored again in a chain (the writes are merged when read), once in the table.
  assert.equal(chains.counts.writes, rows.counts.writes + 4, "c01 and c02 each hold two keys twice");
  // The reads show what they must, not only the same thing both ways.
  const a = chains.view.a.map((t) => t.checkpoint.id);
  assert.deepEqual(a, ["c10", "c08", "c06", "c05", "c03", "c02", "c01", "c\u000009"]);
  // By task and index (a special write's is negative): the regular write kept, the special one replaced.
  assert.deepEqual(chains.view.byId[0]!.pendingWrites, [
    ["t1", "__interrupt__", "second"],
    ["t1", "n", 1],
  ]);
  assert.deepEqual(chains.view.before.map((t) => t.checkpoint.id), ["c05", "c03"]);
  assert.deepEqual(chains.view.limited.map((t) => t.checkpoint.id), ["c10", "c08", "c06"]);
  assert.deepEqual(chains.view.filtered.map((t) => t.checkpoint.id), ["c02"]);
  assert.deepEqual(chains.view.byId[1]!.pendingWrites, [
    ["t2", "__interrupt__", "last"],
    ["t2", "n", 2],
    ["t2b", "__error__", "boom"],
  ]);
  assert.equal(chains.view.latest[1]!.checkpoint.id, "c04");
  assert.deepEqual(chains.view.latest[1]!.pendingWrites, [
    ["t4", "n", 4],
    ["t4b", "n", 44],
  ]);
  assert.equal(chains.view.byId[8], undefined);
  assert.equal(chains.view.byId[3]!.parentConfig?.configurable?.checkpoint_id, "c02", "a fork's parent");
});

it("resolves a put forking a checkpoint of a chain written as queued, in the same batch or the next", async () => {
  for (const later of [false, true]) {
    const saver = new SqliteSaver(join(dir, `fork-${later}.db`));
    assert.deepEqual(await forkOfChained(saver, later), { values: { keep: "from f1", n: 3 }, parent: "f1" });
    assert.equal(storedCounts(saver.db).chains, 1, "f1 and f2 in one chain");
    await saver.close();
  }
});

it("cuts a chain in a rollback and drops a thread's chains with it, as with rows", async () => {
  const rollback = (saver: SqliteSaver) => saver.dropCheckpointsAfter("a", "c02");
  const chains = await stored(true, "rollback", rollback);
  assert.deepEqual(chains.view, (await stored(false, "rollback", rollback)).view);
  // Ids compare as text: "c\u000009" sorts before "c01" and stays.
  assert.deepEqual(
    chains.view.a.map((t) => t.checkpoint.id),
    ["c02", "c01", "c\u000009"],
  );
  assert.equal(chains.view.latest[0]!.checkpoint.id, "c02");
  assert.deepEqual(chains.view.b.map((t) => t.checkpoint.id), ["c04"], "another thread's chain is untouched");

  const deleted = await stored(true, "deleted", (saver) => saver.deleteThread("a"));
  assert.deepEqual(deleted.view.a, []);
  assert.equal(deleted.counts.checkpoints, 1, "only thread b's checkpoint is left");
});

it("opens a store of the first schema version and goes on with chains beside its rows", async () => {
  const file = join(dir, "v1.db");
  const db = new Database(file);
  db.exec(SQLITE_MIGRATIONS[1]);
  db.pragma("user_version = 1");
  db.prepare(`INSERT INTO checkpoints VALUES ('a', '', 'c00', NULL, 'json', ?, '{"source":"input","step":-1,"parents":{}}', '[{"n":1},{}]')`).run(
    JSON.stringify({ v: 4, ts: "2026-12-06T00:00:00.000Z", channel_values: { n: 0 }, versions_seen: {} }),
  );
  db.close();
  const saver = new SqliteSaver(file);
  put("a", "c01", "c00", 1)(saver);
  put("a", "c02", "c01", 2)(saver);
  const latest = await saver.getTuple(config("a"));
  assert.equal(latest?.checkpoint.id, "c02");
  const ids: string[] = [];
  for await (const tuple of saver.list(config("a"))) ids.push(tuple.checkpoint.id);
  assert.deepEqual(ids, ["c02", "c01", "c00"]);
  assert.equal(storedCounts(saver.db).chains, 1);
  await saver.close();
});
