// One error type for everything a provider can do wrong, with a message that says who failed and how:
//   "openai gpt-4o-mini: 401 Incorrect API key provided."
//   "openai gpt-4o-mini: 429 Rate limit reached for requests."
//   "openai gpt-4o-mini: connection to 127.0.0.1:9/v1 failed (ECONNREFUSED)"
//   "openai gpt-4o-mini: connection lost mid-stream after HTTP 200 (UND_ERR_SOCKET: other side closed)"
//   "openai gpt-4o-mini: malformed stream after HTTP 200 (a data line is not JSON: Unexpected end of JSON input)"
// `status` carries the HTTP status when the provider answered with an error, so the engine's retry policy
// can retry 429 and 5xx and give up on other 4xx; stream failures and network errors have no status.
import { APIConnectionError, APIConnectionTimeoutError, APIError } from "openai";

export interface ProviderErrorDetails {
  provider: string;
  model: string;
  status?: number;
  /** "timeout", "connection_failed", "connection_lost", "malformed_response", or the provider's error code. */
  code?: string;
  /** From a 429's `retry-after` header, when the provider sent one. */
  retryAfterMs?: number;
  /** The provider's error body (`{ message, type, code }`), as the openai client's APIError has it. */
  error?: ProviderErrorBody;
  cause?: unknown;
}

export interface ProviderErrorBody {
  message?: string;
  type?: string;
  code?: string | null;
}

export class ProviderError extends Error {
  override readonly name = "ProviderError";
  readonly provider: string;
  readonly model: string;
  readonly status: number | undefined;
  readonly code: string | undefined;
  readonly retryAfterMs: number | undefined;
  /** Same place as on openai's APIError, so retry policies written for it (`error.error.code === "insufficient_quota"`) work. */
  readonly error: ProviderErrorBody | undefined;

  constructor(detail: string, details: ProviderErrorDetails) {
    super(`${details.provider} ${details.model}: ${detail}`, details.cause === undefined ? undefined : { cause: details.cause });
    this.provider = details.provider;
    this.model = details.model;
    this.status = details.status;
    this.code = details.code;
    this.retryAfterMs = details.retryAfterMs;
    this.error = details.error;
  }
}

export interface FailureContext {
  provider: string;
  model: string;
  /** Base URL of the endpoint, shown (host and path only) when it could not be reached. */
  endpoint: string;
  /** HTTP status of a response that had already started, if any. */
  responseStatus?: number;
  /** Whether the request asked for a stream (for wording only). */
  streaming?: boolean;
}

/** Wraps what the openai client threw into a ProviderError. Call only for non-abort failures. */
export function toProviderError(error: unknown, context: FailureContext): ProviderError {
  const { provider, model } = context;
  const base = { provider, model, cause: error };
  if (error instanceof ProviderError) return error;
  if (error instanceof APIConnectionTimeoutError) {
    return new ProviderError(`request to ${context.endpoint} timed out`, { ...base, code: "timeout" });
  }
  if (error instanceof APIConnectionError) {
    return new ProviderError(`connection to ${context.endpoint} failed (${rootCause(error)})`, { ...base, code: "connection_failed" });
  }
  if (error instanceof APIError && error.status !== undefined) {
    const body = error.error as { message?: unknown; type?: unknown; code?: unknown } | undefined;
    const detail = typeof body?.message === "string" && body.message !== "" ? body.message : stripStatus(error.message, error.status);
    const code = typeof body?.code === "string" ? body.code : undefined;
    return new ProviderError(`${error.status} ${detail}`, {
      ...base,
      status: error.status,
      code,
      retryAfterMs: retryAfterMs(error.headers),
      error: { message: detail, type: typeof body?.type === "string" ? body.type : undefined, code: code ?? null },
    });
  }
  const after = context.responseStatus !== undefined ? ` after HTTP ${context.responseStatus}` : "";
  if (error instanceof APIError) {
    // An `error` event inside a 200 stream: the provider failed mid-response.
    const body = error.error as { message?: unknown } | undefined;
    return new ProviderError(`error event in the stream${after} (${typeof body?.message === "string" ? body.message : error.message})`, { ...base, code: "stream_error" });
  }
  if (error instanceof SyntaxError) {
    // The openai client throws JSON.parse's own SyntaxError for a bad data line (6.x); say what it was.
    const what = context.streaming ? "a data line is not JSON" : "the body is not JSON";
    return new ProviderError(`malformed ${context.streaming ? "stream" : "response"}${after} (${what}: ${error.message})`, { ...base, code: "malformed_response" });
  }
  if (error instanceof TypeError && /terminated|other side closed|socket/i.test(`${error.message} ${rootCause(error)}`)) {
    return new ProviderError(`connection lost mid-response${after} (${rootCause(error)})`, { ...base, code: "connection_lost" });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ProviderError(`request failed${after} (${message})`, base);
}

/** A stream that ended without a finish reason: the provider closed it early. */
export function truncatedStreamError(context: FailureContext): ProviderError {
  const after = context.responseStatus !== undefined ? ` after HTTP ${context.responseStatus}` : "";
  return new ProviderError(`the stream ended before the response was complete${after} (no finish_reason)`, {
    provider: context.provider,
    model: context.model,
    code: "connection_lost",
  });
}

// The deepest code or message in a cause chain: "ECONNREFUSED", "UND_ERR_SOCKET: other side closed".
function rootCause(error: unknown): string {
  let current: unknown = error;
  let found: string | undefined;
  for (let depth = 0; depth < 6 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") found = current.message && !current.message.includes(code) ? `${code}: ${current.message}` : code;
    const nested = current instanceof AggregateError && current.errors.length > 0 ? current.errors[0] : (current as { cause?: unknown }).cause;
    if (nested === undefined) break;
    current = nested;
  }
  return found ?? (current instanceof Error ? current.message : String(current));
}

function stripStatus(message: string, status: number): string {
  return message.startsWith(`${status} `) ? message.slice(String(status).length + 1) : message;
}

function retryAfterMs(headers: Headers | undefined): number | undefined {
  const value = headers?.get("retry-after-ms") ?? undefined;
  if (value !== undefined && Number.isFinite(Number(value))) return Number(value);
  const seconds = headers?.get("retry-after");
  if (seconds == null) return undefined;
  if (Number.isFinite(Number(seconds))) return Number(seconds) * 1000;
  const date = Date.parse(seconds);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
