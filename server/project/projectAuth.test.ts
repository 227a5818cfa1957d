// langgraph.json's `auth.path`: the project's LangGraph custom-auth module guards the server it is served by.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { startServer, type TestServer } from "../test/harness";
import { readProjectConfig } from "./projectConfig";

const here = path.dirname(fileURLToPath(import.meta.url));

describe("a project whose langgraph.json names auth.path", () => {
  let dir: string;
  let server: TestServer;
  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "rill-project-auth-"));
    writeFileSync(
      path.join(dir, "langgraph.json"),
      JSON.stringify({
        graphs: { joke: path.join(here, "../../examples/user-project/src/joke.ts:graph") },
        auth: { path: path.join(here, "../auth/test/headerAuth.ts:auth") },
      }),
    );
    server = await startServer({ project: readProjectConfig(path.join(dir, "langgraph.json")) });
  });
  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("asks the module who each client is: 401 without its header, the identity's own runs with it", async () => {
    assert.equal(server.authSource?.endsWith("headerAuth.ts:auth"), true);
    assert.equal((await fetch(`${server.url}/api/trpc/runs.list`)).status, 401);
    const carol = await fetch(`${server.url}/api/trpc/runs.list`, { headers: { "x-user": "carol" } });
    assert.equal(carol.status, 200);
    assert.deepEqual(((await carol.json()) as { result: { data: unknown[] } }).result.data, []);
  });
});
