// Named tokens give clients identities, and a run belongs to the identity that started it: another
// identity cannot see, join, cancel, resume or list it, and is answered as for a run that does not exist.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { collect, collectBatches, connect, deferred, errorCode, runIdOf, startServer, type Collected, type Received, type TestServer } from "../test/harness";

const UNKNOWN = (runId: string) => `run "${runId}" not found (unknown id, or dropped from the run store after it ended)`;

describe("identities from RILL_TOKEN=alice:…,bob:…", () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ env: { ...process.env, RILL_TOKEN: "alice:alice-secret-1, bob:bob-secret-2", OPENAI_API_KEY: "", OPENAI_BASE_URL: "", RILL_OFFLINE_DELAY_MS: "0" } });
  });
  after(async () => {
    await server.close();
  });

  /** Alice starts an approval run and waits for its interrupt; her subscription stays open. */
  async function aliceInterruptedRun(alice: ReturnType<typeof connect>) {
    const interrupted = deferred<string>();
    const done: Promise<Collected> = collect(alice, { graphId: "approval", input: { topic: "ice cream" }, streamMode: ["updates"] }, (event, all) => {
      const [kind, body] = event.data as [string, { status?: string }];
      if (kind === "status" && body.status === "interrupted") interrupted.resolve(runIdOf(all));
    });
    return { runId: await interrupted.promise, done };
  }

  it("bob cannot get, join, cancel, resume or list alice's run, and gets the unknown-run answer; alice sees no reason of his", async () => {
    const alice = connect(server, { token: "alice-secret-1" });
    const bob = connect(server, { token: "bob-secret-2" });
    const { runId, done } = await aliceInterruptedRun(alice);

    const refusals: Array<[string, Promise<unknown>]> = [
      ["get", bob.trpc.runs.get.query({ runId })],
      ["cancel", bob.trpc.runs.cancel.mutate({ runId, reason: "bob was here" })],
      ["resume", bob.trpc.runs.resume.mutate({ runId, resume: "approved by bob" })],
    ];
    for (const [what, call] of refusals) {
      const error = await call.then(() => assert.fail(`${what} succeeded for bob`), (e: unknown) => e);
      assert.equal(errorCode(error), "NOT_FOUND", what);
      assert.equal((error as Error).message, UNKNOWN(runId), what);
    }
    const joined = await collect(bob, { runId });
    assert.equal(errorCode(joined.error), "NOT_FOUND");
    assert.equal(joined.error!.message, UNKNOWN(runId));
    assert.equal(joined.events.length, 0);
    const batches = await collectBatches(bob, { runId });
    assert.equal(errorCode(batches.error), "NOT_FOUND");
    assert.equal(batches.events.length, 0);
    const resumed = await collect(bob, { graphId: "approval", input: { topic: "x" }, lastEventId: `${runId}:1` });
    assert.equal(errorCode(resumed.error), "NOT_FOUND");
    assert.equal(resumed.events.length, 0);
    const reused = await collect(bob, { graphId: "approval", input: { topic: "x" }, runId });
    assert.equal(errorCode(reused.error), "CONFLICT", "a start naming alice's run id neither joins it nor says whose it is");
    assert.doesNotMatch(reused.error!.message, /approval|alice/);
    assert.equal(reused.events.length, 0);
    assert.deepEqual(
      (await bob.trpc.runs.list.query()).map((r) => r.runId),
      [],
      "bob lists none of alice's runs",
    );

    assert.equal((await server.runs.get(runId))?.status, "interrupted", "nothing bob did touched the run");
    assert.deepEqual((await alice.trpc.runs.list.query()).map((r) => r.runId), [runId]);
    assert.equal((await alice.trpc.runs.get.query({ runId })).status, "interrupted");
    await alice.trpc.runs.resume.mutate({ runId, resume: "yes" });
    const { events, error } = await done;
    assert.equal(error, undefined);
    const statuses = events.filter((e) => e.data[0] === "status").map((e) => e.data[1]);
    assert.deepEqual(statuses.at(-1), { status: "done" });
    assert.ok(!JSON.stringify(events).includes("bob"), "alice never sees anything bob sent");
    await Promise.all([alice.close(), bob.close()]);
  });

  it("while alice's run streams, bob's attempts on it (cancel, resume, join, get) change nothing: she gets every event once, in order, to the end", async () => {
    const alice = connect(server, { token: "alice-secret-1" });
    const bob = connect(server, { token: "bob-secret-2" });
    const count = 3000;
    const attacked = deferred<void>();
    let attacks: Promise<unknown[]> | null = null;
    const run = collect(alice, { graphId: "ticker", input: { count, every: 20, delayMs: 1 }, streamMode: ["custom"] }, (_e, all) => {
      if (all.length !== 100) return;
      const runId = runIdOf(all);
      const rounds = Array.from({ length: 20 }, () => [
        bob.trpc.runs.cancel.mutate({ runId, reason: "bob was here" }).catch((e: unknown) => errorCode(e)),
        bob.trpc.runs.resume.mutate({ runId, resume: "bob" }).catch((e: unknown) => errorCode(e)),
        bob.trpc.runs.get.query({ runId }).catch((e: unknown) => errorCode(e)),
        collect(bob, { runId }).then((c) => errorCode(c.error)),
      ]).flat();
      attacks = Promise.all(rounds);
      attacked.resolve();
    });
    await attacked.promise;
    assert.deepEqual(new Set(await attacks!), new Set(["NOT_FOUND"]), "every attempt is answered as for an unknown run");
    const { events, error } = await run;
    assert.equal(error, undefined);
    const runId = runIdOf(events);
    events.forEach((event, i) => assert.equal(event.id, `${runId}:${i}`));
    const ticks = events.filter((e) => e.data[0] === "custom").map((e) => (e.data[1] as { n: number }).n);
    assert.deepEqual(ticks, Array.from({ length: count }, (_, i) => i + 1), "no tick lost, repeated or reordered");
    assert.deepEqual(events.at(-1)!.data, ["status", { status: "done" }]);
    assert.ok(!JSON.stringify(events).includes("bob"));
    await Promise.all([alice.close(), bob.close()]);
  });

  it("alice's second connection is alice: it joins, lists and cancels her run", async () => {
    const alice = connect(server, { token: "alice-secret-1" });
    const { runId, done } = await aliceInterruptedRun(alice);
    const again = connect(server, { token: "alice-secret-1" });
    const replay = await collect(again, { runId }, (_e, all: Received[]) => (all.some((e) => e.data[0] === "status") ? "stop" : undefined));
    assert.equal(replay.error, undefined);
    assert.equal(runIdOf(replay.events), runId);
    assert.ok((await again.trpc.runs.list.query()).some((r) => r.runId === runId));
    const cancelled = await again.trpc.runs.cancel.mutate({ runId, reason: "changed my mind" });
    assert.equal(cancelled.runId, runId);
    const { events } = await done;
    assert.deepEqual(events.at(-1)!.data, ["status", { status: "cancelled", reason: "changed my mind" }]);
    await Promise.all([alice.close(), again.close()]);
  });

  it("over HTTP the Bearer token is the identity too", async () => {
    const alice = connect(server, { token: "alice-secret-1" });
    const { runId, done } = await aliceInterruptedRun(alice);
    const asBob = await fetch(`${server.url}/api/trpc/runs.get?input=${encodeURIComponent(JSON.stringify({ runId }))}`, {
      headers: { authorization: "Bearer bob-secret-2" },
    });
    assert.equal(asBob.status, 404);
    const bobCancel = await fetch(`${server.url}/api/trpc/runs.cancel`, {
      method: "POST",
      headers: { authorization: "Bearer bob-secret-2", "content-type": "application/json" },
      body: JSON.stringify({ runId, reason: "bob was here" }),
    });
    assert.equal(bobCancel.status, 404);
    const asAlice = await fetch(`${server.url}/api/trpc/runs.get?input=${encodeURIComponent(JSON.stringify({ runId }))}`, {
      headers: { authorization: "Bearer alice-secret-1" },
    });
    assert.equal(asAlice.status, 200);
    const noToken = await fetch(`${server.url}/api/trpc/runs.list`);
    assert.equal(noToken.status, 401);
    await alice.trpc.runs.cancel.mutate({ runId });
    await done;
    await alice.close();
  });

  it("a token that is not one of them is refused, and a wrong one names how to send it", async () => {
    const mallory = connect(server, { token: "alice-secret-2" });
    const { error } = await collect(mallory, { graphId: "joke", input: { topic: "x" } });
    assert.equal(errorCode(error), "UNAUTHORIZED");
    assert.match(error!.message, /connectionParams \{ token \}/);
    await mallory.close();
  });
});

describe("one bare RILL_TOKEN is one identity", () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ config: { token: "shared-secret" } });
  });
  after(async () => {
    await server.close();
  });

  it("every holder of the token sees the same runs", async () => {
    const a = connect(server, { token: "shared-secret" });
    const b = connect(server, { token: "shared-secret" });
    const { events, error } = await collect(a, { graphId: "joke", input: { topic: "x" }, streamMode: ["updates"] });
    assert.equal(error, undefined);
    const runId = runIdOf(events);
    assert.equal((await server.runs.get(runId))?.owner, "default");
    assert.equal((await b.trpc.runs.get.query({ runId })).status, "done");
    assert.deepEqual((await b.trpc.runs.list.query()).map((r) => r.runId), [runId]);
    await Promise.all([a.close(), b.close()]);
  });
});

describe("without auth nothing is owned", () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(async () => {
    await server.close();
  });

  it("any client sees, lists and cancels any run, as before", async () => {
    const a = connect(server);
    const b = connect(server);
    const started = deferred<string>();
    const run = collect(a, { graphId: "ticker", input: { count: 100_000, every: 10, delayMs: 1 }, streamMode: ["custom"] }, (_e, all) => {
      if (all.length === 2) started.resolve(runIdOf(all));
    });
    const runId = await started.promise;
    assert.equal((await server.runs.get(runId))?.owner, undefined);
    assert.ok((await b.trpc.runs.list.query()).some((r) => r.runId === runId));
    await b.trpc.runs.cancel.mutate({ runId });
    assert.deepEqual((await run).events.at(-1)!.data, ["status", { status: "cancelled", reason: "cancelled by a client" }]);
    await Promise.all([a.close(), b.close()]);
  });
});

describe("per-client limits count per identity", () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ config: { token: "alice:a-secret,bob:b-secret", maxRunsPerClient: 1 } });
  });
  after(async () => {
    await server.close();
  });

  it("a second connection of the same identity does not get a fresh allowance; another identity does", async () => {
    const first = connect(server, { token: "a-secret" });
    const started = deferred<string>();
    const long = collect(first, { graphId: "ticker", input: { count: 1_000_000, every: 10, delayMs: 1 }, streamMode: ["custom"] }, (_e, all) => {
      if (all.length === 2) started.resolve(runIdOf(all));
    });
    const runId = await started.promise;
    const second = connect(server, { token: "a-secret" });
    const refused = await collect(second, { graphId: "joke", input: { topic: "x" } });
    assert.equal(errorCode(refused.error), "TOO_MANY_REQUESTS");
    const bob = connect(server, { token: "b-secret" });
    const { error } = await collect(bob, { graphId: "joke", input: { topic: "x" }, streamMode: ["updates"] });
    assert.equal(error, undefined);
    await first.trpc.runs.cancel.mutate({ runId });
    await long;
    await Promise.all([first.close(), second.close(), bob.close()]);
  });
});
