// Optional shared-secret auth (RILL_TOKEN) and the browser Origin check.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { request } from "node:http";
import { WebSocket } from "ws";
import { checksHost } from "./access";
import { loadConfig } from "./config";
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
    assert.equal((await server.runs.list()).length, 0);
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

/** A raw request with the Host (and Origin) a browser on a rebound name would send; resolves status and body. */
function requestAs(server: { port: number }, host: string, options: { path?: string; method?: string; upgrade?: boolean; body?: string } = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { host, origin: `http://${host}` };
    if (options.upgrade) Object.assign(headers, { connection: "Upgrade", upgrade: "websocket", "sec-websocket-version": "13", "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==" });
    if (options.body !== undefined) headers["content-type"] = "application/json";
    const req = request({ host: "127.0.0.1", port: server.port, path: options.path ?? "/api/trpc/runs.list", method: options.method ?? "GET", headers });
    req.once("upgrade", (res, socket) => {
      socket.destroy();
      resolve({ status: res.statusCode ?? 0, body: "" });
    });
    req.once("response", (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => {
        let message = body;
        try {
          message = (JSON.parse(body) as { error: { message: string } }).error.message;
        } catch {
          // a plain-text answer (an upgrade's)
        }
        resolve({ status: res.statusCode ?? 0, body: message });
      });
    });
    req.once("error", reject);
    req.end(options.body);
  });
}

describe("Host check (DNS rebinding)", () => {
  let loopback: TestServer;
  let listedHosts: TestServer;
  let withToken: TestServer;
  before(async () => {
    loopback = await startServer();
    listedHosts = await startServer({ config: { allowedHosts: ["rill.example"] } });
    withToken = await startServer({ config: { token: "s3cret-token" } });
  });
  after(async () => {
    await Promise.all([loopback.close(), listedHosts.close(), withToken.close()]);
  });

  it("a loopback server without a token refuses another name with 403, for tRPC, /v1, other paths and upgrades, naming the Host and RILL_ALLOWED_HOSTS", async () => {
    const evil = `evil.example:${loopback.port}`;
    for (const [what, options] of [
      ["runs.list", {}],
      ["a start over HTTP", { path: "/api/trpc/runs.cancel", method: "POST", body: JSON.stringify({ runId: "run_whatever1" }) }],
      ["/v1", { path: "/v1/models" }],
      ["a page", { path: "/" }],
      ["the WebSocket", { upgrade: true }],
    ] as const) {
      const { status, body } = await requestAs(loopback, evil, options);
      assert.equal(status, 403, what);
      assert.match(body, /Host "evil\.example:\d+" is not a loopback name/, what);
      assert.match(body, /RILL_ALLOWED_HOSTS=evil\.example/, what);
    }
    assert.equal((await loopback.runs.list()).length, 0);
  });

  it("loopback names pass, with any port", async () => {
    for (const host of [`localhost:${loopback.port}`, `127.0.0.1:${loopback.port}`, `127.1.2.3:${loopback.port}`, `[::1]:${loopback.port}`, "LOCALHOST", "app.localhost:1"]) {
      const answer = await requestAs(loopback, host, { path: "/api/trpc/graphs.list" });
      assert.equal(answer.status, 200, `${host}: ${answer.body}`);
    }
    assert.equal((await requestAs(loopback, `localhost:${loopback.port}`, { upgrade: true })).status, 101);
    for (const host of ["127.0.0.1.evil.example", "localhost.evil.example", "127.0.0.1evil", "0x7f000001"]) {
      assert.equal((await requestAs(loopback, host, { path: "/api/trpc/graphs.list" })).status, 403, host);
    }
  });

  it("RILL_ALLOWED_HOSTS adds names", async () => {
    assert.equal((await requestAs(listedHosts, `rill.example:${listedHosts.port}`, { path: "/api/trpc/graphs.list" })).status, 200);
    assert.equal((await requestAs(listedHosts, `rill.example:${listedHosts.port}`, { upgrade: true })).status, 101);
    const other = await requestAs(listedHosts, "evil.example", { path: "/api/trpc/graphs.list" });
    assert.equal(other.status, 403);
    assert.match(other.body, /not in RILL_ALLOWED_HOSTS \(rill\.example\)/);
  });

  it("with a token, other names are not refused for their name (the token guards the server)", async () => {
    const { status } = await requestAs(withToken, `evil.example:${withToken.port}`, { path: "/api/trpc/graphs.list" });
    assert.equal(status, 401);
  });
});

describe("which servers check Host", () => {
  it("a loopback bind without auth does; another bind, auth, or RILL_ALLOWED_HOSTS=* does not; a list always does", () => {
    assert.equal(checksHost({ allowedHosts: undefined, bindHost: "127.0.0.1", authRequired: false }), true);
    assert.equal(checksHost({ allowedHosts: undefined, bindHost: "localhost", authRequired: false }), true);
    assert.equal(checksHost({ allowedHosts: undefined, bindHost: "::1", authRequired: false }), true);
    assert.equal(checksHost({ allowedHosts: undefined, bindHost: "0.0.0.0", authRequired: false }), false);
    assert.equal(checksHost({ allowedHosts: undefined, bindHost: "127.0.0.1", authRequired: true }), false);
    assert.equal(checksHost({ allowedHosts: "*", bindHost: "127.0.0.1", authRequired: false }), false);
    assert.equal(checksHost({ allowedHosts: ["rill.example"], bindHost: "0.0.0.0", authRequired: true }), true);
  });

  it("RILL_ALLOWED_HOSTS takes host names, not URLs or ports", () => {
    assert.deepEqual(loadConfig({ RILL_ALLOWED_HOSTS: "Rill.Example, box.lan" }).allowedHosts, ["rill.example", "box.lan"]);
    assert.equal(loadConfig({ RILL_ALLOWED_HOSTS: "*" }).allowedHosts, "*");
    assert.throws(() => loadConfig({ RILL_ALLOWED_HOSTS: "https://rill.example" }), /RILL_ALLOWED_HOSTS: "https:\/\/rill\.example" is not a host name/);
    assert.throws(() => loadConfig({ RILL_ALLOWED_HOSTS: "rill.example:3000" }), /no scheme, no port/);
  });
});
