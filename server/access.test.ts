// Optional shared-secret auth (RILL_TOKEN) and the browser Origin check.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { WebSocket } from "ws";
import { collect, connect, errorCode, startServer, type TestServer } from "./test/harness";

function upgradeStatus(url: string, origin: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers: { origin } });
    socket.once("open", () => {
      socket.close();
      resolve(101);
    });
    socket.once("unexpected-response", (_req, res) => {
      resolve(res.statusCode ?? 0);
      socket.terminate();
    });
    socket.once("error", (error) => {
      if (!/Unexpected server response/.test(error.message)) reject(error);
    });
  });
}

describe("RILL_TOKEN", () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ config: { token: "s3cret-token" } });
  });
  after(async () => {
    await server.close();
  });

  it("a WebSocket client without the token gets UNAUTHORIZED on its call, naming how to send it", async () => {
    const client = connect(server);
    const { error } = await collect(client, { graphId: "joke", input: { topic: "x" } });
    assert.equal(errorCode(error), "UNAUTHORIZED");
    assert.match((error as Error).message, /RILL_TOKEN: send it as connectionParams \{ token \}/);
    const wrong = connect(server, { token: "guess" });
    assert.equal(errorCode((await collect(wrong, { graphId: "joke", input: { topic: "x" } })).error), "UNAUTHORIZED");
    assert.equal(server.runs.list().length, 0);
    await Promise.all([client.close(), wrong.close()]);
  });

  it("a WebSocket client with the token runs graphs", async () => {
    const client = connect(server, { token: "s3cret-token" });
    const { events, error } = await collect(client, { graphId: "joke", input: { topic: "x" }, streamMode: ["updates"] });
    assert.equal(error, undefined);
    assert.deepEqual(events.at(-1)!.data, ["status", { status: "done" }]);
    await client.close();
  });

  it("HTTP needs Authorization: Bearer", async () => {
    const denied = await fetch(`${server.url}/api/trpc/graphs.list`);
    assert.equal(denied.status, 401);
    const allowed = await fetch(`${server.url}/api/trpc/graphs.list`, { headers: { authorization: "Bearer s3cret-token" } });
    assert.equal(allowed.status, 200);
  });
});

describe("Origin check", () => {
  let sameOrigin: TestServer;
  let listed: TestServer;
  before(async () => {
    sameOrigin = await startServer();
    listed = await startServer({ config: { allowedOrigins: ["https://rill.example"] } });
  });
  after(async () => {
    await Promise.all([sameOrigin.close(), listed.close()]);
  });

  it("by default a browser may connect only from the server's own origin", async () => {
    assert.equal(await upgradeStatus(sameOrigin.wsUrl, sameOrigin.url), 101);
    assert.equal(await upgradeStatus(sameOrigin.wsUrl, "https://evil.example"), 403);
    const post = await fetch(`${sameOrigin.url}/api/trpc/runs.cancel`, {
      method: "POST",
      headers: { origin: "https://evil.example", "content-type": "application/json" },
      body: JSON.stringify({ runId: "run_whatever1" }),
    });
    assert.equal(post.status, 403);
    assert.match(((await post.json()) as { error: { message: string } }).error.message, /set RILL_ALLOWED_ORIGINS to allow it/);
  });

  it("RILL_ALLOWED_ORIGINS lists the origins allowed instead", async () => {
    assert.equal(await upgradeStatus(listed.wsUrl, "https://rill.example"), 101);
    assert.equal(await upgradeStatus(listed.wsUrl, listed.url), 403);
  });

  it("clients that send no Origin (CLI, scripts) are not browsers and pass", async () => {
    const client = connect(sameOrigin);
    assert.ok((await client.trpc.graphs.list.query()).length > 0);
    await client.close();
  });
});
