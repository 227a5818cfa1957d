// The CLI as users run it (a child process, over a real WebSocket): seed-style output, exit codes.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, it } from "node:test";
import { startServer, type TestServer } from "../test/harness";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "server/cli/stream.ts", ...args], { cwd: root, env: { ...process.env, RILL_TOKEN: "" } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("npm run stream", () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(async () => {
    await server.close();
  });

  it("prints several modes as the seed does, metadata and status on stderr", async () => {
    const { code, stdout, stderr } = await runCli(["joke", "--mode", "updates", "--mode", "custom", "--input", '{"topic":"ice cream"}', "--url", server.url]);
    assert.equal(code, 0, stderr);
    assert.equal(
      stdout,
      [
        "Stream mode: updates",
        '{"refine_topic":{"topic":"ice cream and cats"}}',
        "",
        "",
        "Stream mode: custom",
        '{"custom_key":"Writing custom data while generating a joke"}',
        "",
        "",
        "Stream mode: updates",
        '{"generate_joke":{"joke":"This is a joke about ice cream and cats"}}',
        "",
        "",
        "",
      ].join("\n"),
    );
    assert.match(stderr, /^run run_\w+ of graph joke on thread [0-9a-f-]{36} \(modes: updates, custom\)\nstatus: done\n$/);
  });

  it("--thread runs the next turn on a thread, continuing its state", async () => {
    const first = await runCli(["joke", "--mode", "updates", "--input", '{"topic":"ice cream"}', "--url", server.url]);
    assert.equal(first.code, 0, first.stderr);
    const threadId = /on thread ([0-9a-f-]{36})/.exec(first.stderr)![1]!;
    const second = await runCli(["joke", "--mode", "values", "--input", '{"topic":"tea"}', "--thread", threadId, "--strategy", "enqueue", "--url", server.url]);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stderr, new RegExp(`on thread ${threadId} `));
    assert.equal(second.stdout.split("\n")[0], '{"topic":"tea","joke":"This is a joke about ice cream and cats"}', "the thread's joke is still there when the next turn starts");
    const bad = await runCli(["joke", "--checkpoint", "abc", "--url", server.url]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--checkpoint needs --thread/);
  });

  it("prints bare chunks with one mode, and joins a finished run with --run", async () => {
    const first = await runCli(["joke", "--mode", "values", "--input", '{"topic":"ice cream"}', "--url", server.wsUrl]);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(
      first.stdout,
      '{"topic":"ice cream"}\n{"topic":"ice cream and cats"}\n{"topic":"ice cream and cats","joke":"This is a joke about ice cream and cats"}\n',
    );
    const runId = /run (run_\w+)/.exec(first.stderr)![1]!;
    const joined = await runCli(["--run", runId, "--url", server.url]);
    assert.equal(joined.code, 0);
    assert.equal(joined.stdout, first.stdout);
  });

  it("exits 1 when the run fails, 2 when the request is refused", async () => {
    const failed = await runCli(["failing-node", "--mode", "updates", "--url", server.url]);
    assert.equal(failed.code, 1);
    assert.match(failed.stderr, /error: Error: boom in generate_joke/);
    const refused = await runCli(["jokes", "--input", "{}", "--url", server.url]);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /NOT_FOUND: unknown graph "jokes"/);
  });
});
