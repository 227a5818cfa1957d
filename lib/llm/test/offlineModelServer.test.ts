// The offline model over raw HTTP, as curl sees it: SSE framing, [DONE], usage, max_tokens, tool-call
// deltas, errors in OpenAI's shape, failure injection, and stopping when the client goes away.
import assert from "node:assert/strict";
import { execFile, spawnSync } from "node:child_process";
import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { promisify } from "node:util";
import { createOfflineModelHandler, startOfflineModelServer, type OfflineModelServer, type StreamOutcome } from "../offline";
import { tokenize } from "../offline/tokenize";
import { postJson, rawRequest, sseData } from "./rawHttp";

const JOKE_PROMPT = { role: "user", content: "Generate a joke about ice cream and cats" };
const JOKE = 'Why did the cat sit on the ice cream cone?\n\nBecause it wanted to be a "purr-fect" scoop! 🍦🐱';

const execFileAsync = promisify(execFile);
let server: OfflineModelServer;

before(async () => {
  server = await startOfflineModelServer({ delayMs: 0 });
});
after(() => server.close());

const completions = () => `${server.url}/chat/completions`;

describe("offline model: streaming", () => {
  test("streams one token per SSE event, then finish_reason, usage and [DONE]", async () => {
    const res = await postJson(completions(), { model: "gpt-4o-mini", stream: true, stream_options: { include_usage: true }, messages: [JOKE_PROMPT] });
    assert.equal(res.status, 200);
    assert.match(String(res.headers["content-type"]), /^text\/event-stream/);
    const data = sseData(res.body);
    assert.equal(data.at(-1), "[DONE]");
    const events = data.slice(0, -1).map((d) => JSON.parse(d));

    const [first, ...rest] = events;
    assert.deepEqual(first.choices[0].delta, { role: "assistant", content: "", refusal: null });
    const usageEvent = rest.pop();
    const finishEvent = rest.pop();
    assert.deepEqual(usageEvent.choices, []);
    assert.equal(finishEvent.choices[0].finish_reason, "stop");
    assert.deepEqual(finishEvent.choices[0].delta, {});

    const tokens = rest.map((e) => e.choices[0].delta.content as string);
    assert.deepEqual(tokens, tokenize(JOKE));
    assert.equal(tokens.join(""), JOKE);
    assert.ok(tokens.includes(" cat") && tokens.includes("\n\n") && tokens.includes(" 🍦") && tokens.includes("🐱"), "words and emoji carry their space; the blank line is a token");
    for (const event of events) {
      assert.equal(event.object, "chat.completion.chunk");
      assert.equal(event.id, first.id, "every chunk carries the completion's id");
      assert.equal(event.model, "gpt-4o-mini");
    }
    assert.match(first.id, /^chatcmpl-/);
    assert.equal(usageEvent.usage.completion_tokens, tokens.length);
    assert.equal(usageEvent.usage.total_tokens, usageEvent.usage.prompt_tokens + tokens.length);
    assert.ok(rest.every((e) => e.usage === null), "with include_usage, chunks before the last carry usage: null");
  });

  test("without stream_options.include_usage there is no usage chunk", async () => {
    const res = await postJson(completions(), { model: "m", stream: true, messages: [JOKE_PROMPT] });
    const events = sseData(res.body).slice(0, -1).map((d) => JSON.parse(d));
    assert.equal(events.at(-1).choices[0].finish_reason, "stop");
    assert.ok(events.every((e) => !("usage" in e)));
  });

  test("streamed and non-streamed answers are the same text, deterministically", async () => {
    const whole = await postJson(completions(), { model: "m", messages: [JOKE_PROMPT] });
    const again = await postJson(completions(), { model: "m", messages: [JOKE_PROMPT] });
    const body = JSON.parse(whole.body);
    assert.equal(body.object, "chat.completion");
    assert.equal(body.choices[0].message.content, JOKE);
    assert.equal(JSON.parse(again.body).choices[0].message.content, JOKE);
    assert.notEqual(body.id, JSON.parse(again.body).id, "completion ids are unique per request");
    assert.equal(body.choices[0].finish_reason, "stop");
    assert.equal(body.usage.completion_tokens, tokenize(JOKE).length);
  });

  test("max_tokens truncates the reply with finish_reason length", async () => {
    const res = await postJson(completions(), { model: "m", stream: true, max_tokens: 4, messages: [JOKE_PROMPT] });
    const events = sseData(res.body).slice(0, -1).map((d) => JSON.parse(d));
    const tokens = events.slice(1, -1).map((e) => e.choices[0].delta.content);
    assert.deepEqual(tokens, ["Why", " did", " the", " cat"]);
    assert.equal(events.at(-1).choices[0].finish_reason, "length");
    const whole = JSON.parse((await postJson(completions(), { model: "m", max_completion_tokens: 2, messages: [JOKE_PROMPT] })).body);
    assert.equal(whole.choices[0].message.content, "Why did");
    assert.equal(whole.choices[0].finish_reason, "length");
  });

  test("a prompt that asks for a tool streams a tool call in argument fragments", async () => {
    const tools = [
      {
        type: "function",
        function: {
          name: "get_weather",
          parameters: { type: "object", properties: { city: { type: "string" }, days: { type: "integer" } }, required: ["city", "days"] },
        },
      },
    ];
    const messages = [{ role: "user", content: "Use get_weather for Paris, 3 days" }];
    const res = await postJson(completions(), { model: "m", stream: true, tools, messages });
    const events = sseData(res.body).slice(0, -1).map((d) => JSON.parse(d));
    assert.equal(events[0].choices[0].delta.content, null);
    const deltas = events.slice(1, -1).map((e) => e.choices[0].delta.tool_calls[0]);
    assert.match(deltas[0].id, /^call_/);
    assert.deepEqual(deltas[0].function, { name: "get_weather", arguments: "" });
    assert.ok(deltas.length > 3, "arguments arrive in several fragments");
    const args = deltas.map((d) => d.function.arguments).join("");
    assert.deepEqual(JSON.parse(args), { city: "Paris", days: 3 });
    assert.equal(events.at(-1).choices[0].finish_reason, "tool_calls");

    const whole = JSON.parse((await postJson(completions(), { model: "m", tools, messages })).body);
    assert.equal(whole.choices[0].message.content, null);
    assert.equal(whole.choices[0].message.tool_calls[0].function.arguments, args);
    const plain = JSON.parse((await postJson(completions(), { model: "m", tools, messages: [JOKE_PROMPT] })).body);
    assert.equal(plain.choices[0].message.content, JOKE, "tools are called only when the prompt asks");
  });

  test("a request whose JSON has __proto__ / constructor keys: tool arguments keep them as data, no prototype changes", async () => {
    const body = JSON.parse(`{
      "model": "m", "__proto__": {"polluted": "body"},
      "messages": [{"role": "user", "content": "Use pick for Paris, 3 days", "__proto__": {"polluted": "message"}}],
      "tools": [{"type": "function", "function": {"name": "pick", "parameters": {"type": "object",
        "properties": {"__proto__": {"type": "string"}, "constructor": {"type": "integer"}, "toString": {"type": "boolean"}},
        "required": ["__proto__", "constructor", "toString"]}}}]
    }`);
    const res = await postJson(completions(), body);
    assert.equal(res.status, 200);
    const call = JSON.parse(res.body).choices[0].message.tool_calls[0];
    const args = JSON.parse(call.function.arguments) as Record<string, unknown>;
    assert.deepEqual(Object.keys(args), ["__proto__", "constructor", "toString"]);
    assert.deepEqual([typeof args["__proto__"], args.constructor, args.toString], ["string", 3, true]);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  test("stops writing when the client disconnects mid-stream", async () => {
    let reportEnd!: (outcome: StreamOutcome) => void;
    const ended = new Promise<StreamOutcome>((resolve) => (reportEnd = resolve));
    const slow = await startOfflineModelServer({ delayMs: 20, onStreamEnd: (outcome) => reportEnd(outcome) });
    try {
      const req = request(`${slow.url}/chat/completions`, { method: "POST", headers: { "content-type": "application/json" } }, (res) => {
        let text = "";
        res.on("data", (part: Buffer) => {
          text += part.toString();
          if (text.split("\n\n").length > 3) req.destroy();
        });
        res.on("error", () => undefined);
      });
      req.on("error", () => undefined);
      req.end(JSON.stringify({ model: "m", stream: true, messages: [JOKE_PROMPT] }));
      const outcome = await ended;
      assert.equal(outcome.ending, "client_closed");
      assert.ok(outcome.tokensSent < outcome.tokensPlanned, `sent ${outcome.tokensSent} of ${outcome.tokensPlanned}`);
    } finally {
      await slow.close();
    }
  });
});

describe("offline model: API surface and errors", () => {
  test("GET /v1/models lists the offline model", async () => {
    const res = await rawRequest(`${server.url}/models`);
    assert.equal(res.status, 200);
    assert.deepEqual(JSON.parse(res.body).data.map((m: { id: string }) => m.id), ["rill-offline"]);
  });

  test("bad requests get 400s in OpenAI's error shape, naming the parameter", async () => {
    const cases: Array<[unknown, string | null, RegExp]> = [
      [{ messages: [JOKE_PROMPT] }, "model", /model/],
      [{ model: "m", messages: [] }, "messages", /non-empty/],
      [{ model: "m", messages: [{ role: "wizard", content: "hi" }] }, "messages[0].role", /one of system/],
      [{ model: "m", n: 2, messages: [JOKE_PROMPT] }, "n", /only n=1/],
      [{ model: "m", max_tokens: 0, messages: [JOKE_PROMPT] }, "max_tokens", /positive integer/],
      [{ model: "m", messages: [{ role: "tool", content: "x" }] }, "messages[0].tool_call_id", /tool_call_id/],
    ];
    for (const [body, param, message] of cases) {
      const res = await postJson(completions(), body);
      assert.equal(res.status, 400, JSON.stringify(body));
      const { error } = JSON.parse(res.body);
      assert.equal(error.type, "invalid_request_error");
      assert.equal(error.param, param);
      assert.match(error.message, message);
    }
    const invalidJson = await rawRequest(completions(), { body: "{nope", headers: { "content-type": "application/json" } });
    assert.equal(invalidJson.status, 400);
    assert.match(JSON.parse(invalidJson.body).error.message, /not valid JSON/);
  });

  test("wrong method is 405; unknown paths are left to the host server (404 standalone)", async () => {
    assert.equal((await rawRequest(completions())).status, 405);
    const missing = await rawRequest(`${server.url}/embeddings`, { body: "{}" });
    assert.equal(missing.status, 404);
    assert.match(JSON.parse(missing.body).error.message, /POST \/v1\/chat\/completions/);
  });

  test("oversized bodies are refused with 413", async () => {
    const res = await postJson(completions(), { model: "m", messages: [{ role: "user", content: "x".repeat(1_100_000) }] });
    assert.equal(res.status, 413);
  });

  test("failure injection by header and by model name", async () => {
    const byHeader = await postJson(completions(), { model: "m", messages: [JOKE_PROMPT] }, { "x-rill-fail": "429" });
    assert.equal(byHeader.status, 429);
    assert.equal(byHeader.headers["retry-after"], "1");
    assert.equal(JSON.parse(byHeader.body).error.code, "rate_limit_exceeded");
    const byModel = await postJson(completions(), { model: "rill-fail-401", messages: [JOKE_PROMPT] });
    assert.equal(byModel.status, 401);
    assert.match(JSON.parse(byModel.body).error.message, /Incorrect API key/);

    const malformed = await postJson(completions(), { model: "rill-fail-malformed", stream: true, messages: [JOKE_PROMPT] });
    const data = sseData(malformed.body);
    assert.ok(data.slice(1, 4).every((d) => JSON.parse(d).choices[0].delta.content), "a few good tokens first");
    assert.throws(() => JSON.parse(data.at(-1) as string));
    assert.ok(!data.includes("[DONE]"));

    await assert.rejects(postJson(completions(), { model: "rill-fail-drop", stream: true, messages: [JOKE_PROMPT] }), /socket hang up|aborted|ECONNRESET/);
  });

  test("a reply override gives canned answers, falling back to the usual one", async () => {
    const canned = await startOfflineModelServer({ delayMs: 0, reply: (request) => (request.model === "canned" ? "Knock knock." : undefined) });
    try {
      const ask = (model: string) => postJson(`${canned.url}/chat/completions`, { model, messages: [JOKE_PROMPT] }).then((r) => JSON.parse(r.body).choices[0].message.content);
      assert.equal(await ask("canned"), "Knock knock.");
      assert.equal(await ask("other"), JOKE);
    } finally {
      await canned.close();
    }
  });

  test("works with the curl binary", async (t) => {
    if (spawnSync("curl", ["--version"]).status !== 0) return t.skip("curl is not installed");
    const body = JSON.stringify({ model: "gpt-4o-mini", stream: true, messages: [JOKE_PROMPT] });
    // Asynchronously: the server answering curl runs in this process.
    const { stdout } = await execFileAsync("curl", ["-sSN", "-H", "content-type: application/json", "-d", body, completions()], { timeout: 10_000 });
    const data = sseData(stdout);
    assert.equal(data.at(-1), "[DONE]");
    const text = data
      .slice(0, -1)
      .map((d) => JSON.parse(d).choices[0]?.delta?.content ?? "")
      .join("");
    assert.equal(text, JOKE);
  });
});

describe("offline model: a handler's shutdown", () => {
  test("a stream in flight ends with an error event (then the end of the response); later requests get 503", async () => {
    const handler = createOfflineModelHandler({ delayMs: 1000 });
    const host = createServer((req, res) => void handler(req, res));
    await new Promise<void>((resolve) => host.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(host.address() as AddressInfo).port}/v1/chat/completions`;
    try {
      const firstEvent = deferred();
      const streamed = new Promise<{ body: string; ended: boolean }>((resolve, reject) => {
        const req = request(url, { method: "POST", headers: { "content-type": "application/json" } }, (res) => {
          let body = "";
          res.setEncoding("utf8");
          res.on("data", (part: string) => {
            body += part;
            if (body.includes("\n\n")) firstEvent.resolve();
          });
          res.on("end", () => resolve({ body, ended: true }));
          res.on("aborted", () => resolve({ body, ended: false }));
        });
        req.on("error", reject);
        req.end(JSON.stringify({ model: "m", stream: true, messages: [JOKE_PROMPT] }));
      });
      await firstEvent.promise;
      assert.equal(handler.activeStreams, 1);
      await handler.shutdown("maintenance");
      assert.equal(handler.activeStreams, 0);
      const { body, ended } = await streamed;
      assert.ok(ended, "the response ended, it was not cut");
      const data = sseData(body);
      assert.deepEqual(JSON.parse(data.at(-1)!), {
        error: { message: `The stream was ended after 0 of ${tokenize(JOKE).length} tokens: maintenance.`, type: "server_error", param: null, code: "server_shutting_down" },
      });
      const later = await postJson(url, { model: "m", messages: [JOKE_PROMPT] });
      assert.equal(later.status, 503);
      assert.equal(JSON.parse(later.body).error.message, "The offline model is not taking requests: maintenance.");
    } finally {
      host.closeAllConnections();
      await new Promise((resolve) => host.close(resolve));
    }
  });
});

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}
