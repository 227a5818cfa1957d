// A start whose socket drops after the server started the run but before the client got its first event:
// wsLink reconnects and sends the same start again (it has no lastEventId). With a client-chosen runId
// that second start joins the run, so exactly one run exists and the client sees each event once. The
// playground, the CLI and examples/client.ts all send one; each is driven through the cut here.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, it } from "node:test";
import { createTRPCClient, createWSClient, wsLink } from "@trpc/client";
import { WebSocket } from "ws";
import { newClientRunId } from "../app/client/clientRunId";
import { LiveRunStore } from "../app/client/liveRunStore";
import { directFeed, type RunFeed } from "../app/client/runFeed";
import { RunSession } from "../app/client/runSession";
import { streamJoke } from "../examples/client";
import type { AppRouter } from "./router";
import { cutNextConnectionAfterStart } from "./test/cutAfterStart";
import { collect, connect, deferred, startServer, type TestServer } from "./test/harness";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

describe("a start cut in flight", () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(async () => {
    await server.close();
  });

  const jokeRuns = async () => (await server.runs.list({ graphId: "joke" })).map((record) => record.metadata.run_id);

  it("with a client-chosen runId, wsLink's resent start joins the run: one run, every event once", async () => {
    const before = (await jokeRuns()).length;
    const cut = cutNextConnectionAfterStart(server.wss);
    const client = connect(server, { retryDelayMs: 1 });
    const runId = newClientRunId();
    const { events, error } = await collect(client, { graphId: "joke", input: { topic: "cuts" }, streamMode: ["updates"], runId });
    await cut;
    assert.equal(error, undefined);
    assert.equal((await jokeRuns()).length, before + 1, "exactly one run");
    assert.ok((await jokeRuns()).includes(runId));
    events.forEach((event, seq) => assert.equal(event.id, `${runId}:${seq}`, "every event once, in order"));
    assert.deepEqual(events.map((e) => e.data[0]), ["metadata", "updates", "updates", "status"]);
    await client.close();
  });

  it("the CLI's start survives the cut as one run", async () => {
    const before = (await jokeRuns()).length;
    const cut = cutNextConnectionAfterStart(server.wss);
    const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(
        process.execPath,
        ["--import", "tsx", "server/cli/stream.ts", "joke", "--mode", "values", "--input", '{"topic":"cuts"}', "--url", server.wsUrl],
        { cwd: root, env: { ...process.env, RILL_TOKEN: "" } },
      );
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk) => (stdout += chunk));
      child.stderr.on("data", (chunk) => (stderr += chunk));
      child.on("close", (code) => resolve({ code, stdout, stderr }));
    });
    await cut;
    assert.equal(result.code, 0, result.stderr);
    assert.equal((await jokeRuns()).length, before + 1, "exactly one run");
    assert.equal(
      result.stdout,
      '{"topic":"cuts"}\n{"topic":"cuts and cats"}\n{"topic":"cuts and cats","joke":"This is a joke about cuts and cats"}\n',
    );
  });

  it("examples/client.ts's start survives the cut as one run", async () => {
    const before = (await jokeRuns()).length;
    const cut = cutNextConnectionAfterStart(server.wss);
    const lines: string[] = [];
    await streamJoke(server.wsUrl, (line) => lines.push(line));
    await cut;
    assert.equal((await jokeRuns()).length, before + 1, "exactly one run");
    const ids = lines.map((line) => line.split(" ")[0]!);
    assert.equal(new Set(ids).size, ids.length, "no event twice");
    assert.deepEqual(lines.map((line) => line.split(" ")[1]), ["metadata", "updates", "custom", "updates", "status"]);
  });

  it("the playground's start survives the cut as one run", async () => {
    const before = (await jokeRuns()).length;
    const cut = cutNextConnectionAfterStart(server.wss);
    const wsClient = createWSClient({ url: server.wsUrl, WebSocket: WebSocket as unknown as typeof globalThis.WebSocket, retryDelayMs: () => 1 });
    const trpc = createTRPCClient<AppRouter>({ links: [wsLink({ client: wsClient })] });
    const inner = directFeed(trpc, { subscribe: () => ({ unsubscribe: () => undefined }) });
    const completed = deferred();
    const feed: RunFeed = {
      ...inner,
      subscribe: (input, handlers) => inner.subscribe(input, { ...handlers, onComplete: () => (handlers.onComplete(), completed.resolve()) }),
    };
    const store = new LiveRunStore();
    const session = new RunSession(trpc, feed, store, { onRunId: () => undefined, onRejected: (message) => assert.fail(message) });
    session.start({ graphId: "joke", input: { topic: "cuts" }, streamMode: ["values"] });
    await completed.promise;
    await cut;
    assert.equal((await jokeRuns()).length, before + 1, "exactly one run");
    assert.ok(store.data.runId && (await jokeRuns()).includes(store.data.runId), "the page shows that run");
    assert.equal(store.data.status, "done");
    await wsClient.close();
  });
});
