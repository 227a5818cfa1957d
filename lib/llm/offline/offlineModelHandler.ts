// Rill's offline model as an HTTP request handler for Node's http server: the OpenAI chat-completions API
// (`POST /v1/chat/completions`, streaming and not) and `GET /v1/models`. The run server mounts it on its own
// port; `startOfflineModelServer` runs it standalone. Requests for other paths are left to the caller.
import type { IncomingMessage, ServerResponse } from "node:http";
import { InvalidRequestError, parseChatRequest } from "./chatRequest";
import { completionBody, planCompletion, type ReplyOverride } from "./completionPlan";
import { FAIL_HEADER, FAIL_MODEL_PREFIX, failureBody, failureModeOf } from "./failureInjection";
import { offlineDelayMs } from "./offlinePace";
import { streamCompletion, type StreamOutcome } from "./sseStream";

export const OFFLINE_MODEL_ID = "rill-offline";
/** Per-request pace override, in ms between tokens (`curl -H 'x-rill-offline-delay-ms: 0' …`). */
export const DELAY_HEADER = "x-rill-offline-delay-ms";

const MAX_BODY_BYTES = 1024 * 1024;

export interface OfflineModelOptions {
  /** Milliseconds between streamed tokens. Default: RILL_OFFLINE_DELAY_MS, else about 30 tokens a second. */
  delayMs?: number;
  /** Called when a streamed response ends, however it ended: tests use it to see an aborted request stop. */
  onStreamEnd?: (outcome: StreamOutcome) => void;
  /** Canned answers (tests): return text or tool calls for a request, or undefined for the usual answer. */
  reply?: ReplyOverride;
}

export type OfflineModelHandler = (req: IncomingMessage, res: ServerResponse) => boolean;

export function createOfflineModelHandler(options: OfflineModelOptions = {}): OfflineModelHandler {
  return (req, res) => {
    const path = (req.url ?? "/").split("?", 1)[0];
    if (path === "/v1/chat/completions") {
      if (req.method !== "POST") sendError(res, 405, `Use POST for ${path}.`, "invalid_request_error", null);
      else void handleCompletion(req, res, options).catch((error) => failInternally(res, error));
      return true;
    }
    if (path === "/v1/models" || path.startsWith("/v1/models/")) {
      if (req.method !== "GET") sendError(res, 405, `Use GET for ${path}.`, "invalid_request_error", null);
      else handleModels(path, res);
      return true;
    }
    return false;
  };
}

/** The offline model with default options (pace from RILL_OFFLINE_DELAY_MS). */
export const handleOfflineModelRequest: OfflineModelHandler = createOfflineModelHandler();

async function handleCompletion(req: IncomingMessage, res: ServerResponse, options: OfflineModelOptions): Promise<void> {
  const raw = await readBody(req, res);
  if (raw === undefined) return;
  let request;
  try {
    const body: unknown = raw === "" ? undefined : JSON.parse(raw);
    request = parseChatRequest(body);
  } catch (error) {
    if (error instanceof SyntaxError) return sendError(res, 400, `The request body is not valid JSON: ${error.message}`, "invalid_request_error", null);
    if (error instanceof InvalidRequestError) return sendError(res, 400, error.message, "invalid_request_error", error.param);
    throw error;
  }

  const failureHeader = req.headers[FAIL_HEADER];
  const failure = failureModeOf(request.model, failureHeader);
  if (failure?.kind === "status") {
    const requested = typeof failureHeader === "string" ? failureHeader : request.model.slice(FAIL_MODEL_PREFIX.length);
    const body = failureBody(failure.status, requested);
    if (failure.status === 429) res.setHeader("retry-after", "1");
    return sendError(res, failure.status, body.message, body.type, null, body.code);
  }

  const plan = planCompletion(request, options.reply);
  if (!request.stream) {
    if (failure) {
      // A non-streaming response has no partial state to fail in: drop or garble it whole.
      if (failure.kind === "drop") return void res.destroy();
      res.writeHead(200, { "content-type": "application/json" });
      return void res.end(`{"id":"${plan.id}","choices":[`);
    }
    return sendJson(res, 200, completionBody(plan));
  }
  const outcome = await streamCompletion(res, plan, {
    includeUsage: request.includeUsage,
    delayMs: delayFor(req, options),
    failure,
  });
  options.onStreamEnd?.(outcome);
}

function handleModels(path: string, res: ServerResponse): void {
  const model = (id: string) => ({ id, object: "model", created: 1735689600, owned_by: "rill" });
  if (path === "/v1/models") return sendJson(res, 200, { object: "list", data: [model(OFFLINE_MODEL_ID)] });
  // The offline model answers under any name, so every model exists.
  sendJson(res, 200, model(decodeURIComponent(path.slice("/v1/models/".length))));
}

function delayFor(req: IncomingMessage, options: OfflineModelOptions): number {
  const header = req.headers[DELAY_HEADER];
  if (typeof header === "string" && header.trim() !== "") {
    const value = Number(header);
    if (Number.isFinite(value) && value >= 0) return value;
  }
  return options.delayMs ?? offlineDelayMs(process.env);
}

function readBody(req: IncomingMessage, res: ServerResponse): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    req.on("data", (part: Buffer) => {
      size += part.length;
      if (size > MAX_BODY_BYTES) {
        req.removeAllListeners("data");
        req.resume();
        sendError(res, 413, `The request body exceeds ${MAX_BODY_BYTES} bytes.`, "invalid_request_error", null);
        resolve(undefined);
        return;
      }
      parts.push(part);
    });
    req.on("end", () => resolve(size > MAX_BODY_BYTES ? undefined : Buffer.concat(parts).toString("utf8")));
    req.on("error", reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

function sendError(res: ServerResponse, status: number, message: string, type: string, param: string | null, code: string | null = null): void {
  if (res.headersSent) return void res.destroy();
  sendJson(res, status, { error: { message, type, param, code } });
}

function failInternally(res: ServerResponse, error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  sendError(res, 500, `Offline model failed: ${message}`, "server_error", null);
}
