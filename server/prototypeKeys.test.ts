// Client JSON with "__proto__" / "constructor" keys (JSON.parse makes them own keys) never changes a
// prototype on the server: run inputs (a graph's strict schema refuses the key by name; a graph taking any
// JSON runs it as data), config.configurable, resume values, thread metadata and updates, asNode. The
// server is in this process, so `({}).polluted` after each test tells whether Object.prototype changed.
import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import { z } from "zod";
import type { GraphDefinition } from "../graphs/graphDefinition";
import { Annotation, END, START, StateGraph } from "../lib/graph";
import { collect, deferred, errorCode, liveServer, runIdOf, type Received } from "./test/harness";

const json = (text: string) => JSON.parse(text) as Record<string, unknown>;
const statusOf = (data: Received["data"]) => (data[0] === "status" ? (data[1] as { status: string }).status : undefined);

/** A graph whose input is any JSON: what a client sends reaches the engine as it is. */
const BagState = Annotation.Root({
  text: Annotation<string>(),
  bag: Annotation<Record<string, unknown>>({ reducer: (a, b) => ({ ...a, ...b }), default: () => ({}) }),
});
const anyInputGraph: GraphDefinition = {
  id: "any-input",
  title: "Any input (test)",
  description: "Takes any JSON object as input; its node returns an update with own __proto__ keys.",
  input: z.unknown(),
  exampleInput: { text: "x" },
  build() {
    return new StateGraph(BagState)
      .addNode("echo", (state) => JSON.parse(`{"__proto__": {"polluted": "update"}, "text": ${JSON.stringify(`${state.text}!`)}, "bag": {"__proto__": {"polluted": "nested"}, "k": 1}}`))
      .addEdge(START, "echo")
      .addEdge("echo", END)
      .compile();
  },
};

describe("client JSON with __proto__ and constructor keys", () => {
  const live = liveServer({ extraGraphs: [anyInputGraph] });
  afterEach(() => {
    assert.equal(({} as Record<string, unknown>).polluted, undefined, "Object.prototype gained a key");
  });

  it("a strict input schema refuses the key by name (top level and nested)", async () => {
    const top = await collect(live.client, { graphId: "joke", input: json('{"topic": "cats", "__proto__": {"polluted": "input"}}') });
    assert.equal(errorCode(top.error), "BAD_REQUEST");
    assert.equal(top.error?.message, 'graph "joke": input: Unrecognized key: "__proto__"');
    const nested = await collect(live.client, { graphId: "chat", input: json('{"messages": [{"role": "user", "content": "hi", "__proto__": {"polluted": "message"}}]}') });
    assert.equal(nested.error?.message, 'graph "chat": input.messages.0: Unrecognized key: "__proto__"');
    const ctor = await collect(live.client, { graphId: "approval", input: json('{"topic": "x", "constructor": 1}') });
    assert.equal(ctor.error?.message, 'graph "approval": input: Unrecognized key: "constructor"');
  });

  it("a graph taking any JSON: __proto__ keys of the input and of node updates stay data, and the values are right", async () => {
    const { error, events } = await collect(live.client, {
      graphId: "any-input",
      input: json('{"text": "hi", "__proto__": {"polluted": "input"}, "constructor": "c"}'),
      streamMode: ["values", "updates"],
    });
    assert.equal(error, undefined);
    const values = events.filter((e) => e.data[0] === "values").map((e) => e.data[1] as Record<string, unknown>);
    assert.deepEqual(values.at(-1), json('{"text": "hi!", "bag": {"__proto__": {"polluted": "nested"}, "k": 1}}'));
    assert.equal(statusOf(events.at(-1)!.data), "done");
    const thread = await live.client.trpc.threads.get.query({ threadId: (events[0]!.data[1] as { thread_id: string }).thread_id });
    assert.deepEqual(Object.keys(thread.values as object), ["text", "bag"]);
  });

  it("config.configurable with __proto__ and constructor keys runs", async () => {
    const { error, events } = await collect(live.client, {
      graphId: "joke",
      input: { topic: "cats" },
      config: { configurable: json('{"__proto__": {"polluted": "configurable"}, "constructor": "c", "toString": "t"}') },
    });
    assert.equal(error, undefined);
    assert.equal(statusOf(events.at(-1)!.data), "done");
  });

  it("a resume value with __proto__ keys reaches the node as data", async () => {
    const interrupted = deferred<string>();
    const following = collect(live.client, { graphId: "approval", input: { topic: "ice cream" }, streamMode: ["updates"] }, (event, all) => {
      if (statusOf(event.data) === "interrupted") interrupted.resolve(runIdOf(all));
    });
    const runId = await interrupted.promise;
    await live.client.trpc.runs.resume.mutate({ runId, resume: json('{"__proto__": {"polluted": "resume"}}') });
    const { error, events } = await following;
    assert.equal(error, undefined);
    const review = events.find((e) => e.data[0] === "updates" && "review" in (e.data[1] as object));
    assert.deepEqual(review?.data[1], json('{"review": {"approved": {"__proto__": {"polluted": "resume"}}}}'));
    assert.equal(statusOf(events.at(-1)!.data), "done");
  });

  it("thread metadata drops a __proto__ key (zod), keeps constructor; an update's __proto__ key is ignored; asNode __proto__ is an unknown node", async () => {
    const created = await live.client.trpc.threads.create.mutate({ graphId: "joke", metadata: json('{"__proto__": {"polluted": "metadata"}, "constructor": "c"}') });
    assert.deepEqual(created.metadata, { constructor: "c" });
    assert.equal(Object.getPrototypeOf(created.metadata), Object.prototype);
    const run = await collect(live.client, { graphId: "approval", input: { topic: "x" }, streamMode: ["updates"] }, (event) => (statusOf(event.data) === "interrupted" ? "stop" : undefined));
    const threadId = (run.events[0]!.data[1] as { thread_id: string }).thread_id;
    await live.client.trpc.runs.cancel.mutate({ runId: runIdOf(run.events) });
    await live.client.trpc.threads.update.mutate({ threadId, values: json('{"__proto__": {"polluted": "values"}, "topic": "y"}') });
    assert.deepEqual((await live.client.trpc.threads.get.query({ threadId })).values, { topic: "y" });
    for (const asNode of ["__proto__", "constructor", "toString"]) {
      const refused = await live.client.trpc.threads.update.mutate({ threadId, values: { topic: "z" }, asNode }).catch((e: unknown) => e as Error);
      assert.equal(errorCode(refused), "BAD_REQUEST");
      assert.match((refused as Error).message, new RegExp(`\\(graph "approval"\\): Node "${asNode}" does not exist$`));
    }
    assert.ok((await live.client.trpc.graphs.list.query()).length > 0, "the server still answers");
  });
});
