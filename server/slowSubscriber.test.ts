// A client that stops reading must not slow the run nor make the server buffer without bound: its
// subscription pauses at the high-water mark and, still congested after the timeout, its connection is
// dropped. When the client reads again it reconnects and resumes from its lastEventId, losing nothing.
import assert from "node:assert/strict";
import type { Socket } from "node:net";
import { after, before, describe, it } from "node:test";
import type { LogLine } from "./log";
import { collect, connect, deferred, startServer, type Received, type TestServer } from "./test/harness";

const HIGH_WATER = 64 * 1024;
const PAYLOAD = 1000;

describe("slow subscriber", () => {
  let server: TestServer;
  const dropped = deferred<LogLine>();
  before(async () => {
    server = await startServer({
      config: {
        wsHighWaterBytes: HIGH_WATER,
        wsMaxBufferedBytes: 8 * 1024 * 1024,
        slowSubscriberTimeoutMs: 300,
        storeMaxBytesPerRun: 256 * 1024 * 1024,
        storeMaxTotalBytes: 512 * 1024 * 1024,
      },
      logger: (line) => {
        if (line.msg.startsWith("slow subscriber dropped")) dropped.resolve(line);
      },
    });
  });
  after(async () => {
    await server.close();
  });

  it("is dropped with at most a high-water mark buffered, the run finishes meanwhile, and a resume gets the rest", async () => {
    const client = connect(server, { retryDelayMs: 1 });
    const runStarted = deferred<string>();
    let paused: Socket | null = null;
    const count = 20_000; // ~20 MB of events: more than the kernel's socket buffers hold
    const following = collect(
      client,
      { graphId: "ticker", input: { count, every: 200, delayMs: 0, payload: PAYLOAD }, streamMode: ["custom"] },
      (event, all) => {
        if (all.length === 100 && !paused) {
          runStarted.resolve((all[0]!.data[1] as { run_id: string }).run_id);
          // Stop reading: the underlying TCP socket of the client's WebSocket.
          paused = (client.socket() as unknown as { _socket: Socket })._socket;
          paused.pause();
        }
        void event;
      },
    );
    const runId = await runStarted.promise;
    const drop = await dropped.promise;
    assert.equal(drop.runId, runId);
    const buffered = drop.bufferedAmount as number;
    assert.ok(buffered <= HIGH_WATER + PAYLOAD + 200, `the server held ${buffered} bytes for the slow socket`);
    const record = await server.runs.whenEnded(runId);
    assert.equal(record.status, "done", "the run finished while its only subscriber was stuck");
    assert.equal(record.lastSeq, count + 1);
    paused!.resume();
    const { events, error } = await following;
    assert.equal(error, undefined);
    assert.equal(events.length, count + 2, "metadata, every tick, status");
    events.forEach((e: Received, i) => assert.equal(e.id, `${runId}:${i}`));
    await client.close();
  });
});
