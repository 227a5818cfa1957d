// One openai client per endpoint, key and retry setting, shared by every model instance that uses them, so
// connections are pooled instead of opened per call.
import OpenAI from "openai";

export interface ClientSettings {
  baseURL: string | undefined;
  apiKey: string;
  maxRetries: number;
  timeoutMs: number | undefined;
}

const clients = new Map<string, OpenAI>();

export function openaiClient(settings: ClientSettings): OpenAI {
  const key = JSON.stringify([settings.baseURL, settings.apiKey, settings.maxRetries, settings.timeoutMs]);
  let client = clients.get(key);
  if (client === undefined) {
    client = new OpenAI({
      baseURL: settings.baseURL,
      apiKey: settings.apiKey,
      maxRetries: settings.maxRetries,
      timeout: settings.timeoutMs,
      // Failures surface as ProviderError; the client's own console logging would repeat them.
      // OPENAI_LOG still turns it on for debugging.
      logLevel: process.env.OPENAI_LOG ? undefined : "off",
    });
    clients.set(key, client);
  }
  return client;
}
