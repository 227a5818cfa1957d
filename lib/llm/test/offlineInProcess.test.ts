// With no OPENAI_* settings and no run server, ChatOpenAI starts the offline model in-process, once, and
// the script still exits by itself when done (the server is unref'd).
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { test } from "node:test";
import { promisify } from "node:util";

const run = promisify(execFile);

test("a plain script gets answers from the offline model and exits on its own", async () => {
  const script = fileURLToPath(new URL("./fixtures/plainScript.ts", import.meta.url));
  const { OPENAI_API_KEY: _key, OPENAI_BASE_URL: _url, OPENAI_MODEL: _model, ...rest } = process.env;
  const env = { ...rest, RILL_OFFLINE_DELAY_MS: "0" };
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
