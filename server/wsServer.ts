// The WebSocket side of tRPC: a `ws` server in noServer mode (the HTTP server hands it the upgrades of
// /api/trpc only), tRPC's connection handler with keep-alive, and a guard on message size.
//
// Message size: ws's own `maxPayload` closes the connection (1009), and wsLink then reconnects and sends
// the same message again, so a client would never learn what went wrong. Messages between
// RILL_MAX_MESSAGE_BYTES and 4x that are instead answered with a PAYLOAD_TOO_LARGE error for each request
// they carry, and the connection stays up; only frames past 4x are cut off by ws.
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { applyWSSHandler, type CreateWSSContextFnOptions } from "@trpc/server/adapters/ws";
import { WebSocket, WebSocketServer } from "ws";
import type { AppRouter } from "./router";
import type { RillContext } from "./trpc";
import { wireEncoder } from "./wireEncoder";

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

function requestIds(data: Buffer): Array<number | string | null> {
  try {
    const parsed: unknown = JSON.parse(data.toString("utf8"));
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

function guardedWebSocketClass(maxMessageBytes: number): typeof WebSocket {
  return class SizeGuardedWebSocket extends WebSocket {
    override emit(event: string | symbol, ...args: unknown[]): boolean {
      if (event === "message") {
        const data = args[0];
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

export function createTrpcWebSocketServer(options: TrpcWebSocketOptions): TrpcWebSocketServer {
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: options.maxMessageBytes * 4,
    perMessageDeflate: false,
    WebSocket: guardedWebSocketClass(options.maxMessageBytes),
  });
  const handler = applyWSSHandler({
    wss,
    router: options.router,
    createContext: options.createContext,
    maxBatchSize: options.maxBatchSize,
    keepAlive: { enabled: true, pingMs: options.pingMs, pongWaitMs: options.pongWaitMs },
    experimental_encoder: wireEncoder,
    onError: ({ error, path }) => {
      // Client mistakes are answered to the client; only server faults are worth a log line.
      if (error.code === "INTERNAL_SERVER_ERROR") options.onError?.(error, path);
    },
  });
  return {
    wss,
    handleUpgrade(req, socket, head) {
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit("connection", ws, req));
    },
    broadcastReconnectNotification: () => handler.broadcastReconnectNotification(),
  };
}
