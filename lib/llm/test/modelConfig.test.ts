// Which model Rill uses, from the environment, and how the label names it without leaking the key.
import assert from "node:assert/strict";
import { afterEach, test } from "node:test";
import { getOfflineModelURL, offlineModelAPIKey, resolveModelConfig, setOfflineModelURL } from "../modelConfig";

afterEach(() => setOfflineModelURL(undefined));

test("no key and no base URL: the offline model, at the registered URL once there is one", () => {
  const before = resolveModelConfig({});
  assert.deepEqual(
    { ...before, label: undefined },
    { apiKey: "no-key", baseURL: undefined, model: "rill-offline", offline: true, label: undefined },
  );
  assert.match(before.label, /offline model/);
  setOfflineModelURL("http://127.0.0.1:3000");
  assert.equal(getOfflineModelURL(), "http://127.0.0.1:3000/v1", "an origin gets /v1");
  assert.equal(resolveModelConfig({}).baseURL, "http://127.0.0.1:3000/v1");
  setOfflineModelURL("http://127.0.0.1:3000/v1/");
  assert.equal(getOfflineModelURL(), "http://127.0.0.1:3000/v1");
  setOfflineModelURL("http://127.0.0.1:3000", "server-key");
  assert.equal(resolveModelConfig({}).apiKey, "server-key", "the key registered with the URL is what models send");
  assert.equal(offlineModelAPIKey(), "server-key");
  setOfflineModelURL("http://127.0.0.1:3000");
  assert.equal(resolveModelConfig({}).apiKey, "no-key", "registering a URL without a key forgets the old key");
  assert.equal(resolveModelConfig({ OPENAI_MODEL: "my-model" }).model, "my-model");
});

test("a key: OpenAI with gpt-4o-mini by default; the label never shows the key", () => {
  const config = resolveModelConfig({ OPENAI_API_KEY: "sk-secret-123" });
  assert.equal(config.offline, false);
  assert.equal(config.apiKey, "sk-secret-123");
  assert.equal(config.model, "gpt-4o-mini");
  assert.equal(config.label, "gpt-4o-mini (OpenAI)");
});

test("a base URL alone: an OpenAI-compatible server, with a placeholder key", () => {
  const config = resolveModelConfig({ OPENAI_BASE_URL: "http://user:pass@localhost:11434/v1", OPENAI_MODEL: "llama3.2", OPENAI_API_KEY: " " });
  assert.equal(config.offline, false);
  assert.equal(config.apiKey, "no-key");
  assert.equal(config.label, "llama3.2 at localhost:11434/v1");
  assert.ok(!config.label.includes("pass"));
});

test("a base URL that is not a URL is refused, naming the variable", () => {
  assert.throws(() => resolveModelConfig({ OPENAI_BASE_URL: "localhost:11434" }), /OPENAI_BASE_URL must be an absolute http\(s\) URL .*got "localhost:11434"/);
});
