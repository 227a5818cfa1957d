// Threads on the durable stores, through the real server: SQLite in a temporary RILL_DATA_DIR and a real
// PostgreSQL (a database of the test's own; skipped, saying so, when none answers). A thread, its state
// and history outlive the server; "rollback" drops the cancelled run's checkpoints from the saver's tables.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import type { StorageConfig } from "../config";
import { createTestDatabase, postgresSkipReason, type TestDatabase } from "../../lib/graph/checkpoint/postgres/test/testDatabase";
import { collect, connect, startServer, type Received, type TestClient, type TestServer } from "../test/harness";
import { gate, stepsGraph } from "./testThreadGraph";

const threadIdOf = (events: Received[]) => (events[0]!.data[1] as { thread_id: string }).thread_id;
const lastStatus = (events: Received[]) => (events.at(-1)!.data[1] as { status: string }).status;

async function open(storage: StorageConfig): Promise<{ server: TestServer; client: TestClient; close(): Promise<void> }> {
  const server = await startServer({ extraGraphs: [stepsGraph], config: { storage } });
  const client = connect(server);
  return {
    server,
    client,
    async close() {
      await client.close();
      await server.close();
    },
  };
}

function durableCases(name: string, storage: () => StorageConfig): void {
  describe(`threads on ${name}`, () => {
    it("a thread, its state and its history outlive the server", async () => {
      const first = await open(storage());
      const { events } = await collect(first.client, { graphId: "steps", input: { label: "a" }, streamMode: ["updates"] });
      const threadId = threadIdOf(events);
      await collect(first.client, { graphId: "steps", input: { label: "b" }, streamMode: ["updates"], threadId });
      const before = await first.client.trpc.threads.get.query({ threadId });
      const history = await first.client.trpc.threads.history.query({ threadId, limit: 100 });
      await first.close();

      const second = await open(storage());
      try {
        assert.deepEqual(await second.client.trpc.threads.get.query({ threadId }), before);
        assert.deepEqual(await second.client.trpc.threads.history.query({ threadId, limit: 100 }), history);
        const next = await collect(second.client, { graphId: "steps", input: { label: "c" }, streamMode: ["updates"], threadId });
        assert.equal(lastStatus(next.events), "done");
        assert.deepEqual(((await second.client.trpc.threads.get.query({ threadId })).values as { items: string[] }).items, ["a-1", "a-2", "b-1", "b-2", "c-1", "c-2"]);
        assert.ok((await second.client.trpc.threads.list.query({ graphId: "steps" })).some((t) => t.threadId === threadId));
      } finally {
        await second.close();
      }
    });

    it('"rollback" drops the cancelled run checkpoints from the store; delete drops the rest', async () => {
      const live = await open(storage());
      try {
        const { events } = await collect(live.client, { graphId: "steps", input: { label: "a" }, streamMode: ["updates"] });
        const threadId = threadIdOf(events);
        const before = await live.client.trpc.threads.history.query({ threadId, limit: 100 });
        const hold = `${name}-rollback`;
        const held = collect(live.client, { graphId: "steps", input: { label: "r", hold }, streamMode: ["updates"], threadId });
        await gate(hold).entered;
        const next = await collect(live.client, { graphId: "steps", input: { label: "n" }, streamMode: ["updates"], threadId, multitaskStrategy: "rollback" });
        assert.equal(lastStatus((await held).events), "cancelled");
        assert.equal(lastStatus(next.events), "done");
        const history = await live.client.trpc.threads.history.query({ threadId, limit: 100 });
        assert.deepEqual((history[0]!.values as { items: string[] }).items, ["a-1", "a-2", "n-1", "n-2"]);
        assert.ok(!history.some((c) => (c.values as { items: string[] }).items.includes("r-1")));
        assert.deepEqual(history.slice(-before.length), before);
        await live.client.trpc.threads.delete.mutate({ threadId });
        const saver = live.server.graphs.get("steps")!.threadState!()!.checkpointer as { getTuple(config: object): Promise<unknown> };
        assert.equal(await saver.getTuple({ configurable: { thread_id: threadId, checkpoint_ns: "" } }), undefined);
      } finally {
        await live.close();
      }
    });
  });
}

const dataDir = mkdtempSync(path.join(tmpdir(), "rill-durable-threads-"));
after(() => rmSync(dataDir, { recursive: true, force: true }));
durableCases("sqlite", () => ({ kind: "sqlite", dataDir, databaseUrl: undefined }));

const database: TestDatabase | null = await createTestDatabase();
if (database) {
  after(() => database.drop());
  durableCases("postgres", () => ({ kind: "postgres", dataDir: "", databaseUrl: database.url }));
} else {
  describe("threads on postgres", () => it("skipped", { skip: postgresSkipReason }, () => undefined));
}

describe("storage that cannot be used fails the start, naming it", () => {
  it("a data directory that cannot be created or written", async () => {
    // A directory of this test's own: the file's shared one is removed by a root-level after() hook, which
    // may run before this suite does (the file awaits a PostgreSQL database between its suites).
    const own = mkdtempSync(path.join(tmpdir(), "rill-unusable-data-dir-"));
    try {
      const notADir = path.join(own, "a-file");
      writeFileSync(notADir, "");
      const where = path.join(notADir, "data");
      await assert.rejects(startServer({ config: { storage: { kind: "sqlite", dataDir: where, databaseUrl: undefined } } }), (error: Error) => error.message.includes(where));
    } finally {
      rmSync(own, { recursive: true, force: true });
    }
  });

  it("a PostgreSQL that does not answer: host and port named, no hang", async () => {
    await assert.rejects(
      startServer({ config: { storage: { kind: "postgres", dataDir: "", databaseUrl: "postgres://postgres@127.0.0.1:1/rill" } } }),
      (error: Error) => error.message.includes("127.0.0.1:1"),
    );
  });
});
