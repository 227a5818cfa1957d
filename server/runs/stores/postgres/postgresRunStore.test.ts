// The run store contract on a real PostgreSQL (a database of this test's own, dropped at the end;
// skipped when none answers, unless RILL_TEST_REQUIRE_POSTGRES=1).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import pg from "pg";
import { createTestDatabase, postgresSkipReason, type TestDatabase } from "../../../../lib/graph/checkpoint/postgres/test/testDatabase";
import type { RunStore, RunStoreLimits } from "../../runStore";
import { appendStatus, runStoreCases } from "../runStore.cases";
import { openPostgresRunStore } from "./postgresRunStore";
import { RUN_STORE_POSTGRES_VERSION } from "./schema";

const database: TestDatabase | null = await createTestDatabase();
const opened: RunStore[] = [];

after(async () => {
  for (const store of opened) await store.close();
  await database?.drop();
});

async function emptyTables(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("DELETE FROM rill_run_event_chunks; DELETE FROM rill_runs;");
  } finally {
    await client.end();
  }
}

const roomy: RunStoreLimits = { maxEventsPerRun: 1000, maxBytesPerRun: 1e9, maxRuns: 100, maxTotalBytes: 1e12, maxAgeMs: 60_000 };
const meta = (runId: string) => ({ run_id: runId, graph_id: "g", stream_mode: ["custom" as const], created_at: "2026-01-01T00:00:00.000Z" });

if (!database) {
  describe("postgres run store", () => {
    it("needs a PostgreSQL", { skip: postgresSkipReason }, () => undefined);
  });
} else {
  const url = database.url;
  // Each case gets the database emptied: one store open at a time (the cases close none; close here).
  runStoreCases("postgres", async (limits) => {
    while (opened.length > 0) await opened.pop()!.close();
    const store = await openPostgresRunStore(url, limits);
    await emptyTables(url);
    await store.close();
    const fresh = await openPostgresRunStore(url, limits);
    opened.push(fresh);
    return fresh;
  });

  describe("postgres run store", () => {
    before(async () => {
      while (opened.length > 0) await opened.pop()!.close();
      const store = await openPostgresRunStore(url, roomy);
      await emptyTables(url);
      await store.close();
    });

    it("keeps runs and logs across a reopen; replays come from the database", async () => {
      const first = await openPostgresRunStore(url, roomy);
      await first.create(meta("run-p-0001"), { topic: "x" }, "alice", "host:1:0");
      const appends = Array.from({ length: 50 }, (_, i) => first.append("run-p-0001", JSON.stringify(["custom", { i }])));
      await Promise.all(appends);
      await appendStatus(first, "run-p-0001", { status: "done" });
      await first.close();
      const second = await openPostgresRunStore(url, roomy);
      opened.push(second);
      const record = second.get("run-p-0001")!;
      assert.deepEqual([record.status, record.lastSeq, record.owner], ["done", 51, "alice"]);
      const replay = await second.read("run-p-0001", 10, 5);
      assert.deepEqual(replay.map((e) => [e.seq, e.json]), [11, 12, 13, 14, 15].map((seq) => [seq, JSON.stringify(["custom", { i: seq - 1 }])]));
    });

    it("lists from the database what another process's store created: newest first, filtered and limited there", async () => {
      const reader = await openPostgresRunStore(url, roomy);
      opened.push(reader);
      const writer = await openPostgresRunStore(url, roomy);
      opened.push(writer);
      const made = (runId: string, graphId: string) => ({ ...meta(runId), graph_id: graphId });
      await writer.create(made("run-l-0001", "joke"), {}, "alice");
      await writer.create(made("run-l-0002", "loop"), {}, "bob");
      await writer.create(made("run-l-0003", "joke"), {});
      await writer.create(made("run-l-0004", "joke"), {}, "alice");
      await appendStatus(writer, "run-l-0003", { status: "done" });
      const ids = async (query: Parameters<typeof reader.listStored>[0]) =>
        (await reader.listStored(query)).map((r) => r.metadata.run_id).filter((id) => id.startsWith("run-l-"));
      assert.equal(reader.get("run-l-0004"), undefined, "the reader's own view has none of them");
      assert.deepEqual(await ids({}), ["run-l-0004", "run-l-0003", "run-l-0002", "run-l-0001"]);
      assert.deepEqual(await ids({ graphId: "joke" }), ["run-l-0004", "run-l-0003", "run-l-0001"]);
      assert.deepEqual(await ids({ status: "done" }), ["run-l-0003"]);
      assert.deepEqual(await ids({ owner: "alice" }), ["run-l-0004", "run-l-0001"]);
      assert.deepEqual(await ids({ owner: "alice", graphId: "joke", limit: 1 }), ["run-l-0004"]);
      assert.deepEqual(await ids({ owner: "carol" }), []);
      const [done] = await reader.listStored({ status: "done", graphId: "joke" });
      assert.deepEqual([done?.metadata.run_id, done?.status, done?.lastSeq], ["run-l-0003", "done", 1], "the record with its log's tail");
    });

    it("refuses a database whose schema is newer than this Rill", async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query("INSERT INTO rill_run_store_migrations (v) VALUES ($1)", [RUN_STORE_POSTGRES_VERSION + 1]);
      try {
        await assert.rejects(openPostgresRunStore(url, roomy), new RegExp(`newer than this Rill's ${RUN_STORE_POSTGRES_VERSION}`));
      } finally {
        await client.query("DELETE FROM rill_run_store_migrations WHERE v = $1", [RUN_STORE_POSTGRES_VERSION + 1]);
        await client.end();
      }
    });

    it("fails naming host and port when nothing answers (the pool's connect timeout bounds the wait)", async () => {
      await assert.rejects(openPostgresRunStore("postgres://postgres@127.0.0.1:1/none", roomy, 2000), /127\.0\.0\.1:1\/none \(DATABASE_URL\)/);
    });
  });
}
