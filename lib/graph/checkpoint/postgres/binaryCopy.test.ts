import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import pg from "pg";
import { BinaryCopyRows } from "./binaryCopy";
import { CopyIn } from "./copyIn";
import { createTestDatabase, postgresSkipReason } from "./test/testDatabase";

const database = await createTestDatabase();

if (database === null) {
  it("binary COPY against a real PostgreSQL", { skip: postgresSkipReason }, () => undefined);
} else {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  await client.query("CREATE TABLE t (s TEXT, b BYTEA, j JSONB, i INTEGER)");
  after(async () => {
    await client.end();
    await database.drop();
  });

  const copy = async (rows: BinaryCopyRows) => {
    const query = new CopyIn("COPY t (s, b, j, i) FROM STDIN WITH (FORMAT binary)", [rows.messages()]);
    client.query(query);
    await query.done;
  };

  describe("BinaryCopyRows through COPY ... FROM STDIN (FORMAT binary)", () => {
    it("stores text, bytes, JSON, integers and nulls as given, growing its buffer past the first size", async () => {
      const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
      const long = "é".repeat(40_000);
      // Large bytes go as messages of their own (a view into a larger buffer among them), not copied.
      const large = Buffer.alloc(100_000, "x").subarray(10, 70_010);
      large[0] = 0;
      const rows = new BinaryCopyRows(4, 64);
      rows.row().text("plain").bytes(bytes).jsonb('{"a": [1, "ü"]}').int(-7);
      rows.row().text("").bytes("text as bytes ✓").jsonb("null").int(2 ** 31 - 1);
      rows.row().textOrNull(null).null().null().null();
      rows.row().text(`emoji 🦜 ${long}`).bytes(new Uint8Array(0)).jsonb(JSON.stringify({ long })).int(0);
      rows.row().text("large").bytes(large).null().int(1);
      rows.row().text("two large").bytes(large.subarray(0, 20_000)).jsonb("[]").int(2);
      assert.equal(rows.rows, 6);
      await copy(rows);
      const { rows: stored } = await client.query("SELECT s, b, j, i FROM t ORDER BY i");
      assert.deepEqual(stored, [
        { s: "plain", b: Buffer.from(bytes), j: { a: [1, "ü"] }, i: -7 },
        { s: null, b: null, j: null, i: null },
        { s: `emoji 🦜 ${long}`, b: Buffer.alloc(0), j: { long }, i: 0 },
        { s: "large", b: Buffer.from(large), j: null, i: 1 },
        { s: "two large", b: Buffer.from(large.subarray(0, 20_000)), j: [], i: 2 },
        { s: "", b: Buffer.from("text as bytes ✓"), j: null, i: 2 ** 31 - 1 },
      ].sort((x, y) => (x.i ?? Infinity) - (y.i ?? Infinity)));
    });

    it("is refused as a whole for a NUL character in text, and the connection goes on", async () => {
      await client.query("TRUNCATE t");
      const rows = new BinaryCopyRows(4);
      rows.row().text("fine").null().null().int(1);
      rows.row().text("bad\u0000").null().null().int(2);
      await assert.rejects(copy(rows), /invalid byte sequence for encoding "UTF8": 0x00/);
      assert.deepEqual((await client.query("SELECT count(*)::int AS n FROM t")).rows, [{ n: 0 }]);
    });
  });
}
