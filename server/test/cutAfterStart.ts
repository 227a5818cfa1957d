// Drops a connection at the worst moment for a start: right after the server has answered the start of
// a subscription ("started": the run exists) and before the client got any event of it. wsLink then
// reconnects and, having no lastEventId, sends the same start again.
import type { WebSocket, WebSocketServer } from "ws";

/** Arms a cut of the next connection's first started subscription; resolves when it has been cut. */
export function cutNextConnectionAfterStart(wss: WebSocketServer): Promise<void> {
  return new Promise((resolve) => {
    wss.once("connection", (ws: WebSocket) => {
      const send = ws.send.bind(ws) as (data: unknown, ...rest: unknown[]) => void;
      ws.send = ((data: unknown, ...rest: unknown[]) => {
        send(data, ...rest);
        if (typeof data === "string" && data.includes('"result":{"type":"started"}')) {
          ws.send = send as WebSocket["send"];
          ws.terminate();
          resolve();
        }
      }) as WebSocket["send"];
    });
  });
}
