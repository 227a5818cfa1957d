// LangGraph's custom auth: a module exporting an Auth from @langchain/langgraph-sdk/auth, loaded from a
// file (RILL_AUTH_PATH or createRillServer's `auth`), gives each request its identity.
import assert from "node:assert/strict";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, it } from "node:test";
import { createTRPCClient, createWSClient, wsLink } from "@trpc/client";
import { WebSocket } from "ws";
import type { AppRouter } from "../router";
import { collect, errorCode, runIdOf, startServer, type TestClient, type TestServer } from "../test/harness";
import { AuthModuleError, langGraphAuthHandler, loadAuthHandler, splitAuthPath } from "./langGraphAuth";

const here = path.dirname(fileURLToPath(import.meta.url));
const fixture = path.join(here, "test", "headerAuth.ts");

/** A tRPC WebSocket client whose connectionParams are `params` (each becomes a header for the auth module). */
function connectWith(server: { wsUrl: string }, params: Record<string, string> | null): TestClient {
  const wsClient = createWSClient({
    url: server.wsUrl,
    WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
    retryDelayMs: () => 5,
    ...(params ? { connectionParams: params } : {}),
  });
  const trpc = createTRPCClient<AppRouter>({ links: [wsLink({ client: wsClient })] });
  return { trpc, wsClient, socket: () => null, close: () => wsClient.close() };
}

describe("a LangGraph auth module from RILL_AUTH_PATH", () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({
      env: { ...process.env, RILL_AUTH_PATH: `${path.relative(process.cwd(), fixture)}:auth`, OPENAI_API_KEY: "", OPENAI_BASE_URL: "", RILL_OFFLINE_DELAY_MS: "0" },
    });
  });
  after(async () => {
    await server.close();
  });

  it("maps the x-user header (a connectionParam on the WebSocket) to the identity that owns the run", async () => {
    const alice = connectWith(server, { "x-user": "alice" });
    const bob = connectWith(server, { "x-user": "bob" });
    const { events, error } = await collect(alice, { graphId: "joke", input: { topic: "x" }, streamMode: ["updates"] });
    assert.equal(error, undefined);
    const runId = runIdOf(events);
    assert.equal((await server.runs.get(runId))?.owner, "alice");
    assert.equal(errorCode(await bob.trpc.runs.get.query({ runId }).catch((e: unknown) => e)), "NOT_FOUND");
    assert.deepEqual((await bob.trpc.runs.list.query()).map((r) => r.runId), []);
    assert.deepEqual((await alice.trpc.runs.list.query()).map((r) => r.runId), [runId]);
    await Promise.all([alice.close(), bob.close()]);
  });

  it("its HTTPException reaches the client: 401 without the header, 403 for a blocked user, with its message", async () => {
    const nobody = connectWith(server, null);
    const denied = await collect(nobody, { graphId: "joke", input: { topic: "x" } });
    assert.equal(errorCode(denied.error), "UNAUTHORIZED");
    assert.equal(denied.error!.message, "send x-user");
    const blocked = connectWith(server, { "x-user": "blocked" });
    const refused = await collect(blocked, { graphId: "joke", input: { topic: "x" } });
    assert.equal(errorCode(refused.error), "FORBIDDEN");
    assert.equal(refused.error!.message, "user blocked is not allowed here");
    assert.equal((await server.runs.list({ owner: "blocked" })).length, 0);

    assert.equal((await fetch(`${server.url}/api/trpc/runs.list`)).status, 401);
    assert.equal((await fetch(`${server.url}/api/trpc/runs.list`, { headers: { "x-user": "blocked" } })).status, 403);
    const carol = await fetch(`${server.url}/api/trpc/runs.list`, { headers: { "x-user": "carol" } });
    assert.equal(carol.status, 200);
    assert.deepEqual(((await carol.json()) as { result: { data: unknown[] } }).result.data, []);
    await Promise.all([nobody.close(), blocked.close()]);
  });

  it("system.info says auth is required", async () => {
    const alice = connectWith(server, { "x-user": "alice" });
    assert.equal((await alice.trpc.system.info.query()).authRequired, true);
    await alice.close();
  });
});

describe("loading an auth module", () => {
  it("takes the default export when the path names none, relative to the working directory", async () => {
    const handler = await loadAuthHandler(path.relative(process.cwd(), fixture));
    const outcome = await handler.identify({ req: { headers: {}, url: "/", method: "GET" } as never, connectionParams: null });
    assert.deepEqual(outcome, { identity: "default-export-user" });
  });

  it("createRillServer's auth option takes a path too", async () => {
    const server = await startServer({ auth: `${fixture}:auth` });
    try {
      const ok = await fetch(`${server.url}/api/trpc/graphs.list`, { headers: { "x-user": "dana" } });
      assert.equal(ok.status, 200);
    } finally {
      await server.close();
    }
  });

  it("names the file and the export when something is wrong", async () => {
    await assert.rejects(loadAuthHandler(path.join(here, "test", "missing.ts")), (e: Error) => e instanceof AuthModuleError && /missing\.ts could not be loaded/.test(e.message));
    await assert.rejects(loadAuthHandler(`${fixture}:nope`), /headerAuth\.ts has no export "nope" \(its exports: auth, default, notAuth, silent\)/);
    await assert.rejects(loadAuthHandler(`${fixture}:notAuth`), /headerAuth\.ts:notAuth is not an Auth instance from @langchain\/langgraph-sdk\/auth/);
  });

  it("a handler that never answers is refused after its timeout, naming it", async () => {
    const { silent } = (await import("./test/headerAuth")) as { silent: unknown };
    const handler = langGraphAuthHandler(silent, "headerAuth.ts:silent", { timeoutMs: 20 });
    const outcome = await handler.identify({ req: { headers: {}, url: "/", method: "GET" } as never, connectionParams: null });
    assert.deepEqual(outcome, { failure: { code: "INTERNAL_SERVER_ERROR", message: "the auth handler of headerAuth.ts:silent did not answer within 20 ms" } });
  });

  it("refuses RILL_TOKEN and a module together", async () => {
    await assert.rejects(startServer({ auth: `${fixture}:auth`, config: { token: "s" } }), /both RILL_TOKEN and an auth module/);
  });

  it("splits path:export like langgraph.json", () => {
    assert.deepEqual(splitAuthPath("./src/auth.ts:auth"), { file: "./src/auth.ts", exportName: "auth" });
    assert.deepEqual(splitAuthPath("./src/auth.ts"), { file: "./src/auth.ts", exportName: "default" });
    assert.deepEqual(splitAuthPath("C:\\proj\\auth.ts"), { file: "C:\\proj\\auth.ts", exportName: "default" });
  });
});
