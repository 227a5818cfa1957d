// The WebSocket server's last line of defence: should tRPC's connection handler throw (it builds a URL
// from the request's Host outside any try/catch), the socket is closed with 1011 instead of left open and
// dead, and the process goes on. rillServer refuses such a Host before this point; here the upgrade is
// handed over unchecked to reach it.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { rawWebSocketFrame } from "./attack/rawHttp";
import { startServer, type TestServer } from "./test/harness";
import { ConnectionBudget } from "./connectionBudget";
import { createTrpcWebSocketServer } from "./wsServer";

describe("wsServer", () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(async () => {
    await server.close();
  });

  it("closes a connection tRPC could not set up with 1011, and logs it", async () => {
    const errors: string[] = [];
    const ws = createTrpcWebSocketServer({
      router: server.router,
      createContext: async () => ({
        identity: null,
        authFailure: null,
        connectionId: "test",
        socket: null,
        budget: new ConnectionBudget({ maxBatchSize: 100, maxCallsPerSecond: 200, maxReplays: 8 }),
      }),
      maxMessageBytes: 1024 * 1024,
      maxBatchSize: 100,
      pingMs: 30_000,
      pongWaitMs: 5_000,
      onError: (error) => errors.push(error.message),
    });
    const http = createServer();
    http.on("upgrade", (req, socket, head) => ws.handleUpgrade(req, socket, head));
    await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
    try {
      const port = (http.address() as AddressInfo).port;
      const ping = Buffer.from([0x89, 0x80, 1, 2, 3, 4]); // a masked, empty ping: any frame will do
      assert.equal(await rawWebSocketFrame(port, "/api/trpc", ping, "["), 1011);
      assert.equal(errors.length, 1, "logged once");
    } finally {
      ws.wss.close();
      http.closeAllConnections();
      await new Promise((resolve) => http.close(resolve));
    }
  });
});
