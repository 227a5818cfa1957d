// A run's checkpoints live in its graph's checkpointer only while the run can still go on (running or
// interrupted): a server that runs for weeks must not keep every finished run's checkpoints.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { approvalGraph } from "../graphs/approval";
import { collect, connect, deferred, runIdOf, startServer, type TestClient, type TestServer } from "./test/harness";
import { tickerGraph } from "./test/testGraphs";

/** The approval graph under another id, compiled here so the test can look into its checkpointer. */
const compiled = approvalGraph.build();
const saver = compiled.checkpointer!;
const probeGraph = { ...approvalGraph, id: "approval-probe", build: () => compiled };

const threadOf = (runId: string) => ({ configurable: { thread_id: runId, checkpoint_ns: "" } });

describe("checkpoints of ended runs", () => {
  let server: TestServer;
  let client: TestClient;
  before(async () => {
    server = await startServer({ extraGraphs: [tickerGraph, probeGraph] });
    client = connect(server);
  });
  after(async () => {
    await client.close();
    await server.close();
  });

  function untilInterrupted() {
    const interrupted = deferred<string>();
    const following = collect(client, { graphId: "approval-probe", input: { topic: "x" }, streamMode: ["updates"] }, (event, all) => {
      if (event.data[0] === "status" && event.data[1].status === "interrupted") interrupted.resolve(runIdOf(all));
    });
    return { interrupted: interrupted.promise, following };
  }

  it("are kept while a run is interrupted and dropped once it is resumed to the end", async () => {
    const { interrupted, following } = untilInterrupted();
    const runId = await interrupted;
    assert.ok(await saver.getTuple(threadOf(runId)), "an interrupted run keeps its checkpoints: resume needs them");
    await client.trpc.runs.resume.mutate({ runId, resume: "yes" });
    const { events } = await following;
    assert.deepEqual(events.at(-1)!.data, ["status", { status: "done" }]);
    assert.equal(await saver.getTuple(threadOf(runId)), undefined);
  });

  it("are dropped when an interrupted run is cancelled", async () => {
    const { interrupted, following } = untilInterrupted();
    const runId = await interrupted;
    await client.trpc.runs.cancel.mutate({ runId });
    await following;
    assert.equal(await saver.getTuple(threadOf(runId)), undefined);
  });

  it("leave other runs' checkpoints alone", async () => {
    const first = untilInterrupted();
    const kept = await first.interrupted;
    const second = untilInterrupted();
    const dropped = await second.interrupted;
    await client.trpc.runs.cancel.mutate({ runId: dropped });
    await second.following;
    assert.ok(await saver.getTuple(threadOf(kept)));
    await client.trpc.runs.cancel.mutate({ runId: kept });
    await first.following;
  });
});
