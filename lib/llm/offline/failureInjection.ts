// How a client tells the offline model to fail, for tests and demos of error handling:
//   - model name `rill-fail-<mode>` (e.g. `new ChatOpenAI({ model: "rill-fail-429" })`), or
//   - request header `x-rill-fail: <mode>` (e.g. `curl -H 'x-rill-fail: 500' …`).
// Modes: an HTTP error status (400–599) answered with an OpenAI-style error body; `drop`, which streams a
// few tokens and then destroys the connection; `malformed`, which streams a few tokens and then a data line
// that is not JSON.

export type FailureMode = { kind: "status"; status: number } | { kind: "drop" } | { kind: "malformed" };

export const FAIL_MODEL_PREFIX = "rill-fail-";
export const FAIL_HEADER = "x-rill-fail";

export function failureModeOf(model: string, header: string | string[] | undefined): FailureMode | undefined {
  const requested = typeof header === "string" && header !== "" ? header : model.startsWith(FAIL_MODEL_PREFIX) ? model.slice(FAIL_MODEL_PREFIX.length) : undefined;
  if (requested === undefined) return undefined;
  const mode = requested.trim().toLowerCase();
  if (mode === "drop" || mode === "malformed") return { kind: mode };
  const status = Number(mode);
  if (Number.isInteger(status) && status >= 400 && status <= 599) return { kind: "status", status };
  return { kind: "status", status: 400 };
}

/** The error body the real API sends for each status, so clients show realistic messages. */
export function failureBody(status: number, requested: string): { message: string; type: string; code: string | null } {
  switch (status) {
    case 400:
      return { message: `Unknown failure mode "${requested}" (use a status 400-599, "drop" or "malformed").`, type: "invalid_request_error", code: null };
    case 401:
      return { message: "Incorrect API key provided.", type: "invalid_request_error", code: "invalid_api_key" };
    case 403:
      return { message: "You are not allowed to use this model.", type: "invalid_request_error", code: "model_not_allowed" };
    case 404:
      return { message: "The model does not exist or you do not have access to it.", type: "invalid_request_error", code: "model_not_found" };
    case 429:
      return { message: "Rate limit reached for requests. Please try again in 1s.", type: "requests", code: "rate_limit_exceeded" };
    default:
      return status >= 500
        ? { message: "The server had an error while processing your request.", type: "server_error", code: null }
        : { message: `Request failed with status ${status}.`, type: "invalid_request_error", code: null };
  }
}
