import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { createServer } from "node:net";
import { after, describe, it } from "node:test";
import pg from "pg";
import { runCheckpointerCases } from "../checkpointer.cases";
import { clientConfig } from "./connection";
import { PostgresSaver } from "./postgresSaver";
import { POSTGRES_SCHEMA_VERSION } from "./schema";
import { createTestDatabase, postgresSkipReason, testPool } from "./test/testDatabase";
import { watchedLoop } from "../durable/test/watchedLoop";

const database = await createTestDatabase();

describe("PostgresSaver connection errors (no server needed)", () => {
  it("fails within the connection timeout naming host and port when nothing answers", async () => {
    // A listener that accepts and never speaks: the client waits for the server's first message.
    const sockets = new Set<import("node:net").Socket>();
    const silent = createServer((socket) => void sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const port = (silent.address() as { port: number }).port;
    const saver = new PostgresSaver({ connectionString: `postgres://postgres@127.0.0.1:${port}/rill`, connectTimeoutMs: 300 });
    try {
      await assert.rejects(saver.setup(), new RegExp(`PostgresSaver: cannot connect to PostgreSQL at 127\\.0\\.0\\.1:${port}/rill: .*timeout`, "i"));
      await assert.rejects(saver.getTuple({ configurable: { thread_id: "t" } }), /cannot connect to PostgreSQL at 127\.0\.0\.1/);
    } finally {
      await saver.close();
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  });

  it("fails naming host and port when the port is closed", async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const port = (probe.address() as { port: number }).port;
    await new Promise((resolve) => probe.close(resolve));
    const saver = PostgresSaver.fromConnString(`postgres://postgres@127.0.0.1:${port}/x`);
    await assert.rejects(saver.setup(), new RegExp(`cannot connect to PostgreSQL at 127\\.0\\.0\\.1:${port}/x: .*ECONNREFUSED`));
    await saver.close();
  });

  it("asks for a connection string or a pool", () => {
    assert.throws(() => new PostgresSaver({}), /pass \{ connectionString \}/);
  });

  it("gives its commit connection the password of a pool given one as an option (pg hides it from the options' keys)", async () => {
    const pool = new pg.Pool({ host: "127.0.0.1", user: "rill", password: "s3cret", database: "rill" });
    assert.equal({ ...pool.options }.password, undefined, "a plain copy of the options lacks it");
    assert.equal(clientConfig(pool).password, "s3cret");
    assert.equal(clientConfig(pool).user, "rill");
    assert.equal("password" in clientConfig(new pg.Pool({ connectionString: "postgres://rill@127.0.0.1/rill" })), false);
    await pool.end();
  });
});

if (database === null) {
  it("PostgresSaver against a real PostgreSQL", { skip: postgresSkipReason }, () => undefined);
} else {
  const pool = testPool(database.url);
  const savers: PostgresSaver[] = [];
  let schemas = 0;
  /** Each saver gets a schema of its own: the cases expect an empty store. */
  const make = () => {
    const saver = new PostgresSaver({ pool, schema: `cases_${++schemas}` });
    savers.push(saver);
    return saver;
  };
  after(async () => {
    for (const saver of savers) await saver.close();
    await pool.end();
    await database.drop();
  });

  runCheckpointerCases("PostgresSaver", make);

  describe("PostgresSaver (Rill's own)", () => {
    const checkpoint = (id: string, values: Record<string, unknown> = {}) => ({ v: 4, id, ts: "2026-01-01T00:00:00.000Z", channel_values: values, channel_versions: {}, versions_seen: {} });
    const meta = { source: "loop" as const, step: 0, parents: {} };

    it("writes the puts of one tick in one statement: one failing row fails them all", async () => {
      const saver = make();
      await saver.setup();
      const count = async () => Number((await pool.query(`SELECT count(*) AS n FROM ${saver.schema}.rill_checkpoints`)).rows[0].n);
      const put = (thread: string, id: string) => saver.put({ configurable: { thread_id: thread } }, checkpoint(id), meta, {});
      await Promise.all(Array.from({ length: 20 }, (_, i) => put(`t${i}`, `c${i}`)));
      assert.equal(await count(), 20);
      // A NUL character cannot be stored in a PostgreSQL text column: the batch holding it fails as a whole.
      const outcomes = await Promise.allSettled([put("a", "x1"), put("bad\u0000", "x2"), put("b", "x3")]);
      assert.deepEqual(outcomes.map((o) => o.status), ["rejected", "rejected", "rejected"]);
      assert.equal(await count(), 20);
      await put("c", "x4");
      assert.equal(await count(), 21, "the saver goes on after a failed batch");
    });

    it("writes a batch meeting rows that exist again with the upserting statement: last put wins, a write is kept once, a special write replaced", async () => {
      const saver = make();
      const config = await saver.put({ configurable: { thread_id: "t" } }, checkpoint("c1", { n: 1 }), meta, {});
      await saver.putWrites(config, [["x", 1]], "task");
      await saver.putWrites(config, [["__error__", "first"]], "task");
      // One tick: each of these meets a stored row, and the new checkpoint c2 rides in the same batch.
      await Promise.all([
        saver.put({ configurable: { thread_id: "t" } }, checkpoint("c1", { n: 2 }), meta, {}),
        saver.putWrites(config, [["x", 99]], "task"),
        saver.putWrites(config, [["__error__", "second"]], "task"),
        saver.put({ configurable: { thread_id: "t", checkpoint_id: "c1" } }, checkpoint("c2", { n: 3 }), meta, {}),
      ]);
      const c1 = await saver.getTuple({ configurable: { thread_id: "t", checkpoint_id: "c1" } });
      assert.deepEqual(c1?.checkpoint.channel_values, { n: 2 });
      assert.deepEqual(c1?.pendingWrites, [
        ["task", "__error__", "second"],
        ["task", "x", 1],
      ]);
      assert.deepEqual((await saver.getTuple({ configurable: { thread_id: "t" } }))?.checkpoint.channel_values, { n: 3 });
    });

    it("writes the batches of a long tick in one transaction, committed when the last one is written", async () => {
      const saver = make();
      await saver.setup();
      const puts = Array.from({ length: 700 }, (_, i) => saver.put({ configurable: { thread_id: `t${i % 7}` } }, checkpoint(`c${String(i).padStart(4, "0")}`), meta, {}));
      await Promise.all(puts);
      const { rows } = await pool.query(`SELECT count(*) AS n, count(DISTINCT xmin::text) AS transactions FROM ${saver.schema}.rill_checkpoints`);
      assert.deepEqual(rows[0], { n: "700", transactions: "1" });
    });

    it("fails a transaction as a whole, and refuses a batch prepared before that failure was known", async () => {
      const saver = make();
      await saver.setup();
      const config = (thread: string) => ({ configurable: { thread_id: thread } });
      const first = [saver.queuePut(config("a"), checkpoint("a1"), meta, {}), saver.queuePut(config("bad\u0000"), checkpoint("b1"), meta, {})];
      void first[1].settled(true); // committed now, as a run ending asks
      const second = saver.queuePut(config("c"), checkpoint("c1"), meta, {});
      void second.settled(true);
      await Promise.all([first[0].settled(), second.settled()]);
      assert.equal(first[0], first[1], "one batch");
      assert.match(String((first[0].failure?.error as Error)?.message), /0x00/);
      assert.match(String((second.failure?.error as Error)?.message), /not written, because a batch before it failed/);
      const stored = await pool.query(`SELECT (SELECT count(*) FROM ${saver.schema}.rill_checkpoints) + (SELECT count(*) FROM ${saver.schema}.rill_checkpoint_chains) AS n`);
      assert.equal(Number(stored.rows[0].n), 0, "neither rows nor chains");
      await saver.put(config("d"), checkpoint("d1"), meta, {});
      assert.equal((await saver.getTuple(config("d")))?.checkpoint.id, "d1", "the saver goes on after a failed transaction");
    });

    it("lets a process that never closes the saver exit once its writes committed (the commit connection holds it only while busy)", { timeout: 60_000 }, async () => {
      const fixture = fileURLToPath(new URL("./test/putWithoutClose.ts", import.meta.url));
      const child = spawn(process.execPath, ["--import", "tsx", fixture, database.url, "exits_unclosed"], { stdio: ["ignore", "pipe", "inherit"] });
      let output = "";
      child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
      const [code] = (await once(child, "exit")) as [number | null];
      assert.equal(code, 0);
      assert.equal(output.trim(), "committed");
      assert.equal(Number((await pool.query("SELECT count(*) AS n FROM exits_unclosed.rill_checkpoints")).rows[0].n), 1);
    });

    it("keeps what was committed for a new saver on the same database", async () => {
      const first = make();
      const config = await first.put({ configurable: { thread_id: "t" } }, checkpoint("a", { n: 1 }), meta, {});
      await first.putWrites(config, [["x", 1]], "task");
      const second = new PostgresSaver({ connectionString: database.url, schema: first.schema });
      savers.push(second);
      const tuple = await second.getTuple({ configurable: { thread_id: "t" } });
      assert.deepEqual(tuple?.checkpoint.channel_values, { n: 1 });
      assert.deepEqual(tuple?.pendingWrites, [["task", "x", 1]]);
    });

    it("migrates a store of schema version 1 (metadata as jsonb): its checkpoints read back and filter as before", async () => {
      const saver = make();
      await saver.setup();
      const t = `${saver.schema}.rill_checkpoints`;
      // The store as version 1 left it, holding a checkpoint.
      await pool.query(
        `ALTER TABLE ${t} ALTER COLUMN metadata TYPE jsonb USING metadata::jsonb; DROP TABLE ${saver.schema}.rill_checkpoint_chains; DELETE FROM ${saver.schema}.rill_checkpoint_migrations WHERE v >= 2`,
      );
      const old = { v: 4, id: "old-1", ts: "2026-01-01T00:00:00.000Z", channel_values: { n: 1 }, channel_versions: { n: "000000000001.x" }, versions_seen: {} };
      await pool.query(`INSERT INTO ${t} VALUES ('v1', '', 'old-1', NULL, 'json', $1, $2::jsonb, $3)`, [Buffer.from(JSON.stringify(old)), JSON.stringify({ source: "input", step: -1, parents: {}, run_id: "r1" }), JSON.stringify({ n: ["000000000001.x"] })]);
      const migrated = new PostgresSaver({ pool, schema: saver.schema });
      savers.push(migrated);
      await migrated.setup();
      const { rows } = await pool.query(`SELECT data_type FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'rill_checkpoints' AND column_name = 'metadata'`, [saver.schema]);
      assert.equal(rows[0].data_type, "text");
      const tuple = await migrated.getTuple({ configurable: { thread_id: "v1" } });
      assert.deepEqual(tuple?.checkpoint, old);
      assert.deepEqual(tuple?.metadata, { source: "input", step: -1, parents: {}, run_id: "r1" });
      await migrated.put({ configurable: { thread_id: "v1", checkpoint_id: "old-1" } }, { ...old, id: "old-2", ts: "2026-01-01T00:00:01.000Z" }, { source: "loop", step: 0, parents: {} }, {});
      const listed = [];
      for await (const t of migrated.list({ configurable: { thread_id: "v1" } }, { filter: { run_id: "r1" } })) listed.push(t.checkpoint.id);
      assert.deepEqual(listed, ["old-1"]);
    });

    it("stores a chain's body compressed with lz4 where the server has it, and reads it back", async () => {
      const saver = make();
      await saver.setup();
      const out = await watchedLoop(saver, 200, () => undefined)("long");
      assert.equal(out.n, 200);
      const { rows } = await pool.query<{ method: string | null; bytes: number }>(`SELECT pg_column_compression(body) AS method, octet_length(body) AS bytes FROM ${saver.schema}.rill_checkpoint_chains`);
      assert.ok(rows.some((row) => row.bytes > 8192), "a chain large enough to be compressed");
      const { rows: settings } = await pool.query<{ lz4: boolean }>(`SELECT 'lz4' = ANY(enumvals) AS lz4 FROM pg_settings WHERE name = 'default_toast_compression'`);
      const expected = settings[0]?.lz4 ? "lz4" : "pglz";
      for (const row of rows.filter((r) => r.bytes > 8192)) assert.equal(row.method, expected);
      const tuple = await saver.getTuple({ configurable: { thread_id: "long" } });
      assert.equal(tuple?.checkpoint.channel_values.n, 200);
      let listed = 0;
      for await (const _ of saver.list({ configurable: { thread_id: "long" } })) listed++;
      assert.equal(listed, 202, "the input's checkpoint, its start step's and one per node step");
    });

    it("refuses a database whose schema is newer than this Rill", async () => {
      const saver = make();
      await saver.setup();
      await pool.query(`INSERT INTO ${saver.schema}.rill_checkpoint_migrations (v) VALUES ($1)`, [POSTGRES_SCHEMA_VERSION + 1]);
      const again = new PostgresSaver({ pool, schema: saver.schema });
      savers.push(again);
      await assert.rejects(again.setup(), new RegExp(`has checkpoint schema version ${POSTGRES_SCHEMA_VERSION + 1}, newer than this Rill's ${POSTGRES_SCHEMA_VERSION}`));
    });
  });
}
