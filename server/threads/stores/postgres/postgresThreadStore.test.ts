// Against a real PostgreSQL: each factory call gets a database of its own (created and dropped here).
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import pg from "pg";
import { createTestDatabase, postgresSkipReason, type TestDatabase } from "../../../../lib/graph/checkpoint/postgres/test/testDatabase";
import { threadStoreCases } from "../threadStore.cases";
import { PostgresThreadStore } from "./postgresThreadStore";

const databases: TestDatabase[] = [];
after(async () => {
  for (const db of databases) await db.drop();
});

async function freshDatabase(): Promise<TestDatabase | null> {
  const db = await createTestDatabase();
  if (db) databases.push(db);
  return db;
}

const probe = await createTestDatabase();
if (probe) databases.push(probe);

if (!probe) {
  describe("postgres thread store", () => it("skipped", { skip: postgresSkipReason }, () => undefined));
} else {
  threadStoreCases("postgres", async () => {
    const store = new PostgresThreadStore((await freshDatabase())!.url);
    await store.setup();
    return store;
  });

  describe("postgres thread store: the database", () => {
    it("refuses a database migrated by a newer Rill, saying so", async () => {
      const db = (await freshDatabase())!;
      const first = new PostgresThreadStore(db.url);
      await first.setup();
      await first.close();
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      await client.query("INSERT INTO rill_thread_migrations (v) VALUES (99)");
      await client.end();
      const second = new PostgresThreadStore(db.url);
      await assert.rejects(second.setup(), /thread schema version 99, newer than this Rill/);
      await second.close();
    });

    it("fails fast naming host and port when nothing answers", async () => {
      const store = new PostgresThreadStore("postgres://postgres@127.0.0.1:1/none", 2000);
      await assert.rejects(store.setup(), /127\.0\.0\.1:1/);
      await store.close();
    });
  });
}
