// The subscription that starts a run follows it live: it is never paced as a replay, whatever the run
// logged while its start was answered (a start goes through the thread store, so a fast graph has events
// in its log by the time the subscription opens). Paced as a replay, the starter of a run waited its turn
// behind every replay in the process and counted toward its connection's replay limit; a join of a
// run with logged events is a replay, as before. Driven through the real router with a connection
// budget that records the replays it is asked to begin.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ConnectionBudget } from "./connectionBudget";
import { startServer, type TestServer } from "./test/harness";
import type { RillContext } from "./trpc";

class RecordingBudget extends ConnectionBudget {
  begun = 0;
  override beginReplay(): boolean {
    this.begun++;
    return super.beginReplay();
  }
}

async function drain(iterable: AsyncIterable<unknown>): Promise<unknown[]> {
  const items: unknown[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

describe("a run's starter follows it live", () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(async () => {
    await server.close();
  });

  function caller(budget: ConnectionBudget) {
    const ctx: RillContext = { identity: null, authFailure: null, connectionId: "started-run-test", socket: null, budget };
    return server.router.createCaller(ctx);
  }

  it("a start is no replay, even when the run logged events before the subscription opened; a join of it is", async () => {
    const budget = new RecordingBudget({ maxBatchSize: 100, maxCallsPerSecond: 1_000, maxReplays: 1 });
    const trpc = caller(budget);
    // Twenty events written at once by the first node: logged before the subscription's first read.
    const started = await drain(await trpc.runs.stream({ graphId: "ticker", input: { count: 20, every: 100 }, streamMode: ["custom"] }));
    assert.equal(started.length, 1 + 20 + 1, "metadata, the twenty events, the status");
    assert.equal(budget.begun, 0, "the starter was not counted as a replay");

    // Each item is tRPC's tracked [id, event]; the event is its JSON text (a SerializedEvent).
    const [firstId, metadata] = JSON.parse(JSON.stringify(started[0])) as [string, [string, { run_id: string }]];
    const runId = metadata[1].run_id;
    assert.equal(firstId, `${runId}:0`);
    const joined = await drain(await trpc.runs.stream({ runId }));
    assert.equal(joined.length, started.length, "the join replays the whole log");
    assert.equal(budget.begun, 1, "a join of a run with logged events is a replay");
    assert.equal(budget.replaying, 0, "and it ended when it caught up");
  });
});
