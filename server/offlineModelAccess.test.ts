// The offline model's /v1 routes on the real run server: behind RILL_TOKEN and the Origin check like tRPC
// (with Rill's own runs still reaching it), JSON bodies only, a bounded number of streams, a 400 for a path
// that is not valid percent-encoding, and streams in flight ended with an error event at shutdown. The
// openai client where it applies, raw HTTP for what it cannot send.
import assert from "node:assert/strict";
import { request } from "node:http";
import { after, before, describe, it } from "node:test";
import OpenAI, { APIError, AuthenticationError, RateLimitError } from "openai";
import { tokenize, type StreamOutcome } from "../lib/llm";
import { ConfigError, loadConfig } from "./config";
import { collect, connect, deferred, startServer, tuples, type TestServer } from "./test/harness";

const PROMPT = [{ role: "user" as const, content: "Generate a joke about ice cream and cats" }];
const JOKE = 'Why did the cat sit on the ice cream cone?\n\nBecause it wanted to be a "purr-fect" scoop! 🍦🐱';
/** Paces a stream at the slowest allowed (1 s a token), so it is still running when a test acts on it. */
const SLOW = { headers: { "x-rill-offline-delay-ms": "1000" } };

function openai(server: TestServer, apiKey = "no-key"): OpenAI {
  return new OpenAI({ baseURL: `${server.url}/v1`, apiKey, maxRetries: 0 });
}

interface RawResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** How the response ended: "end" (complete) or "aborted"/"error" (cut). */
  ending: string;
}

/** One raw HTTP request (Node's client sends exactly what it is given: any path, any headers). */
function raw(server: TestServer, path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}, onData?: (body: string) => void): Promise<RawResult> {
  return new Promise((resolve, reject) => {
    const req = request(`${server.url}${path}`, { method: options.method ?? (options.body === undefined ? "GET" : "POST"), headers: options.headers }, (res) => {
      let body = "";
      const done = (ending: string) => resolve({ status: res.statusCode ?? 0, headers: res.headers, body, ending });
      res.setEncoding("utf8");
      res.on("data", (part: string) => {
        body += part;
        onData?.(body);
      });
      res.on("end", () => done("end"));
      res.on("aborted", () => done("aborted"));
      res.on("error", () => done("error"));
    });
    req.on("error", reject);
    req.end(options.body);
  });
}

const completionBody = (extra: object = {}) => JSON.stringify({ model: "rill-offline", messages: PROMPT, ...extra });

describe("/v1 with RILL_TOKEN set", () => {
  const token = "v1-s3cret";
  let server: TestServer;
  before(async () => {
    server = await startServer({ config: { token } });
  });
  after(() => server.close());

  it("without the token: 401 in OpenAI's error shape, on every route", async () => {
    const missing = await raw(server, "/v1/chat/completions", { headers: { "content-type": "application/json" }, body: completionBody() });
    assert.equal(missing.status, 401);
    assert.deepEqual(JSON.parse(missing.body), {
      error: {
        message: "This server requires its token (RILL_TOKEN) as an API key: send Authorization: Bearer <token>.",
        type: "invalid_request_error",
        param: null,
        code: "invalid_api_key",
      },
    });
    assert.equal((await raw(server, "/v1/models")).status, 401);
    assert.equal((await raw(server, "/v1/models/rill-offline", { headers: { authorization: "Bearer nope" } })).status, 401);

    const wrong = await openai(server, "not-the-token").chat.completions.create({ model: "rill-offline", messages: PROMPT }).catch((error: unknown) => error);
    assert.ok(wrong instanceof AuthenticationError, `got ${String(wrong)}`);
    assert.equal(wrong.status, 401);
    assert.equal(wrong.code, "invalid_api_key");
    assert.match(wrong.message, /Incorrect API key provided: this server's \/v1 takes its token \(RILL_TOKEN\) as the key\./);
  });

  it("with the token as the API key, the openai client gets its answers, streamed or not", async () => {
    const client = openai(server, token);
    const completion = await client.chat.completions.create({ model: "rill-offline", messages: PROMPT });
    assert.equal(completion.choices[0]!.message.content, JOKE);
    let streamed = "";
    for await (const chunk of await client.chat.completions.create({ model: "rill-offline", messages: PROMPT, stream: true })) {
      streamed += chunk.choices[0]?.delta.content ?? "";
    }
    assert.equal(streamed, JOKE);
    assert.deepEqual((await client.models.list()).data.map((m) => m.id), ["rill-offline"]);
  });

  it("a browser request from another site is refused (403) even with the token; from the same origin it passes", async () => {
    const headers = { "content-type": "application/json", authorization: `Bearer ${token}` };
    const crossSite = await raw(server, "/v1/chat/completions", { headers: { ...headers, origin: "http://evil.example" }, body: completionBody() });
    assert.equal(crossSite.status, 403);
    const error = JSON.parse(crossSite.body).error;
    assert.equal(error.code, "origin_not_allowed");
    assert.match(error.message, /^origin http:\/\/evil\.example is not this server's/);
    const sameOrigin = await raw(server, "/v1/chat/completions", { headers: { ...headers, origin: server.url }, body: completionBody() });
    assert.equal(sameOrigin.status, 200);
  });

  it("Rill's own runs reach the protected /v1: llm-joke streams the offline model's joke", async () => {
    const client = connect(server, { token });
    try {
      const { events, error } = await collect(client, { graphId: "llm-joke", input: { topic: "ice cream and cats" }, streamMode: ["messages", "updates"] });
      assert.equal(error, undefined);
      assert.deepEqual(events.at(-1)!.data, ["status", { status: "done" }]);
      const text = tuples(events)
        .filter((t) => t[0] === "messages")
        .map((t) => (t[1] as [{ content: string }, unknown])[0].content)
        .join("");
      assert.equal(text, JOKE);
    } finally {
      await client.close();
    }
  });
});

it("RILL_OFFLINE_MAX_STREAMS: default 32, a whole number of at least 1", () => {
  assert.equal(loadConfig({}).offlineMaxStreams, 32);
  assert.equal(loadConfig({ RILL_OFFLINE_MAX_STREAMS: "5" }).offlineMaxStreams, 5);
  assert.throws(() => loadConfig({ RILL_OFFLINE_MAX_STREAMS: "0" }), (error) => error instanceof ConfigError && error.message === "RILL_OFFLINE_MAX_STREAMS must be between 1 and 9007199254740991, got 0");
  assert.throws(() => loadConfig({ RILL_OFFLINE_MAX_STREAMS: "many" }), /RILL_OFFLINE_MAX_STREAMS must be a whole number, got "many"/);
});

describe("/v1 guards (no token)", () => {
  let server: TestServer;
  const ended: StreamOutcome[] = [];
  let onEnd: ((outcome: StreamOutcome) => void) | undefined;
  before(async () => {
    server = await startServer({
      config: { offlineMaxStreams: 2 },
      onOfflineStreamEnd: (outcome) => {
        ended.push(outcome);
        onEnd?.(outcome);
      },
    });
  });
  after(() => server.close());

  it("a POST body that is not application/json gets 415 naming the type it had (a cross-site simple request)", async () => {
    const plain = await raw(server, "/v1/chat/completions", { headers: { "content-type": "text/plain" }, body: completionBody() });
    assert.equal(plain.status, 415);
    assert.deepEqual(JSON.parse(plain.body).error, {
      message: 'The request body must be sent as Content-Type: application/json (got Content-Type "text/plain").',
      type: "invalid_request_error",
      param: null,
      code: "unsupported_media_type",
    });
    const form = await raw(server, "/v1/chat/completions", { headers: { "content-type": "application/x-www-form-urlencoded" }, body: "a=b" });
    assert.equal(form.status, 415);
    const none = await raw(server, "/v1/chat/completions", { body: completionBody() });
    assert.equal(none.status, 415);
    assert.match(JSON.parse(none.body).error.message, /\(got no Content-Type\)/);
    const withCharset = await raw(server, "/v1/chat/completions", { headers: { "content-type": "Application/JSON; charset=utf-8" }, body: completionBody() });
    assert.equal(withCharset.status, 200);
    assert.equal(JSON.parse(withCharset.body).choices[0].message.content, JOKE);
  });

  it("GET /v1/models/%E0%A4%A (not valid percent-encoding) gets a 400, and the server goes on answering", async () => {
    const bad = await raw(server, "/v1/models/%E0%A4%A");
    assert.equal(bad.status, 400);
    // The run server checks every request target before any route sees it (server/requestTarget.ts); the
    // offline model's own check (lib/llm's tests) answers where it runs alone.
    assert.match(JSON.parse(bad.body).error.message, /the request URL "\/v1\/models\/%E0%A4%A" has a malformed percent-escape/);
    const good = await raw(server, "/v1/models/gpt%2D4o");
    assert.equal(good.status, 200);
    assert.equal(JSON.parse(good.body).id, "gpt-4o");
  });

  it("a pace header out of range gets a 400 naming the header and the range", async () => {
    const slow = await raw(server, "/v1/chat/completions", { headers: { "content-type": "application/json", "x-rill-offline-delay-ms": "60000" }, body: completionBody({ stream: true }) });
    assert.equal(slow.status, 400);
    assert.equal(JSON.parse(slow.body).error.message, 'x-rill-offline-delay-ms must be a number of milliseconds from 0 to 1000 (got "60000").');
  });

  it("past RILL_OFFLINE_MAX_STREAMS streams at once: 429 with a clear message; a place frees when a stream ends", async () => {
    const client = openai(server);
    const holders = [new AbortController(), new AbortController()];
    // Two slow streams, each read up to its first chunk, so both are being served.
    for (const holder of holders) {
      const stream = await client.chat.completions.create({ model: "rill-offline", messages: PROMPT, stream: true }, { ...SLOW, signal: holder.signal });
      const first = await stream[Symbol.asyncIterator]().next();
      assert.equal(first.done, false);
    }
    const refused = await client.chat.completions.create({ model: "rill-offline", messages: PROMPT, stream: true }).catch((error: unknown) => error);
    assert.ok(refused instanceof RateLimitError, `got ${String(refused)}`);
    assert.equal(refused.status, 429);
    assert.equal(refused.code, "rate_limit_exceeded");
    assert.match(refused.message, /already streaming 2 completions, as many as it serves at once \(RILL_OFFLINE_MAX_STREAMS\); retry when one ends/);
    assert.equal(refused.headers?.get("retry-after"), "1");
    // A non-streaming completion holds no stream: still answered.
    assert.equal((await client.chat.completions.create({ model: "rill-offline", messages: PROMPT })).choices[0]!.message.content, JOKE);

    const firstEnded = deferred<StreamOutcome>();
    onEnd = firstEnded.resolve;
    holders[0]!.abort();
    assert.equal((await firstEnded.promise).ending, "client_closed");
    let streamed = "";
    for await (const chunk of await client.chat.completions.create({ model: "rill-offline", messages: PROMPT, stream: true })) {
      streamed += chunk.choices[0]?.delta.content ?? "";
    }
    assert.equal(streamed, JOKE, "the freed place serves a new stream");
    const secondEnded = deferred<StreamOutcome>();
    onEnd = (outcome) => outcome.ending === "client_closed" && secondEnded.resolve(outcome);
    holders[1]!.abort();
    await secondEnded.promise;
    onEnd = undefined;
  });

  it("Rill's own runs are not counted against the limit", async () => {
    const client = openai(server);
    const holders = [new AbortController(), new AbortController()];
    for (const holder of holders) {
      const stream = await client.chat.completions.create({ model: "rill-offline", messages: PROMPT, stream: true }, { ...SLOW, signal: holder.signal });
      await stream[Symbol.asyncIterator]().next();
    }
    const trpc = connect(server);
    try {
      // In messages mode the run's model call streams (a plain invoke would be one non-streaming answer).
      const { events, error } = await collect(trpc, { graphId: "llm-joke", input: { topic: "cats" }, streamMode: ["messages"] });
      assert.equal(error, undefined);
      assert.deepEqual(events.at(-1)!.data, ["status", { status: "done" }]);
      assert.ok(tuples(events).length > 3, "the run's model streamed its tokens");
    } finally {
      await trpc.close();
      for (const holder of holders) holder.abort();
    }
  });
});

describe("/v1 at graceful shutdown", () => {
  it("a stream in flight ends with an error event in OpenAI's shape, then the end of the response (not a cut)", async () => {
    const server = await startServer();
    const firstChunk = deferred();
    const rawStream = raw(
      server,
      "/v1/chat/completions",
      { headers: { "content-type": "application/json", ...SLOW.headers }, body: completionBody({ stream: true }) },
      (body) => body.includes("\n\n") && firstChunk.resolve(),
    );
    const clientStream = await openai(server).chat.completions.create({ model: "rill-offline", messages: PROMPT, stream: true }, SLOW);
    const chunks: unknown[] = [];
    const iterator = clientStream[Symbol.asyncIterator]();
    chunks.push((await iterator.next()).value);
    await firstChunk.promise;

    await server.close("deploying a new version");

    const result = await rawStream;
    assert.equal(result.ending, "end", "the response ended cleanly");
    const events = result.body.split("\n\n").filter((e) => e !== "");
    const last = JSON.parse(events.at(-1)!.slice("data: ".length));
    assert.deepEqual(last, {
      error: {
        message: `The stream was ended after 0 of ${tokenize(JOKE).length} tokens: deploying a new version.`,
        type: "server_error",
        param: null,
        code: "server_shutting_down",
      },
    });
    assert.ok(!result.body.includes("[DONE]"));

    const thrown = await iterator.next().then(
      (next) => next,
      (error: unknown) => error,
    );
    assert.ok(thrown instanceof APIError, `the openai client throws the error event: got ${JSON.stringify(thrown)}`);
    assert.ok(thrown.message.includes(`The stream was ended after 0 of ${tokenize(JOKE).length} tokens: deploying a new version.`), thrown.message);
    assert.equal(chunks.length, 1);
  });
});

describe("/v1 with a LangGraph auth module", () => {
  const fixture = new URL("./auth/test/headerAuth.ts", import.meta.url).pathname;
  let server: TestServer;
  before(async () => {
    server = await startServer({ auth: `${fixture}:auth` });
  });
  after(() => server.close());

  it("asks the module: no identity is 401, a refused one 403 with the module's message, an accepted one is served", async () => {
    const body = completionBody();
    const json = { "content-type": "application/json" };
    const anonymous = await raw(server, "/v1/chat/completions", { headers: json, body });
    assert.equal(anonymous.status, 401);
    assert.match(JSON.parse(anonymous.body).error.message, /send x-user/);
    const blocked = await raw(server, "/v1/chat/completions", { headers: { ...json, "x-user": "blocked" }, body });
    assert.equal(blocked.status, 403);
    assert.match(JSON.parse(blocked.body).error.message, /user blocked is not allowed here/);
    const alice = await raw(server, "/v1/chat/completions", { headers: { ...json, "x-user": "alice" }, body });
    assert.equal(alice.status, 200);
    assert.equal(JSON.parse(alice.body).choices[0].message.content, JOKE);
  });
});
