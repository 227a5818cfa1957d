// With no OPENAI_* settings and no run server, ChatOpenAI starts the offline model in-process, once, and
// the script still exits by itself when done (the server is unref'd).
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { test } from "node:test";
import { promisify } from "node:util";
import { startOfflineModelServer } from "../offline";

const run = promisify(execFile);

const script = fileURLToPath(new URL("./fixtures/plainScript.ts", import.meta.url));
const { OPENAI_API_KEY: _key, OPENAI_BASE_URL: _url, OPENAI_MODEL: _model, ...cleanEnv } = process.env;

test("a plain script gets answers from the offline model and exits on its own", async () => {
  const env = { ...cleanEnv, RILL_OFFLINE_DELAY_MS: "0" };
  // A hang (the server keeping the process alive) fails through the timeout.
  const { stdout } = await run(process.execPath, ["--import", "tsx", script], { env, timeout: 30_000 });
  const result = JSON.parse(stdout.trim().split("\n").at(-1) as string);
  assert.equal(result.content, 'Why did the cat sit on the ice cream cone?\n\nBecause it wanted to be a "purr-fect" scoop! 🍦🐱');
  assert.equal(result.model, "rill-offline");
  assert.equal(result.label, "rill-offline (Rill's offline model)");
  assert.match(result.url, /^http:\/\/127\.0\.0\.1:\d+\/v1$/);
  assert.equal(result.hello[0], result.hello[1]);
  assert.match(result.hello[0], /offline model/);
  assert.equal(result.streamed, "Why did the coffee file a police report?\n\nIt got mugged! ☕");
});

test("the same script talks to an OpenAI-compatible server when OPENAI_BASE_URL and OPENAI_MODEL are set", async () => {
  const requestedModels: string[] = [];
  const provider = await startOfflineModelServer({ delayMs: 0, onStreamEnd: (outcome) => requestedModels.push(outcome.model) });
  try {
    const env = { ...cleanEnv, OPENAI_BASE_URL: provider.url, OPENAI_MODEL: "llama3.2" };
    const { stdout } = await run(process.execPath, ["--import", "tsx", script], { env, timeout: 30_000 });
    const result = JSON.parse(stdout.trim().split("\n").at(-1) as string);
    assert.equal(result.model, "llama3.2");
    assert.equal(result.label, `llama3.2 at ${provider.url.replace("http://", "")}`);
    assert.equal(result.url, undefined, "no offline server was started");
    assert.deepEqual(requestedModels, ["llama3.2"], "the streamed request went to the configured server");
  } finally {
    await provider.close();
  }
});
