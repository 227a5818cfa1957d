// The README shows these examples' output; run them as a user would and check what they print.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { fileURLToPath } from "node:url";

const run = promisify(execFile);
const root = fileURLToPath(new URL("..", import.meta.url));
const tsx = fileURLToPath(new URL("../node_modules/tsx/dist/cli.mjs", import.meta.url));

async function runExample(file: string, env: Record<string, string> = {}): Promise<string> {
  const { stdout } = await run(process.execPath, [tsx, file], {
    cwd: root,
    env: { ...process.env, OPENAI_API_KEY: "", OPENAI_BASE_URL: "", ...env },
    timeout: 60_000,
  });
  return stdout;
}

test("examples/seed.ts prints the streaming guide's outputs", async () => {
  const out = await runExample("examples/seed.ts");
  const lines = out.split("\n");
  const after = (heading: string, count: number) => lines.slice(lines.indexOf(heading) + 1, lines.indexOf(heading) + 1 + count);
  assert.deepEqual(after('# streamMode: "values"', 3), [
    '{"topic":"ice cream"}',
    '{"topic":"ice cream and cats"}',
    '{"topic":"ice cream and cats","joke":"This is a joke about ice cream and cats"}',
  ]);
  assert.deepEqual(after('# streamMode: "updates"', 2), [
    '{"refine_topic":{"topic":"ice cream and cats"}}',
    '{"generate_joke":{"joke":"This is a joke about ice cream and cats"}}',
  ]);
  assert.deepEqual(after('# streamMode: "custom"', 1), ['{"custom_key":"Writing custom data while generating a joke"}']);
  assert.deepEqual(after('# streamMode: ["updates", "custom"]', 6), [
    "Stream mode: updates",
    '{"refine_topic":{"topic":"ice cream and cats"}}',
    "Stream mode: custom",
    '{"custom_key":"Writing custom data while generating a joke"}',
    "Stream mode: updates",
    '{"generate_joke":{"joke":"This is a joke about ice cream and cats"}}',
  ]);
  const debug = after('# streamMode: "debug"', 4).map((line) => JSON.parse(line));
  assert.deepEqual(
    debug.map((event) => [event.type, event.step, event.payload.name]),
    [["task", 1, "refine_topic"], ["task_result", 1, "refine_topic"], ["task", 2, "generate_joke"], ["task_result", 2, "generate_joke"]],
  );
  assert.deepEqual(after("# streamSync (the seed's synchronous tab)", 2), after('# streamMode: "updates"', 2));
});

test("examples/llmJoke.ts streams the offline model's tokens with the seed's metadata", async () => {
  const out = await runExample("examples/llmJoke.ts", { RILL_OFFLINE_DELAY_MS: "0" });
  const tokens = out.slice(0, out.lastIndexOf("|")).split("|");
  assert.ok(tokens.length > 10, `expected many tokens, got ${tokens.length}`);
  assert.match(tokens.join(""), /ice cream/);
  assert.match(out, /langgraph_node: 'generate_joke'/);
  assert.match(out, /langgraph_step: 2/);
  assert.match(out, /ls_provider: 'openai'/);
  assert.match(out, /ls_model_type: 'chat'/);
});

test("examples/client.ts streams a run from the real server with the typed client", async () => {
  const { createRillServer } = await import("../server/rillServer");
  const { replayInBatches, streamJoke } = await import("./client");
  const server = await createRillServer({ next: false, config: { port: 0, logLevel: "silent", storage: { kind: "memory", dataDir: "", databaseUrl: undefined } }, env: { RILL_OFFLINE_DELAY_MS: "0" } });
  try {
    const lines: string[] = [];
    await streamJoke(server.wsUrl, (line) => lines.push(line));
    const events = lines.map((line) => line.split(" ").slice(1, 2)[0]);
    assert.equal(events[0], "metadata");
    assert.deepEqual(
      lines.filter((line) => / (updates|custom) /.test(line)).map((line) => line.replace(/^\S+ /, "")),
      [
        'updates {"refine_topic":{"topic":"ice cream and cats"}}',
        'custom {"custom_key":"Writing custom data while generating a joke"}',
        'updates {"generate_joke":{"joke":"This is a joke about ice cream and cats"}}',
      ],
    );
    assert.match(lines[0]!, /^[^ ]+:\d+ metadata /, "event ids are <runId>:<seq>");
    const replayed: string[] = [];
    await replayInBatches(server.wsUrl, lines[0]!.slice(0, lines[0]!.indexOf(":")), (line) => replayed.push(line));
    assert.deepEqual(replayed, lines, "the same events under the same ids, in batches");
  } finally {
    await server.close();
  }
});

test("examples/client.ts holds a multi-turn chat on one thread", async () => {
  const { createRillServer } = await import("../server/rillServer");
  const { chat } = await import("./client");
  const server = await createRillServer({ next: false, config: { port: 0, logLevel: "silent", storage: { kind: "memory", dataDir: "", databaseUrl: undefined } }, env: { RILL_OFFLINE_DELAY_MS: "0" } });
  try {
    const lines: string[] = [];
    const threadId = await chat(server.wsUrl, ["Hello!", "Tell me a joke about cats"], (line) => lines.push(line));
    assert.deepEqual(lines.slice(0, 4).map((line) => line.split(":")[0]), ["human", "ai", "human", "ai"]);
    assert.equal(lines[0], "human: Hello!");
    assert.equal(lines[2], "human: Tell me a joke about cats");
    assert.equal(lines[4], `thread ${threadId}: 6 checkpoints`);
  } finally {
    await server.close();
  }
});
