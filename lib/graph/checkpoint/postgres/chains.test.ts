// PostgresSaver's chains (../durable/chains.ts): the engine's checkpoints of a batch are stored a row for
// many, and every read gives what SQLite's rows give for the same calls (its caller's-thread store, which
// stores rows only): tuples, pending writes by the table's rules, lists, a rollback's cut, a deletion.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, it } from "node:test";
import { chainCallViews, forkOfChained } from "../durable/test/chainCalls";
import { SqliteSaver } from "../sqlite/sqliteSaver";
import { PostgresSaver } from "./postgresSaver";
import { createTestDatabase, postgresSkipReason } from "./test/testDatabase";

const database = await createTestDatabase();

if (database === null) {
  it("PostgresSaver's chains against a real PostgreSQL", { skip: postgresSkipReason }, () => undefined);
} else {
  const dir = mkdtempSync(join(tmpdir(), "rill-pg-chains-"));
  after(async () => {
    rmSync(dir, { recursive: true, force: true });
    await database.drop();
  });

  /** The views on PostgreSQL (schema `name`) and on SQLite's rows, and how many chain rows PostgreSQL holds. */
  const both = async (name: string, more?: (saver: PostgresSaver | SqliteSaver) => Promise<unknown>) => {
    const postgres = new PostgresSaver({ connectionString: database.url, schema: name });
    const view = await chainCallViews(postgres, false, more);
    const { rows } = await postgres.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${name}.rill_checkpoint_chains`);
    await postgres.close();
    const sqlite = new SqliteSaver(join(dir, `${name}.db`), { commitThread: false });
    const expected = await chainCallViews(sqlite, false, more);
    await sqlite.close();
    return { view, expected, chains: rows[0].n };
  };

  it("stores the engine's checkpoints in chains and reads back what rows give", async () => {
    const { view, expected, chains } = await both("chains_same");
    assert.deepEqual(view, expected);
    assert.ok(chains >= 3, `chains stored: ${chains}`);
    assert.deepEqual(
      view.a.map((t) => t.checkpoint.id),
      ["c10", "c09", "c08", "c06", "c05", "c03", "c02", "c01"],
    );
    assert.deepEqual(view.byId[1]!.pendingWrites, [
      ["t2", "__interrupt__", "last"],
      ["t2", "n", 2],
      ["t2b", "__error__", "boom"],
    ]);
  });

  it("resolves a put forking a checkpoint of a chain written as queued, in the same batch or the next", async () => {
    for (const later of [false, true]) {
      const saver = new PostgresSaver({ connectionString: database.url, schema: `chains_fork_${later}` });
      await saver.setup();
      assert.deepEqual(await forkOfChained(saver, later), { values: { keep: "from f1", n: 3 }, parent: "f1" });
      const { rows } = await saver.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM chains_fork_${later}.rill_checkpoint_chains`);
      assert.equal(rows[0].n, 1, "f1 and f2 in one chain");
      await saver.close();
    }
  });

  it("cuts a chain in a rollback and drops a thread's chains with it, as with rows", async () => {
    const rollback = await both("chains_rollback", (saver) => saver.dropCheckpointsAfter("a", "c02"));
    assert.deepEqual(rollback.view, rollback.expected);
    assert.deepEqual(
      rollback.view.a.map((t) => t.checkpoint.id),
      ["c02", "c01"],
    );
    const deleted = await both("chains_deleted", (saver) => saver.deleteThread("a"));
    assert.deepEqual(deleted.view, deleted.expected);
    assert.deepEqual(deleted.view.a, []);
    assert.deepEqual(deleted.view.b.map((t) => t.checkpoint.id), ["c04"]);
  });
}
