// SIGTERM's path (RillServer.close): stop accepting runs, tell clients to reconnect, cancel what is
// left with a final event that subscribers receive, and close within the configured time.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { collect, connect, deferred, startServer } from "./test/harness";

describe("graceful shutdown", () => {
  it("cancels running and interrupted runs with a final event, delivers it, and closes in bounded time", async () => {
    const server = await startServer({ config: { shutdownTimeoutMs: 3000 } });
    const client = connect(server, { retryDelayMs: 50 });
    const tickerStarted = deferred();
    const approvalWaiting = deferred();
    const ticker = collect(client, { graphId: "ticker", input: { count: 1_000_000, every: 10, delayMs: 1 }, streamMode: ["custom"] }, (_e, all) => {
      if (all.length === 5) tickerStarted.resolve();
    });
    const approval = collect(client, { graphId: "approval", input: { topic: "x" }, streamMode: ["updates"] }, (event) => {
      if (event.data[0] === "status") approvalWaiting.resolve();
    });
    await Promise.all([tickerStarted.promise, approvalWaiting.promise]);

    const started = Date.now();
    await server.close("deploying a new version");
    const took = Date.now() - started;
    assert.ok(took < 3000 + 1000, `close took ${took} ms`);

    for (const result of await Promise.all([ticker, approval])) {
      assert.equal(result.error, undefined);
      assert.deepEqual(result.events.at(-1)!.data, ["status", { status: "cancelled", reason: "deploying a new version" }]);
    }
    assert.equal(server.runs.runningCount, 0);
    assert.equal(server.runs.activeCount, 0);
    const refused = await fetch(`${server.url}/api/trpc/graphs.list`).then(
      () => "answered",
      () => "refused",
    );
    assert.equal(refused, "refused", "the port is closed");
    await client.close();
  });
});
