// Bad input and load: each mistake gets a clear tRPC error (right code; the message names the field,
// the limit or the graph), and nothing else is affected — the connection, other runs, the server.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { WebSocket } from "ws";
import { collect, connect, deferred, errorCode, startServer, type TestClient, type TestServer } from "./test/harness";

async function rejection(promise: Promise<{ error?: unknown }>): Promise<{ code: string | undefined; message: string }> {
  const { error } = await promise;
  assert.ok(error, "expected an error");
  return { code: errorCode(error), message: (error as Error).message };
}

describe("bad input and limits", () => {
  let server: TestServer;
  let client: TestClient;
  before(async () => {
    server = await startServer({
      config: { maxRuns: 3, maxRunsPerClient: 2, maxInputBytes: 8 * 1024, maxMessageBytes: 16 * 1024 },
    });
    client = connect(server);
  });
  after(async () => {
    await client.close();
    await server.close();
  });

  it("an unknown graph: NOT_FOUND naming it and the graphs there are", async () => {
    const { code, message } = await rejection(collect(client, { graphId: "jokes", input: { topic: "x" } }));
    assert.equal(code, "NOT_FOUND");
    assert.match(message, /^unknown graph "jokes"; this server runs: joke, llm-joke, /);
  });

  it("a bad input: BAD_REQUEST naming the graph and the field", async () => {
    const wrongType = await rejection(collect(client, { graphId: "joke", input: { topic: 3 } }));
    assert.equal(wrongType.code, "BAD_REQUEST");
    assert.equal(wrongType.message, 'graph "joke": input.topic: Invalid input: expected string, received number');
    const extraKey = await rejection(collect(client, { graphId: "joke", input: { topik: "x" } }));
    assert.match(extraKey.message, /graph "joke": input.topic: .*expected string.*; input: Unrecognized key: "topik"/);
    const range = await rejection(collect(client, { graphId: "refine-loop", input: { topic: "x", rounds: 99 } }));
    assert.match(range.message, /^graph "refine-loop": input\.rounds: Too big: expected number to be <=20/);
    assert.equal(server.runs.list().length, 0, "no run was started");
  });

  it("a bad request shape: BAD_REQUEST naming the field", async () => {
    const mode = await rejection(collect(client, { graphId: "joke", input: { topic: "x" }, streamMode: ["updatez" as "updates"] }));
    assert.equal(mode.code, "BAD_REQUEST");
    assert.match(mode.message, /^runs\.stream: streamMode\.0: Invalid option/);
    const twice = await rejection(collect(client, { graphId: "joke", input: { topic: "x" }, streamMode: ["updates", "updates"] }));
    assert.match(twice.message, /streamMode: lists a mode twice/);
    const thread = await rejection(
      collect(client, { graphId: "joke", input: { topic: "x" }, config: { configurable: { thread_id: "mine" } } }),
    );
    assert.match(thread.message, /config\.configurable: thread_id is set by the server: give threadId/);
    const runId = await rejection(collect(client, { runId: "a:b" }));
    assert.match(runId.message, /^runs\.stream: runId: must be 8 to 64 letters/);
    const recursion = await rejection(collect(client, { graphId: "joke", input: { topic: "x" }, config: { recursionLimit: 5000 } }));
    assert.match(recursion.message, /config\.recursionLimit: 5000 is above this server's limit of 1000 \(RILL_MAX_RECURSION_LIMIT\)/);
  });

  it("an input over RILL_MAX_INPUT_BYTES: PAYLOAD_TOO_LARGE naming the limit", async () => {
    const { code, message } = await rejection(collect(client, { graphId: "joke", input: { topic: "x".repeat(10 * 1024) } }));
    assert.equal(code, "PAYLOAD_TOO_LARGE");
    assert.match(message, /^input is \d+ characters of JSON; this server's limit is 8192 \(RILL_MAX_INPUT_BYTES\)$/);
  });

  it("a message over RILL_MAX_MESSAGE_BYTES: PAYLOAD_TOO_LARGE, and the connection and a run on it carry on", async () => {
    const midRun = deferred();
    const running = collect(client, { graphId: "ticker", input: { count: 2000, every: 20, delayMs: 1 }, streamMode: ["custom"] }, (_e, all) => {
      if (all.length === 10) midRun.resolve();
    });
    await midRun.promise;
    const big = await rejection(collect(client, { graphId: "joke", input: { topic: "x".repeat(40 * 1024) } }));
    assert.equal(big.code, "PAYLOAD_TOO_LARGE");
    assert.match(big.message, /^message of \d+ bytes is over this server's limit of 16384 \(RILL_MAX_MESSAGE_BYTES\)$/);
    const { events, error } = await running;
    assert.equal(error, undefined);
    assert.equal(events.length, 1 + 2000 + 1, "the run on the same connection lost nothing");
    const after = await collect(client, { graphId: "joke", input: { topic: "y" }, streamMode: ["updates"] });
    assert.equal(after.error, undefined, "the same connection still serves");
  });

  it("a frame far over the limit closes only that connection (1009); the server stays up", async () => {
    const raw = new WebSocket(server.wsUrl);
    await new Promise((resolve) => raw.once("open", resolve));
    const closed = new Promise<number>((resolve) => raw.once("close", (code) => resolve(code)));
    raw.send("x".repeat(100 * 1024));
    assert.equal(await closed, 1009);
    const { error } = await collect(client, { graphId: "joke", input: { topic: "z" }, streamMode: ["updates"] });
    assert.equal(error, undefined);
  });

  it("garbage on the socket gets a parse error and the connection stays usable", async () => {
    const raw = new WebSocket(server.wsUrl);
    await new Promise((resolve) => raw.once("open", resolve));
    const reply = new Promise<string>((resolve) => raw.once("message", (data) => resolve(String(data))));
    raw.send("{ not json");
    const parsed = JSON.parse(await reply) as { error: { data: { code: string } } };
    assert.equal(parsed.error.data.code, "PARSE_ERROR");
    assert.equal(raw.readyState, WebSocket.OPEN);
    raw.close();
  });

  it("too many runs on one client (connection), then in total: TOO_MANY_REQUESTS naming the limit; running runs unaffected", async () => {
    const a = connect(server);
    const b = connect(server);
    const long = { graphId: "ticker", input: { count: 3000, every: 20, delayMs: 1 }, streamMode: ["custom" as const] };
    const started: Array<Promise<{ events: unknown[]; error?: unknown }>> = [];
    const startOne = (c: TestClient) => {
      const first = deferred();
      started.push(collect(c, long, (_e, all) => (all.length === 1 ? first.resolve() : undefined)));
      return first.promise;
    };
    await startOne(a);
    await startOne(a);
    const perConnection = await rejection(collect(a, long));
    assert.equal(perConnection.code, "TOO_MANY_REQUESTS");
    assert.match(perConnection.message, /this client has 2 runs running, the limit per client \(RILL_MAX_RUNS_PER_CLIENT=2\)/);
    await startOne(b);
    const total = await rejection(collect(b, long));
    assert.equal(total.code, "TOO_MANY_REQUESTS");
    assert.match(total.message, /^3 runs are running, this server's limit \(RILL_MAX_RUNS=3\)/);
    const results = await Promise.all(started);
    for (const result of results) {
      assert.equal(result.error, undefined);
      assert.equal(result.events.length, 1 + 3000 + 1, "every admitted run finished whole");
    }
    const again = await collect(a, { graphId: "joke", input: { topic: "x" }, streamMode: ["updates"] });
    assert.equal(again.error, undefined, "slots free up when runs end");
    await Promise.all([a.close(), b.close()]);
  });

  it("a late joiner whose events were evicted gets PRECONDITION_FAILED naming the limits, not a silent gap", async () => {
    const small = await startServer({ config: { storeMaxEventsPerRun: 50 } });
    const c = connect(small);
    const first = await collect(c, { graphId: "ticker", input: { count: 200, every: 1 }, streamMode: ["custom"] });
    assert.equal(first.error, undefined, "a subscriber that keeps up sees every event");
    assert.equal(first.events.length, 202);
    const runId = (first.events[0]!.data[1] as { run_id: string }).run_id;
    const late = await collect(c, { runId });
    assert.equal(errorCode(late.error), "PRECONDITION_FAILED");
    assert.match(late.error!.message, /events 1\.\.151 were evicted from the run log \(limits: RILL_STORE_MAX_EVENTS_PER_RUN/);
    assert.deepEqual(late.events.map((e) => e.data[0]), ["metadata"], "only the metadata came before the error");
    const tail = await collect(c, { runId, lastEventId: `${runId}:160` });
    assert.equal(tail.error, undefined);
    assert.equal(tail.events.length, 201 - 160);
    await c.close();
    await small.close();
  });

  it("HTTP calls validate too, and name the field", async () => {
    const response = await fetch(`${server.url}/api/trpc/runs.cancel`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ runId: 42 }),
    });
    assert.equal(response.status, 400);
    const body = (await response.json()) as { error: { message: string; data: { code: string } } };
    assert.equal(body.error.data.code, "BAD_REQUEST");
    assert.match(body.error.message, /^runs\.cancel: runId: Invalid input: expected string/);
    const list = await fetch(`${server.url}/api/trpc/runs.list`);
    assert.equal(list.status, 200);
  });
});
