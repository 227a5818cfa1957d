// Provider failures, served by a local endpoint that fails on purpose, reach the caller as ProviderError
// with a message naming provider, model and status, and with `status` set for the engine's retry policy.
import assert from "node:assert/strict";
import { createServer } from "node:net";
import { after, before, describe, test } from "node:test";
import { TASK_CONTEXT, type TaskContext } from "../../graph/taskContext";
import { ChatOpenAI } from "../chatOpenAI";
import { ProviderError } from "../providerError";
import { startFailingProvider, type FailingProvider, type FailureScenario } from "./failingProvider";

let provider: FailingProvider;
before(async () => {
  provider = await startFailingProvider();
});
after(() => provider.close());

const PROMPT = "Generate a joke about ice cream";
const streaming: TaskContext = {
  metadata: { langgraph_step: 1, langgraph_node: "n", langgraph_triggers: [], langgraph_path: [], langgraph_checkpoint_ns: "n:1", checkpoint_ns: "n:1" },
  signal: undefined,
  streamsMessages: true,
  emitMessage: () => undefined,
};

function modelFor(scenario: FailureScenario, fields: ConstructorParameters<typeof ChatOpenAI>[0] = {}) {
  return new ChatOpenAI({ model: "gpt-4o-mini", baseURL: provider.baseURL(scenario), apiKey: "sk-bad", ...fields });
}

async function failure(call: Promise<unknown>): Promise<ProviderError> {
  try {
    await call;
  } catch (error) {
    assert.ok(error instanceof ProviderError, `expected a ProviderError, got ${String(error)}`);
    return error;
  }
  assert.fail("the call succeeded");
}

describe("provider errors", () => {
  for (const mode of ["invoke", "streaming invoke"] as const) {
    const call = (scenario: FailureScenario, fields = {}) =>
      modelFor(scenario, fields).invoke(PROMPT, mode === "invoke" ? undefined : ({ [TASK_CONTEXT]: streaming } as never));

    test(`${mode}: 401 bad key — not retryable, one request`, async () => {
      const before = provider.requests.get("401") ?? 0;
      const error = await failure(call("401"));
      assert.match(error.message, /^openai gpt-4o-mini: 401 Incorrect API key provided: sk-bad\./);
      assert.equal(error.status, 401);
      assert.equal(error.code, "invalid_api_key");
      assert.equal(error.provider, "openai");
      assert.equal(error.model, "gpt-4o-mini");
      assert.equal((provider.requests.get("401") ?? 0) - before, 1, "the openai client does not retry on its own");
    });

    test(`${mode}: 429 rate limit carries status and retry-after`, async () => {
      const error = await failure(call("429"));
      assert.match(error.message, /^openai gpt-4o-mini: 429 Rate limit reached for gpt-4o-mini/);
      assert.equal(error.status, 429);
      assert.equal(error.retryAfterMs, 2000);
      assert.deepEqual(error.error, { message: error.message.replace("openai gpt-4o-mini: 429 ", ""), type: "requests", code: "rate_limit_exceeded" });
    });

    test(`${mode}: 500 server error`, async () => {
      const error = await failure(call("500"));
      assert.equal(error.message, "openai gpt-4o-mini: 500 The server had an error while processing your request. Sorry about that!");
      assert.equal(error.status, 500);
    });

    test(`${mode}: 503 with a non-JSON body`, async () => {
      const error = await failure(call("503-text"));
      assert.match(error.message, /^openai gpt-4o-mini: 503 /);
      assert.match(error.message, /upstream connect error/);
      assert.equal(error.status, 503);
    });

    test(`${mode}: network down names the endpoint`, async () => {
      const port = await closedPort();
      const model = new ChatOpenAI({ model: "gpt-4o-mini", baseURL: `http://127.0.0.1:${port}/v1`, apiKey: "k" });
      const error = await failure(model.invoke(PROMPT, mode === "invoke" ? undefined : ({ [TASK_CONTEXT]: streaming } as never)));
      assert.equal(error.message, `openai gpt-4o-mini: connection to 127.0.0.1:${port}/v1 failed (ECONNREFUSED)`);
      assert.equal(error.status, undefined);
      assert.equal(error.code, "connection_failed");
    });
  }

  test("connection dropped mid-stream", async () => {
    const error = await failure(modelFor("drop").invoke(PROMPT, { [TASK_CONTEXT]: streaming } as never));
    assert.match(error.message, /^openai gpt-4o-mini: connection lost mid-response after HTTP 200 \(.*(other side closed|terminated).*\)$/);
    assert.equal(error.code, "connection_lost");
    assert.equal(error.status, undefined);
  });

  test("malformed SSE", async () => {
    const error = await failure(modelFor("malformed").invoke(PROMPT, { [TASK_CONTEXT]: streaming } as never));
    assert.match(error.message, /^openai gpt-4o-mini: malformed stream after HTTP 200 \(a data line is not JSON: .+\)$/);
    assert.equal(error.code, "malformed_response");
  });

  test("a stream that ends without a finish reason", async () => {
    const error = await failure(modelFor("truncated").invoke(PROMPT, { [TASK_CONTEXT]: streaming } as never));
    assert.equal(error.message, "openai gpt-4o-mini: the stream ended before the response was complete after HTTP 200 (no finish_reason)");
  });

  test("an error event inside the stream", async () => {
    const error = await failure(modelFor("stream-error").invoke(PROMPT, { [TASK_CONTEXT]: streaming } as never));
    assert.equal(error.message, "openai gpt-4o-mini: error event in the stream after HTTP 200 (The model is overloaded.)");
  });

  test("stream() surfaces the same errors", async () => {
    const error = await failure(
      (async () => {
        for await (const _ of modelFor("429").stream(PROMPT));
      })(),
    );
    assert.equal(error.status, 429);
  });

  test("maxRetries opts into the openai client's own retries", async () => {
    const before = provider.requests.get("500") ?? 0;
    await failure(modelFor("500", { maxRetries: 2 }).invoke(PROMPT));
    assert.equal((provider.requests.get("500") ?? 0) - before, 3);
  });
});

function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
