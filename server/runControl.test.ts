// Controlling runs through the router: cancel, interrupt and resume, failures, and the example graphs.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { collect, deferred, errorCode, liveServer, runIdOf, tuples } from "./test/harness";
import { normalize, readReference } from "./test/referenceOutputs";

describe("run control", () => {
  const live = liveServer();

  it("cancel stops a running run: subscribers get a final cancelled status and the subscription completes", async () => {
    const started = deferred<string>();
    const following = collect(live.client, { graphId: "ticker", input: { count: 100_000, every: 10, delayMs: 1 }, streamMode: ["custom"] }, (_e, all) => {
      if (all.length === 30) started.resolve(runIdOf(all));
    });
    const runId = await started.promise;
    const info = await live.client.trpc.runs.cancel.mutate({ runId, reason: "enough ticks" });
    assert.equal(info.status, "cancelled");
    const { events, error } = await following;
    assert.equal(error, undefined);
    assert.deepEqual(events.at(-1)!.data, ["status", { status: "cancelled", reason: "enough ticks" }]);
    assert.ok(events.length < 100_000, "the run stopped early");
    const record = await live.client.trpc.runs.get.query({ runId });
    assert.equal(record.status, "cancelled");
    assert.equal(record.reason, "enough ticks");
    assert.equal(live.server.runs.runningCount, 0);
    assert.equal((await live.client.trpc.runs.cancel.mutate({ runId })).status, "cancelled", "cancel is idempotent");
  });

  it("an interrupted run keeps its subscription open; runs.resume continues the same run and log", async () => {
    const interrupted = deferred<{ runId: string; interrupts: Array<{ id: string; value: unknown }> }>();
    const following = collect(live.client, { graphId: "approval", input: { topic: "ice cream" }, streamMode: ["updates"] }, (event, all) => {
      const data = event.data;
      if (data[0] === "status" && data[1].status === "interrupted") {
        interrupted.resolve({ runId: runIdOf(all), interrupts: data[1].interrupts ?? [] });
      }
    });
    const { runId, interrupts } = await interrupted.promise;
    assert.deepEqual(interrupts.map((i) => i.value), [{ question: 'Approve topic "ice cream and cats"?' }]);
    const listed = await live.client.trpc.runs.list.query({ status: "interrupted" });
    assert.ok(listed.some((r) => r.runId === runId && r.interrupts?.[0]?.value !== undefined));
    const resumed = await live.client.trpc.runs.resume.mutate({ runId, resume: "yes" });
    assert.equal(resumed.runId, runId);
    const { events, error } = await following;
    assert.equal(error, undefined);
    const updates = tuples(events).map((t) => t[1]);
    assert.deepEqual(normalize(updates), normalize([...readReference("interrupt_updates"), ...readReference("interrupt_resume_updates")]));
    assert.deepEqual(
      events.filter((e) => e.data[0] === "status").map((e) => (e.data[1] as { status: string }).status),
      ["interrupted", "running", "done"],
    );
    events.forEach((e, i) => assert.equal(e.id, `${runId}:${i}`));
    assert.deepEqual((await live.client.trpc.runs.get.query({ runId })).status, "done");
  });

  it("resume refuses a run that is not interrupted, and an unknown run", async () => {
    const { events } = await collect(live.client, { graphId: "joke", input: { topic: "x" }, streamMode: ["updates"] });
    const error = await live.client.trpc.runs.resume.mutate({ runId: runIdOf(events), resume: 1 }).catch((e: unknown) => e);
    assert.equal(errorCode(error), "PRECONDITION_FAILED");
    assert.match((error as Error).message, /is done; only an interrupted run can be resumed/);
    const missing = await live.client.trpc.runs.resume.mutate({ runId: "run_nothere1", resume: 1 }).catch((e: unknown) => e);
    assert.equal(errorCode(missing), "NOT_FOUND");
  });

  it("cancel ends an interrupted run", async () => {
    const interrupted = deferred<string>();
    const following = collect(live.client, { graphId: "approval", input: { topic: "x" }, streamMode: ["values"] }, (event, all) => {
      if (event.data[0] === "status") interrupted.resolve(runIdOf(all));
    });
    const runId = await interrupted.promise;
    await live.client.trpc.runs.cancel.mutate({ runId });
    const { events } = await following;
    assert.deepEqual(events.at(-1)!.data, ["status", { status: "cancelled", reason: "cancelled by a client" }]);
  });

  it("a node that fails ends the run with [error] then status error, after everything before it", async () => {
    const { events, error } = await collect(live.client, { graphId: "failing-node", input: { topic: "ice cream" }, streamMode: ["updates", "debug"] });
    assert.equal(error, undefined, "the subscription completes; the failure is in the events");
    const last = events.slice(-2).map((e) => e.data);
    assert.deepEqual(last, [
      ["error", { name: "Error", message: "boom in generate_joke (topic: ice cream and cats)" }],
      ["status", { status: "error" }],
    ]);
    const updates = tuples(events).filter((t) => t[0] === "updates");
    assert.deepEqual(updates, [["updates", { refine_topic: { topic: "ice cream and cats" } }]]);
    const failed = tuples(events).find((t) => t[0] === "debug" && t[1].type === "task_result" && t[1].payload.error !== null);
    assert.ok(failed, "debug shows the failed task_result");
    const record = await live.client.trpc.runs.get.query({ runId: runIdOf(events) });
    assert.equal(record.status, "error");
    assert.deepEqual(record.error, { name: "Error", message: "boom in generate_joke (topic: ice cream and cats)" });
  });

  it("the loop graph goes round its conditional edge `rounds` times", async () => {
    const { events } = await collect(live.client, { graphId: "refine-loop", input: { topic: "cats", rounds: 4 }, streamMode: ["updates", "custom"] });
    const custom = tuples(events).filter((t) => t[0] === "custom").map((t) => (t[1] as { round: number }).round);
    assert.deepEqual(custom, [1, 2, 3, 4]);
    const nodes = tuples(events).filter((t) => t[0] === "updates").map((t) => Object.keys(t[1] as object)[0]);
    assert.deepEqual(nodes, ["draft", "draft", "draft", "draft", "polish"]);
    assert.deepEqual(events.at(-1)!.data, ["status", { status: "done" }]);
  });

  it("the subgraph graph runs its child graph as one node", async () => {
    const { events } = await collect(live.client, { graphId: "subgraph", input: { topic: "ice cream" }, streamMode: ["updates", "values"] });
    const nodes = tuples(events).filter((t) => t[0] === "updates").map((t) => Object.keys(t[1] as object)[0]);
    assert.deepEqual(nodes, ["refine_topic", "writers_room", "generate_joke"]);
    const final = tuples(events).filter((t) => t[0] === "values").at(-1)![1] as { joke: string; angle: string };
    assert.equal(final.joke, `This is a joke about ${final.angle}`);
  });

  it("graphs.list describes every graph: example input valid against its JSON schema, structure with edges", async () => {
    const graphs = await live.client.trpc.graphs.list.query();
    const ids = graphs.map((g) => g.id);
    for (const id of ["joke", "llm-joke", "parallel-jokes", "refine-loop", "subgraph", "approval", "failing-node"]) {
      assert.ok(ids.includes(id), `${id} is registered`);
    }
    const joke = graphs.find((g) => g.id === "joke")!;
    assert.deepEqual(joke.exampleInput, { topic: "ice cream" });
    assert.equal((joke.inputSchema as { type: string }).type, "object");
    assert.deepEqual(joke.structure.nodes.map((n) => n.id), ["__start__", "refine_topic", "generate_joke", "__end__"]);
    const loop = graphs.find((g) => g.id === "refine-loop")!;
    assert.ok(loop.structure.edges.some((e) => e.source === "draft" && e.target === "draft" && e.conditional));
    assert.ok(graphs.find((g) => g.id === "llm-joke")!.usesModel);
  });

  it("system.info names the model and the limits", async () => {
    const info = await live.client.trpc.system.info.query();
    assert.equal(info.model.offline, true);
    assert.match(info.model.label, /offline/);
    assert.equal(info.limits.maxRuns, live.server.config.maxRuns);
    assert.deepEqual(info.defaultStreamMode, ["values", "updates", "custom", "messages", "debug"]);
  });

  it("llm-joke streams the offline model's tokens in messages mode, with the model in the metadata", async () => {
    const { events, error } = await collect(live.client, { graphId: "llm-joke", input: { topic: "ice cream" }, streamMode: ["messages", "updates"] });
    assert.equal(error, undefined);
    assert.match((events[0]!.data[1] as { model?: string }).model ?? "", /offline/);
    const tokens = tuples(events).filter((t) => t[0] === "messages");
    assert.ok(tokens.length > 3, `got ${tokens.length} message chunks`);
    assert.deepEqual(events.at(-1)!.data, ["status", { status: "done" }]);
  });
});
