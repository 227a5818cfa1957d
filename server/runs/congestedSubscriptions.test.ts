// Many subscriptions on one socket that stops reading all wait for that socket to drain: they share one
// "drain" listener, so Node never warns about a listener leak (MaxListenersExceededWarning past 10).
import assert from "node:assert/strict";
import type { Socket } from "node:net";
import { after, before, describe, it } from "node:test";
import { WebSocket } from "ws";
import { deferred, startServer, type TestServer } from "../test/harness";
import { sync } from "./test/sync";

const SUBSCRIPTIONS = 20;

describe("congested subscriptions on one socket", () => {
  let server: TestServer;
  const dropped = deferred();
  before(async () => {
    server = await startServer({
      config: { wsHighWaterBytes: 16 * 1024, wsMaxBufferedBytes: 64 * 1024 * 1024, slowSubscriberTimeoutMs: 1000 },
      logger: (line) => {
        if (line.msg.startsWith("slow subscriber dropped")) dropped.resolve();
      },
    });
  });
  after(async () => {
    await server.close();
  });

  it(`${SUBSCRIPTIONS} subscriptions waiting on one socket add no listener per subscription`, async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => {
      if (warning.name === "MaxListenersExceededWarning") warnings.push(warning);
    };
    process.on("warning", onWarning);
    try {
      // A finished run of about 3 MB: replaying it overflows any socket buffer that is not read.
      const { record } = sync(server.runs.start(
        { graphId: "ticker", input: { count: 3000, every: 100, delayMs: 0, payload: 1000 }, streamMode: ["custom"] },
        "test",
      ));
      const runId = record.metadata.run_id;
      await server.runs.whenEnded(runId);

      const socket = new WebSocket(server.wsUrl);
      await new Promise<void>((resolve, reject) => {
        socket.once("open", resolve);
        socket.once("error", reject);
      });
      // Stop reading: the server's sends pile up in its socket until it drops the connection.
      (socket as unknown as { _socket: Socket })._socket.pause();
      const joins = Array.from({ length: SUBSCRIPTIONS }, (_, i) => ({
        id: i + 1,
        method: "subscription",
        params: { path: "runs.stream", input: { runId } },
      }));
      socket.send(JSON.stringify(joins));

      await dropped.promise; // every subscription waited for a drain for slowSubscriberTimeoutMs
      await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on the next tick
      assert.deepEqual(warnings.map((w) => w.message), []);
      socket.terminate();
    } finally {
      process.off("warning", onWarning);
    }
  });
});
