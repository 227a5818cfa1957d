// A runs.stream replay over a WebSocket takes several events a step (followRun.ts's REPLAY_RUN) and
// sends them as WireFrames: on the wire that must be indistinguishable from one event a step — one
// message per event, in order, each with its own event id, the request's id and jsonrpc — and a
// subscription stopped mid-replay gets nothing after its "stopped".
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { WebSocket } from "ws";
import { SerializedEvent } from "./runs/serializedEvent";
import { SerializedEventRun } from "./runs/serializedEventRun";
import { collect, connect, runIdOf, startServer, type TestServer } from "./test/harness";
import { wireEncoder } from "./wireEncoder";
import { WireFrames } from "./wireFrames";

const EVENTS = 2_000;

interface Message {
  id: number | string | null;
  jsonrpc?: string;
  result?: { type: string; id?: string; data?: { id: string; data: unknown } };
}

/** A raw socket's messages, parsed, as they arrive; `until` resolves once `done` holds for them. */
function rawSession(url: string) {
  const socket = new WebSocket(url);
  const messages: Message[] = [];
  const checks: Array<{ done: (all: Message[]) => boolean; resolve: () => void }> = [];
  socket.on("message", (data) => {
    messages.push(JSON.parse(String(data)) as Message);
    for (let i = checks.length - 1; i >= 0; i--) {
      if (checks[i]!.done(messages)) checks.splice(i, 1)[0]!.resolve();
    }
  });
  return {
    socket,
    messages,
    opened: new Promise((resolve) => socket.once("open", resolve)),
    until: (done: (all: Message[]) => boolean) =>
      new Promise<void>((resolve) => (done(messages) ? resolve() : checks.push({ done, resolve }))),
  };
}

describe("replays in runs of events, one message each", () => {
  let server: TestServer;
  let runId = "";
  before(async () => {
    server = await startServer();
    const client = connect(server);
    const { events, error } = await collect(client, { graphId: "ticker", input: { count: EVENTS, every: 500, delayMs: 0 }, streamMode: ["custom"] });
    assert.equal(error, undefined);
    runId = runIdOf(events);
    await client.close();
  });
  after(async () => {
    await server.close();
  });

  it("the encoder makes one message per event, each what the event alone would have been", () => {
    const events = [new SerializedEvent('["custom",{"n":1}]', 7), new SerializedEvent('["custom",{"n":"a\\"b"}]', 8)];
    for (const jsonrpc of [undefined, "2.0" as const]) {
      const run = new SerializedEventRun('run"x', events);
      const message = { id: 5, ...(jsonrpc ? { jsonrpc } : {}), result: { type: "data", id: 'run"x:8', data: { id: 'run"x:8', data: run } } };
      const encoded = wireEncoder.encode(message) as unknown;
      assert.ok(encoded instanceof WireFrames);
      const expected = events.map((event) => {
        const id = `run"x:${event.seq}`;
        return { id: 5, ...(jsonrpc ? { jsonrpc } : {}), result: { type: "data", id, data: { id, data: event.parse() } } };
      });
      assert.deepEqual(encoded.texts.map((text) => JSON.parse(text) as unknown), expected);
      assert.equal(run.take().length, 0, "the run let go of its events once encoded (tRPC keeps the value reachable)");
    }
  });

  it("a replay's messages carry each event once, in order, with its id, the request id and jsonrpc", async () => {
    const session = rawSession(server.wsUrl);
    await session.opened;
    session.socket.send(JSON.stringify({ id: "r1", jsonrpc: "2.0", method: "subscription", params: { path: "runs.stream", input: { runId } } }));
    await session.until((all) => all.some((m) => m.result?.type === "stopped"));
    const data = session.messages.filter((m) => m.result?.type === "data");
    assert.equal(data.length, EVENTS + 2, "metadata, every tick, the status event");
    data.forEach((m, seq) => {
      assert.equal(m.id, "r1");
      assert.equal(m.jsonrpc, "2.0");
      assert.equal(m.result!.id, `${runId}:${seq}`);
      assert.equal(m.result!.data!.id, `${runId}:${seq}`);
    });
    assert.deepEqual(data[0]!.result!.data!.data, ["metadata", (data[0]!.result!.data!.data as [string, object])[1]]);
    data.slice(1, -1).forEach((m, i) => assert.deepEqual((m.result!.data!.data as [string, { n: number }])[1].n, i + 1));
    assert.equal(session.messages.at(-1)!.result?.type, "stopped", "nothing after the subscription stopped");
    session.socket.close();
  });

  it("a resume mid-log replays exactly the rest, and a stop mid-replay ends the messages at its stopped", async () => {
    const session = rawSession(server.wsUrl);
    await session.opened;
    const lastEventId = `${runId}:${EVENTS / 2}`;
    session.socket.send(JSON.stringify({ id: 1, method: "subscription", params: { path: "runs.stream", input: { runId }, lastEventId } }));
    session.socket.send(JSON.stringify({ id: 2, method: "subscription", params: { path: "runs.stream", input: { runId } } }));
    await session.until((all) => all.filter((m) => m.id === 2 && m.result?.type === "data").length >= 100);
    session.socket.send(JSON.stringify({ id: 2, method: "subscription.stop" }));
    await session.until((all) => all.some((m) => m.id === 1 && m.result?.type === "stopped"));
    // A query after the stop: its answer comes after anything the stopped replay could still have sent.
    session.socket.send(JSON.stringify({ id: 3, method: "query", params: { path: "system.info" } }));
    await session.until((all) => all.some((m) => m.id === 3));

    const resumed = session.messages.filter((m) => m.id === 1 && m.result?.type === "data").map((m) => m.result!.id);
    assert.deepEqual(resumed, Array.from({ length: EVENTS + 1 - EVENTS / 2 }, (_, i) => `${runId}:${EVENTS / 2 + 1 + i}`));
    const stopped = session.messages.filter((m) => m.id === 2);
    const stoppedAt = stopped.findIndex((m) => m.result?.type === "stopped");
    assert.ok(stoppedAt > 0, "the stopped subscription says so");
    assert.equal(stoppedAt, stopped.length - 1, "no message after its stopped");
    const ids = stopped.filter((m) => m.result?.type === "data").map((m) => m.result!.id);
    assert.ok(ids.length < EVENTS + 2, "the replay was stopped before its end");
    ids.forEach((id, seq) => assert.equal(id, `${runId}:${seq}`));
    session.socket.close();
  });
});
