// Frames that look like oversized batches (more "method" keys than RILL_MAX_BATCH_SIZE) but turn out
// otherwise once scanned: within the limit (served by tRPC as usual), malformed (a PARSE_ERROR naming
// what is wrong, the connection kept), without ids (one refusal, id null). The 10,000-call case and the
// second-frame close are in attack/limits.test.ts.
import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import { WebSocket } from "ws";
import { startServer, type TestServer } from "./test/harness";

interface Reply {
  id: number | string | null;
  result?: { data?: unknown };
  error?: { message: string; data?: { code?: string } };
}

async function rawSocket(server: TestServer) {
  const socket = new WebSocket(server.wsUrl);
  await new Promise((resolve) => socket.once("open", resolve));
  const replies: Reply[] = [];
  let waiter: { count: number; resolve: () => void } | null = null;
  socket.on("message", (data) => {
    replies.push(JSON.parse(String(data)) as Reply);
    if (waiter && replies.length >= waiter.count) waiter.resolve();
  });
  return {
    replies,
    send: (frame: string) => socket.send(frame),
    until: (count: number) =>
      new Promise<void>((resolve) => (replies.length >= count ? resolve() : (waiter = { count, resolve }))),
    close: () => socket.close(),
  };
}

const call = (id: number, input?: unknown) => ({ id, method: "query", params: { path: "system.info", ...(input === undefined ? {} : { input }) } });

// Each case has its own server: a refused frame closes the server-wide gate for nine times its work,
// and a case must not depend on how long the previous one's took.
describe("oversized batch frames, scanned", () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startServer();
  });
  afterEach(async () => {
    await server.close();
  });

  it("two calls whose inputs hold 200 \"method\" keys are within the limit: tRPC serves them", async () => {
    const raw = await rawSocket(server);
    const input = Array.from({ length: 100 }, () => ({ method: "query" }));
    raw.send(JSON.stringify([call(1, input), call(2, input)]));
    await raw.until(2);
    assert.deepEqual(raw.replies.map((r) => [r.id, r.error?.message]), [[1, undefined], [2, undefined]]);
    raw.close();
  });

  it("an unclosed array of 200 calls gets a PARSE_ERROR naming the problem, and the connection still answers", async () => {
    const raw = await rawSocket(server);
    const frame = JSON.stringify(Array.from({ length: 200 }, (_, i) => call(i + 1)));
    raw.send(frame.slice(0, -1));
    await raw.until(1);
    assert.equal(raw.replies[0]!.id, null);
    assert.equal(raw.replies[0]!.error?.data?.code, "PARSE_ERROR");
    assert.match(raw.replies[0]!.error!.message, /not a JSON array of requests: the array is not closed/);
    raw.send(JSON.stringify(call(500)));
    await raw.until(2);
    assert.equal(raw.replies[1]!.id, 500);
    assert.ok(raw.replies[1]!.result, "answered");
    raw.close();
  });

  it("200 calls without ids are refused once, with id null, naming the limit", async () => {
    const raw = await rawSocket(server);
    raw.send(JSON.stringify(Array.from({ length: 200 }, () => ({ method: "query", params: { path: "system.info" } }))));
    await raw.until(1);
    assert.equal(raw.replies[0]!.id, null);
    assert.match(raw.replies[0]!.error!.message, /a batch of 200 calls, over this server's limit of 100 calls/);
    raw.close();
  });

  it("two connections sending a 1,000-call frame at once both get every refusal: the second waits, paused, instead of being closed", async () => {
    const a = await rawSocket(server);
    const b = await rawSocket(server);
    const frame = (from: number) => JSON.stringify(Array.from({ length: 1_000 }, (_, i) => call(from + i)));
    a.send(frame(1));
    b.send(frame(5_001));
    await Promise.all([a.until(1_000), b.until(1_000)]);
    for (const [raw, from] of [[a, 1], [b, 5_001]] as const) {
      assert.deepEqual(raw.replies.map((r) => r.id), Array.from({ length: 1_000 }, (_, i) => from + i));
      assert.ok(raw.replies.every((r) => r.error?.data?.code === "BAD_REQUEST"));
    }
    a.close();
    b.close();
  });
});
