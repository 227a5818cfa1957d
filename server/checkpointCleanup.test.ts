// A run's checkpoints belong to its thread and stay after the run ends (threads.history, forks and the
// next turn read them); they go when the thread is deleted.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { approvalGraph } from "../graphs/approval";
import { collect, connect, deferred, runIdOf, startServer, type TestClient, type TestServer } from "./test/harness";

/** The approval graph under another id, compiled here so the test can look into the checkpointer the server gives it. */
const compiled = approvalGraph.build();
const probeGraph = { ...approvalGraph, id: "approval-probe", build: () => compiled };

const threadOf = (threadId: string) => ({ configurable: { thread_id: threadId, checkpoint_ns: "" } });

describe("checkpoints of ended runs", () => {
  let server: TestServer;
  let client: TestClient;
  before(async () => {
    server = await startServer({ extraGraphs: [probeGraph] });
    client = connect(server);
  });
  after(async () => {
    await client.close();
    await server.close();
  });

  function untilInterrupted() {
    const interrupted = deferred<{ runId: string; threadId: string }>();
    const following = collect(client, { graphId: "approval-probe", input: { topic: "x" }, streamMode: ["updates"] }, (event, all) => {
      if (event.data[0] === "status" && event.data[1].status === "interrupted") {
        interrupted.resolve({ runId: runIdOf(all), threadId: (all[0]!.data[1] as { thread_id: string }).thread_id });
      }
    });
    return { interrupted: interrupted.promise, following };
  }

  it("the graph without a checkpointer of its own gets the server's", () => {
    assert.ok(compiled.checkpointer, "the registry attached the server's checkpointer");
  });

  it("stay with the thread once a run is resumed to the end, and go with threads.delete", async () => {
    const { interrupted, following } = untilInterrupted();
    const { runId, threadId } = await interrupted;
    await client.trpc.runs.resume.mutate({ runId, resume: "yes" });
    const { events } = await following;
    assert.deepEqual(events.at(-1)!.data, ["status", { status: "done" }]);
    assert.ok(await compiled.checkpointer!.getTuple(threadOf(threadId)), "the ended run's thread keeps its checkpoints");
    await client.trpc.threads.delete.mutate({ threadId });
    assert.equal(await compiled.checkpointer!.getTuple(threadOf(threadId)), undefined);
  });

  it("stay when an interrupted run is cancelled", async () => {
    const { interrupted, following } = untilInterrupted();
    const { runId, threadId } = await interrupted;
    await client.trpc.runs.cancel.mutate({ runId });
    await following;
    assert.ok(await compiled.checkpointer!.getTuple(threadOf(threadId)));
  });
});
