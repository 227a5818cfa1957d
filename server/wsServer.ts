// The WebSocket side of tRPC: a `ws` server in noServer mode (the HTTP server hands it the upgrades of
// /api/trpc only), tRPC's connection handler with keep-alive, and a guard on message size.
//
// Message size: ws's own `maxPayload` closes the connection (1009), and wsLink then reconnects and sends
// the same message again, so a client would never learn what went wrong. Messages between
// RILL_MAX_MESSAGE_BYTES and 4x that are instead answered with a PAYLOAD_TOO_LARGE error for each request
// they carry, and the connection stays up; only frames past 4x are cut off by ws.
//
// Frames: tRPC answers a frame it cannot parse with a PARSE_ERROR (id null) carrying the decoder's
// message, but answers an empty batch `[]` with nothing and a malformed request with a terse "Not an
// object"; decodeFrame checks the requests first and names the field. And should tRPC's
// connection handler ever throw (it builds a URL from the request outside any try/catch; rillServer
// checks Host and URL first), the socket is closed with 1011 and a reason rather than left dead.
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { applyWSSHandler, jsonEncoder, type CreateWSSContextFnOptions } from "@trpc/server/adapters/ws";
import { WebSocket, WebSocketServer } from "ws";
import { BatchGate, refuseOversizedBatch } from "./oversizedBatch";
import type { AppRouter } from "./router";
import type { RillContext } from "./trpc";
import { wireEncoder } from "./wireEncoder";
import { WireFrames } from "./wireFrames";

export interface TrpcWebSocketOptions {
  router: AppRouter;
  createContext: (opts: CreateWSSContextFnOptions) => Promise<RillContext>;
  maxMessageBytes: number;
  /** Most calls in one frame (tRPC's maxBatchSize): a larger frame is refused whole, each call answered with an error. */
  maxBatchSize: number;
  pingMs: number;
  pongWaitMs: number;
  onError?: (error: Error, path: string | undefined) => void;
}

export interface TrpcWebSocketServer {
  wss: WebSocketServer;
  /** Hands an upgrade request (already checked) to ws and tRPC. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** tRPC's reconnect notification: clients open a new connection and resubscribe with lastEventId. */
  broadcastReconnectNotification(): void;
}

const PAYLOAD_TOO_LARGE = -32013;

function requestIds(data: Buffer | unknown[]): Array<number | string | null> {
  try {
    const parsed: unknown = Buffer.isBuffer(data) ? JSON.parse(data.toString("utf8")) : data;
    const messages = Array.isArray(parsed) ? parsed : [parsed];
    const ids = messages
      .filter((m): m is { id: number | string; method?: unknown } => typeof m === "object" && m !== null && "id" in m)
      .filter((m) => m.method !== "subscription.stop" && (typeof m.id === "number" || typeof m.id === "string"))
      .map((m) => m.id);
    return ids.length ? ids : [null];
  } catch {
    return [null];
  }
}

function guardedWebSocketClass(maxMessageBytes: number, maxBatchSize: number): typeof WebSocket {
  const gate = new BatchGate();
  return class SizeGuardedWebSocket extends WebSocket {
    /** WireFrames (several messages from one encode, wireEncoder.ts) go out as one frame each, in order. */
    override send(data: unknown, ...rest: unknown[]): void {
      if (data instanceof WireFrames) {
        for (const text of data.texts) super.send(text);
        return;
      }
      (super.send as (data: unknown, ...rest: unknown[]) => void)(data, ...rest);
    }

    override emit(event: string | symbol, ...args: unknown[]): boolean {
      if (event === "message") {
        const data = args[0];
        if (Buffer.isBuffer(data) && data.length <= maxMessageBytes && refuseOversizedBatch(this, data, maxBatchSize, gate, args)) return true;
        const size = Buffer.isBuffer(data) ? data.length : 0;
        if (size > maxMessageBytes && Buffer.isBuffer(data)) {
          const message = `message of ${size} bytes is over this server's limit of ${maxMessageBytes} (RILL_MAX_MESSAGE_BYTES)`;
          for (const id of requestIds(data)) {
            this.send(
              JSON.stringify({
                id,
                error: { code: PAYLOAD_TOO_LARGE, message, data: { code: "PAYLOAD_TOO_LARGE", httpStatus: 413 } },
              }),
            );
          }
          return true;
        }
      }
      return super.emit(event, ...args);
    }
  };
}

/** ws's errors for a client frame that breaks the protocol carry a code like WS_ERR_INVALID_UTF8. */
function isWebSocketProtocolError(cause: unknown): boolean {
  const code = (cause as { code?: unknown } | undefined)?.code;
  return typeof code === "string" && code.startsWith("WS_ERR_");
}

const METHODS = new Set(["query", "mutation", "subscription", "subscription.stop", "connectionParams"]);

function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

/** What is wrong with one request of a frame, named by field (tRPC's own check says only "Not an object"). */
function requestProblem(request: unknown): string | null {
  if (typeof request !== "object" || request === null || Array.isArray(request)) {
    return `is ${shown(request)}, not a request object { id, method, params }`;
  }
  const { id, jsonrpc, method, params } = request as Record<string, unknown>;
  if (id !== undefined && id !== null && typeof id !== "string" && typeof id !== "number") return `id ${shown(id)} is not a number or a string`;
  if (jsonrpc !== undefined && jsonrpc !== "2.0") return `jsonrpc ${shown(jsonrpc)} is not "2.0"`;
  if (typeof method !== "string" || !METHODS.has(method)) {
    return `method ${shown(method)} is not "query", "mutation", "subscription" or "subscription.stop"`;
  }
  if (method === "subscription.stop" || method === "connectionParams") return null;
  if (typeof params !== "object" || params === null) return "params is not an object { path, input?, lastEventId? }";
  const { path, lastEventId } = params as Record<string, unknown>;
  if (typeof path !== "string") return `params.path ${shown(path)} is not a procedure name (e.g. "runs.list")`;
  if (lastEventId !== undefined && typeof lastEventId !== "string") return `params.lastEventId ${shown(lastEventId)} is not a string`;
  return null;
}

/**
 * tRPC's JSON decoding, with the requests checked first so that a bad one is refused naming the field
 * (and an empty batch, which tRPC would answer with nothing, by name). What it throws, tRPC sends back
 * as a PARSE_ERROR.
 */
function decodeFrame(data: string | Buffer): unknown {
  const decoded: unknown = jsonEncoder.decode(data);
  const requests = Array.isArray(decoded) ? decoded : [decoded];
  if (requests.length === 0) {
    throw new Error("the frame is an empty batch []: send a request { id, method, params } or a non-empty array of them");
  }
  for (const [index, request] of requests.entries()) {
    const problem = requestProblem(request);
    if (problem) throw new Error(Array.isArray(decoded) ? `request ${index} of the batch: ${problem}` : `the request ${problem}`);
  }
  return decoded;
}

export function createTrpcWebSocketServer(options: TrpcWebSocketOptions): TrpcWebSocketServer {
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: options.maxMessageBytes * 4,
    perMessageDeflate: false,
    WebSocket: guardedWebSocketClass(options.maxMessageBytes, options.maxBatchSize),
  });
  const handler = applyWSSHandler({
    wss,
    router: options.router,
    createContext: options.createContext,
    maxBatchSize: options.maxBatchSize,
    keepAlive: { enabled: true, pingMs: options.pingMs, pongWaitMs: options.pongWaitMs },
    experimental_encoder: { encode: wireEncoder.encode, decode: decodeFrame },
    onError: ({ error, path }) => {
      // Client mistakes are answered to the client; only server faults are worth a log line. A frame
      // that breaks the WebSocket protocol (bad UTF-8, no mask, ...) is ws's error, closed with its code.
      if (error.code === "INTERNAL_SERVER_ERROR" && !isWebSocketProtocolError(error.cause)) options.onError?.(error, path);
    },
  });
  return {
    wss,
    handleUpgrade(req, socket, head) {
      wss.handleUpgrade(req, socket, head, (ws) => {
        try {
          wss.emit("connection", ws, req);
        } catch (error) {
          options.onError?.(error instanceof Error ? error : new Error(String(error)), undefined);
          ws.close(1011, "the server could not set up this connection");
        }
      });
    },
    broadcastReconnectNotification: () => handler.broadcastReconnectNotification(),
  };
}
