// The behaviour every ThreadStore must have. Each implementation's test file calls
// `threadStoreCases(name, factory)`; a new store is done when these pass against it.
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { ThreadExistsError, type ThreadStore } from "../threadStore";

/** A fresh, empty store (and, when given, how to dispose of it after the suite). */
export type ThreadStoreFactory = () => Promise<ThreadStore> | ThreadStore;

export function threadStoreCases(name: string, factory: ThreadStoreFactory): void {
  describe(`${name} thread store`, () => {
    const opened: ThreadStore[] = [];
    const open = async () => {
      const store = await factory();
      opened.push(store);
      return store;
    };
    after(async () => {
      for (const store of opened) await store.close();
    });

    it("creates an idle thread and reads it back, metadata and owner included", async () => {
      const store = await open();
      const created = await store.create({ threadId: "t-1", graphId: "chat", owner: "alice", metadata: { topic: "ice cream", n: 1 }, createdAt: 1000 });
      assert.deepEqual(created, { threadId: "t-1", graphId: "chat", owner: "alice", createdAt: 1000, updatedAt: 1000, metadata: { topic: "ice cream", n: 1 }, status: "idle" });
      assert.deepEqual(await store.get("t-1"), created);
      const anonymous = await store.create({ threadId: "t-2", graphId: "chat" });
      assert.equal(anonymous.owner, undefined);
      assert.deepEqual(anonymous.metadata, {});
      assert.equal(await store.get("nope"), undefined);
    });

    it("refuses a taken id with ThreadExistsError and keeps the first", async () => {
      const store = await open();
      await store.create({ threadId: "t-1", graphId: "chat" });
      await assert.rejects(store.create({ threadId: "t-1", graphId: "joke" }), ThreadExistsError);
      assert.equal((await store.get("t-1"))!.graphId, "chat");
    });

    it("sets status and updatedAt, touches, and says false for an unknown thread", async () => {
      const store = await open();
      await store.create({ threadId: "t-1", graphId: "chat", createdAt: 1000 });
      assert.equal(await store.setStatus("t-1", "busy", 2000), true);
      assert.deepEqual([(await store.get("t-1"))!.status, (await store.get("t-1"))!.updatedAt], ["busy", 2000]);
      assert.equal(await store.touch("t-1", 3000), true);
      assert.deepEqual([(await store.get("t-1"))!.status, (await store.get("t-1"))!.updatedAt, (await store.get("t-1"))!.createdAt], ["busy", 3000, 1000]);
      assert.equal(await store.setStatus("nope", "idle"), false);
      assert.equal(await store.touch("nope"), false);
    });

    it("lists newest first, filtered by graph, status and owner, with limit and offset", async () => {
      const store = await open();
      for (let i = 1; i <= 6; i++) {
        await store.create({ threadId: `t-${i}`, graphId: i % 2 ? "chat" : "joke", owner: i <= 3 ? "alice" : "bob", createdAt: 1000 });
      }
      await store.setStatus("t-5", "interrupted");
      const ids = async (query: Parameters<ThreadStore["list"]>[0]) => (await store.list(query)).map((t) => t.threadId);
      assert.deepEqual(await ids({ limit: 10 }), ["t-6", "t-5", "t-4", "t-3", "t-2", "t-1"], "same createdAt: creation order decides");
      assert.deepEqual(await ids({ limit: 2 }), ["t-6", "t-5"]);
      assert.deepEqual(await ids({ limit: 2, offset: 2 }), ["t-4", "t-3"]);
      assert.deepEqual(await ids({ limit: 10, graphId: "chat" }), ["t-5", "t-3", "t-1"]);
      assert.deepEqual(await ids({ limit: 10, status: "interrupted" }), ["t-5"]);
      assert.deepEqual(await ids({ limit: 10, owner: "alice", graphId: "joke" }), ["t-2"]);
      assert.deepEqual(await ids({ limit: 10, owner: "carol" }), []);
    });

    it("deletes: gone from get and list; the id can be used again, and lists as the newest", async () => {
      const store = await open();
      await store.create({ threadId: "t-1", graphId: "chat" });
      await store.create({ threadId: "t-2", graphId: "chat" });
      assert.equal(await store.delete("t-1"), true);
      assert.equal(await store.delete("t-1"), false);
      assert.equal(await store.get("t-1"), undefined);
      assert.deepEqual((await store.list({ limit: 10 })).map((t) => t.threadId), ["t-2"]);
      await store.create({ threadId: "t-1", graphId: "joke" });
      assert.deepEqual((await store.list({ limit: 10 })).map((t) => t.threadId), ["t-1", "t-2"]);
      assert.equal((await store.get("t-1"))!.graphId, "joke");
    });

    it("counts, and lists the oldest with given statuses, oldest first", async () => {
      const store = await open();
      assert.equal(await store.count(), 0);
      for (let i = 1; i <= 5; i++) await store.create({ threadId: `t-${i}`, graphId: "chat" });
      await store.setStatus("t-1", "busy");
      await store.setStatus("t-2", "error");
      await store.setStatus("t-3", "interrupted");
      await store.delete("t-4");
      assert.equal(await store.count(), 4);
      assert.deepEqual((await store.oldest(10, ["idle", "error"])).map((t) => t.threadId), ["t-2", "t-5"]);
      assert.deepEqual((await store.oldest(1, ["idle", "error"])).map((t) => t.threadId), ["t-2"]);
      assert.deepEqual((await store.oldest(10, ["busy", "interrupted"])).map((t) => t.threadId), ["t-1", "t-3"]);
    });

    it("returns copies: changing a returned record changes nothing stored", async () => {
      const store = await open();
      const created = await store.create({ threadId: "t-1", graphId: "chat", metadata: { a: 1 } });
      created.metadata.a = 2;
      created.status = "error";
      const read = (await store.get("t-1"))!;
      assert.deepEqual([read.metadata, read.status], [{ a: 1 }, "idle"]);
    });
  });
}
