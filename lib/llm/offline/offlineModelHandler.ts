// Rill's offline model as an HTTP request handler for Node's http server: the OpenAI chat-completions API
// (`POST /v1/chat/completions`, streaming and not) and `GET /v1/models`. The run server mounts it on its own
// port; `startOfflineModelServer` runs it standalone. Requests for other paths are left to the caller.
//
// Guards, for a handler reachable by any client: POST bodies must be `application/json` (so a page on
// another site cannot send one as a "simple" cross-site request), at most 1 MiB; an optional `authorize`
// check (the run server's token and Origin rules); an optional cap on streams served at once (429 past
// it); a path that is not valid percent-encoding gets a 400; `shutdown()` ends every stream in flight with
// an error event in OpenAI's shape, then the end of the response, and refuses new requests (503).
import type { IncomingMessage, ServerResponse } from "node:http";
import { InvalidRequestError, parseChatRequest } from "./chatRequest";
import { completionBody, planCompletion, type ReplyOverride } from "./completionPlan";
import { FAIL_HEADER, FAIL_MODEL_PREFIX, failureBody, failureModeOf } from "./failureInjection";
import { offlineDelayMs } from "./offlinePace";
import { streamCompletion, type StreamOutcome } from "./sseStream";

export const OFFLINE_MODEL_ID = "rill-offline";
/** Per-request pace override, in ms between tokens (`curl -H 'x-rill-offline-delay-ms: 0' …`), 0 to MAX_DELAY_MS. */
export const DELAY_HEADER = "x-rill-offline-delay-ms";
export const MAX_DELAY_MS = 1000;

const MAX_BODY_BYTES = 1024 * 1024;

export interface OfflineModelOptions {
  /** Milliseconds between streamed tokens. Default: RILL_OFFLINE_DELAY_MS, else about 30 tokens a second. */
  delayMs?: number;
  /** Called when a streamed response ends, however it ended: tests use it to see an aborted request stop. */
  onStreamEnd?: (outcome: StreamOutcome) => void;
  /** Canned answers (tests): return text or tool calls for a request, or undefined for the usual answer. */
  reply?: ReplyOverride;
  /** Checked first for every request to the model's paths: a refusal is answered in OpenAI's error shape. */
  authorize?: (req: IncomingMessage) => OfflineRefusal | undefined | Promise<OfflineRefusal | undefined>;
  /** Streamed completions served at once; one more gets a 429. Default: no limit. */
  maxConcurrentStreams?: number;
  /** Requests the stream limit does not apply to nor count (the run server's own models). */
  unlimited?: (req: IncomingMessage) => boolean;
}

export interface OfflineRefusal {
  status: number;
  message: string;
  /** OpenAI-style error code, e.g. "invalid_api_key". */
  code: string;
}

export interface OfflineModelHandler {
  /** Answers the request and returns true if its path is the model's, else returns false and leaves it. */
  (req: IncomingMessage, res: ServerResponse): boolean;
  /** Streams being served now. */
  readonly activeStreams: number;
  /**
   * From now on refuse requests (503); end every stream in flight with an error event naming `reason`, then
   * the end of its response. Resolves once each of those responses is closed.
   */
  shutdown(reason?: string): Promise<void>;
}

interface ActiveStream {
  stop: AbortController;
  /** Settles when the response is closed (after its last byte is handed to the socket, or on a cut). */
  closed: Promise<void>;
  /** Frees the stream's place under the limit; called once streamCompletion returns. */
  release(): void;
}

export function createOfflineModelHandler(options: OfflineModelOptions = {}): OfflineModelHandler {
  const streams = new Set<ActiveStream>();
  const limit = { max: options.maxConcurrentStreams ?? Number.POSITIVE_INFINITY, counted: 0 };
  let stopping: string | undefined;

  const handle = (req: IncomingMessage, res: ServerResponse): boolean => {
    const path = pathOf(req.url);
    const isCompletions = path === "/v1/chat/completions";
    const isModels = path === "/v1/models" || path.startsWith("/v1/models/");
    if (!isCompletions && !isModels) return false;
    const refusal = options.authorize?.(req);
    if (refusal instanceof Promise) {
      // An auth handler that answers later (a LangGraph auth module): the route is ours either way.
      void refusal.then(
        (answer) => (answer ? refuse(res, answer.status, answer.message, answer.code) : serve(req, res, path, isModels)),
        (error) => failInternally(res, error),
      );
      return true;
    }
    if (refusal) return refuse(res, refusal.status, refusal.message, refusal.code);
    return serve(req, res, path, isModels);
  };

  const serve = (req: IncomingMessage, res: ServerResponse, path: string, isModels: boolean): boolean => {
    if (stopping !== undefined) return refuse(res, 503, `The offline model is not taking requests: ${stopping}.`, "server_shutting_down");
    if (isModels) {
      if (req.method !== "GET") sendError(res, 405, `Use GET for ${path}.`, "invalid_request_error", null);
      else handleModels(path, res);
      return true;
    }
    if (req.method !== "POST") return refuse(res, 405, `Use POST for ${path}.`, null);
    const contentType = req.headers["content-type"];
    if (!isJson(contentType)) {
      const got = contentType === undefined ? "no Content-Type" : `Content-Type ${JSON.stringify(contentType)}`;
      return refuse(res, 415, `The request body must be sent as Content-Type: application/json (got ${got}).`, "unsupported_media_type");
    }
    const delayMs = delayFor(req, options);
    if (typeof delayMs === "string") return refuse(res, 400, delayMs, null);
    void handleCompletion(req, res, options, delayMs, streamSlot).catch((error) => failInternally(res, error));
    return true;
  };

  // Admits a stream (or refuses it, answering 429, or 503 once stopping) and tracks it until it ends.
  const streamSlot = (req: IncomingMessage, res: ServerResponse): ActiveStream | undefined => {
    if (stopping !== undefined) {
      refuse(res, 503, `The offline model is not taking requests: ${stopping}.`, "server_shutting_down");
      return undefined;
    }
    const counted = !(options.unlimited?.(req) ?? false);
    if (counted && limit.counted >= limit.max) {
      res.setHeader("retry-after", "1");
      sendError(
        res,
        429,
        `The offline model is already streaming ${limit.max} completions, as many as it serves at once (RILL_OFFLINE_MAX_STREAMS); retry when one ends.`,
        "requests",
        null,
        "rate_limit_exceeded",
      );
      return undefined;
    }
    if (counted) limit.counted++;
    const stream: ActiveStream = {
      stop: new AbortController(),
      closed: new Promise((resolve) => res.once("close", () => resolve())),
      release: () => {
        if (!streams.delete(stream)) return;
        if (counted) limit.counted--;
      },
    };
    streams.add(stream);
    return stream;
  };

  const shutdown = (reason = "the server is shutting down"): Promise<void> => {
    stopping ??= reason;
    const closing = [...streams].map((stream) => {
      stream.stop.abort(reason);
      return stream.closed;
    });
    return Promise.all(closing).then(() => undefined);
  };
  // A getter must be defined, not copied (Object.assign would copy its value once).
  Object.defineProperty(handle, "activeStreams", { get: () => streams.size });
  return Object.assign(handle, { shutdown }) as OfflineModelHandler;
}

/** The offline model with default options (pace from RILL_OFFLINE_DELAY_MS). */
export const handleOfflineModelRequest: OfflineModelHandler = createOfflineModelHandler();

async function handleCompletion(
  req: IncomingMessage,
  res: ServerResponse,
  options: OfflineModelOptions,
  delayMs: number,
  streamSlot: (req: IncomingMessage, res: ServerResponse) => ActiveStream | undefined,
): Promise<void> {
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

  if (!request.stream) {
    const plan = planCompletion(request, options.reply);
    if (failure) {
      // A non-streaming response has no partial state to fail in: drop or garble it whole.
      if (failure.kind === "drop") return void res.destroy();
      res.writeHead(200, { "content-type": "application/json" });
      return void res.end(`{"id":"${plan.id}","choices":[`);
    }
    return sendJson(res, 200, completionBody(plan));
  }
  const slot = streamSlot(req, res);
  if (slot === undefined) return;
  let outcome: StreamOutcome;
  try {
    const plan = planCompletion(request, options.reply);
    outcome = await streamCompletion(res, plan, { includeUsage: request.includeUsage, delayMs, failure, stop: slot.stop.signal });
  } finally {
    slot.release();
  }
  options.onStreamEnd?.(outcome);
}

function handleModels(path: string, res: ServerResponse): void {
  const model = (id: string) => ({ id, object: "model", created: 1735689600, owned_by: "rill" });
  if (path === "/v1/models") return sendJson(res, 200, { object: "list", data: [model(OFFLINE_MODEL_ID)] });
  // The offline model answers under any name, so every model exists.
  let id: string;
  try {
    id = decodeURIComponent(path.slice("/v1/models/".length));
  } catch {
    return sendError(res, 400, `The model id in ${JSON.stringify(path.slice(0, 200))} is not valid percent-encoding.`, "invalid_request_error", "model");
  }
  sendJson(res, 200, model(id));
}

/** The pace for this request: the header's, else the handler's; a message when the header is not valid. */
function delayFor(req: IncomingMessage, options: OfflineModelOptions): number | string {
  const header = req.headers[DELAY_HEADER];
  if (typeof header === "string" && header.trim() !== "") {
    const value = Number(header);
    if (!Number.isFinite(value) || value < 0 || value > MAX_DELAY_MS) {
      return `${DELAY_HEADER} must be a number of milliseconds from 0 to ${MAX_DELAY_MS} (got ${JSON.stringify(header.slice(0, 40))}).`;
    }
    return value;
  }
  return options.delayMs ?? offlineDelayMs(process.env);
}

function pathOf(url: string | undefined): string {
  const raw = url ?? "/";
  const query = raw.indexOf("?");
  return query === -1 ? raw : raw.slice(0, query);
}

/** `application/json`, with or without parameters (`; charset=utf-8`), in any case. */
function isJson(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const semicolon = contentType.indexOf(";");
  return (semicolon === -1 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase() === "application/json";
}

function readBody(req: IncomingMessage, res: ServerResponse): Promise<string | undefined> {
  // Too large: answered at once, and the connection closes after the answer, so the rest is never read.
  const tooLarge = () => {
    res.setHeader("connection", "close");
    sendError(res, 413, `The request body exceeds ${MAX_BODY_BYTES} bytes.`, "invalid_request_error", null);
  };
  if (Number(req.headers["content-length"]) > MAX_BODY_BYTES) {
    tooLarge();
    return Promise.resolve(undefined);
  }
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    req.on("data", (part: Buffer) => {
      size += part.length;
      if (size > MAX_BODY_BYTES) {
        req.removeAllListeners("data");
        req.pause();
        tooLarge();
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

/** Answers with an error and returns true (the request was the model's). */
function refuse(res: ServerResponse, status: number, message: string, code: string | null): true {
  sendError(res, status, message, status >= 500 ? "server_error" : "invalid_request_error", null, code);
  return true;
}

function failInternally(res: ServerResponse, error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  sendError(res, 500, `Offline model failed: ${message}`, "server_error", null);
}
