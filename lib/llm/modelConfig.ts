// Which model Rill talks to, from the environment:
//   OPENAI_API_KEY and/or OPENAI_BASE_URL set → that provider (OpenAI, or any OpenAI-compatible server:
//   Ollama, vLLM, LM Studio, llama.cpp). OPENAI_MODEL picks the model (default gpt-4o-mini).
//   Neither set → Rill's offline model, served over the same HTTP API by Rill's own server (or, in a plain
//   script, by a server the model starts in-process on first use).

export interface ModelConfig {
  /** Sent as the bearer token; a placeholder when the endpoint needs none (offline model, local servers). */
  apiKey: string;
  /** OpenAI base URL (`…/v1`); undefined means api.openai.com, or, when offline, "not started yet". */
  baseURL: string | undefined;
  model: string;
  offline: boolean;
  /** Says which model is in use, for the UI and logs; never contains the key. */
  label: string;
}

export const DEFAULT_OPENAI_MODEL = "gpt-4o-mini";
export const OFFLINE_MODEL_NAME = "rill-offline";
/** The key sent to endpoints that need none; servers like Ollama ignore it, the openai client requires one. */
export const PLACEHOLDER_API_KEY = "no-key";

let offlineModelURL: string | undefined;
let offlineModelKey: string | undefined;

/**
 * Where the offline model listens, and the key models in this process send it (the run server's /v1 may
 * require one). The run server calls this once it listens, so models in its process use its own endpoint;
 * an origin (`http://127.0.0.1:3000`) gets `/v1` appended. Without `apiKey`, models send a placeholder.
 */
export function setOfflineModelURL(url: string | undefined, apiKey?: string): void {
  offlineModelURL = url === undefined ? undefined : toBaseURL(url);
  offlineModelKey = url === undefined ? undefined : apiKey;
}

export function getOfflineModelURL(): string | undefined {
  return offlineModelURL;
}

/** The key registered with the offline model's URL, else the placeholder. */
export function offlineModelAPIKey(): string {
  return offlineModelKey ?? PLACEHOLDER_API_KEY;
}

export function resolveModelConfig(env: Record<string, string | undefined> = process.env): ModelConfig {
  const apiKey = nonEmpty(env.OPENAI_API_KEY);
  const baseURL = nonEmpty(env.OPENAI_BASE_URL);
  const model = nonEmpty(env.OPENAI_MODEL);
  if (apiKey === undefined && baseURL === undefined) {
    const name = model ?? OFFLINE_MODEL_NAME;
    return {
      apiKey: offlineModelAPIKey(),
      baseURL: offlineModelURL,
      model: name,
      offline: true,
      label: `${name} (Rill's offline model: no OPENAI_API_KEY or OPENAI_BASE_URL set)`,
    };
  }
  if (baseURL !== undefined && !isHttpURL(baseURL)) {
    throw new TypeError(`OPENAI_BASE_URL must be an absolute http(s) URL such as http://localhost:11434/v1 (got "${baseURL}").`);
  }
  const name = model ?? DEFAULT_OPENAI_MODEL;
  return {
    apiKey: apiKey ?? PLACEHOLDER_API_KEY,
    baseURL,
    model: name,
    offline: false,
    label: baseURL === undefined ? `${name} (OpenAI)` : `${name} at ${describeEndpoint(baseURL)}`,
  };
}

export function isHttpURL(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}

function toBaseURL(url: string): string {
  const trimmed = withoutTrailingSlashes(url);
  return /\/v\d+$/.test(trimmed) ? trimmed : `${trimmed}/v1`;
}

/** Host and path of an endpoint, without credentials or query (which may hold secrets). */
export function describeEndpoint(baseURL: string): string {
  try {
    const url = new URL(baseURL);
    return `${url.host}${withoutTrailingSlashes(url.pathname)}`;
  } catch {
    return "an invalid OPENAI_BASE_URL";
  }
}

// A loop, not /\/+$/: that pattern retries from every slash of a long run of them (quadratic).
function withoutTrailingSlashes(text: string): string {
  let end = text.length;
  while (end > 0 && text[end - 1] === "/") end--;
  return text.slice(0, end);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value.trim();
}
