// The durable savers number channel versions (getNextVersion: 1, 2, ...), as LangGraph's savers do by
// default. Two forks of a thread can then give a channel the same number for different values; each row's
// layout names the row holding an unchanged channel's value, so each fork still reads its own. A thread
// stored by an earlier Rill, whose versions are strings "<counter>.<suffix>", goes on with strings.
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { Annotation, END, START, StateGraph, type RunConfig } from "../../index";
import { SqliteSaver } from "../sqlite/sqliteSaver";

const State = Annotation.Root({ doc: Annotation<string>(), n: Annotation<number>() });

function build(saver: SqliteSaver) {
  return new StateGraph(State)
    .addNode("setDoc", () => ({ doc: "A" }))
    .addNode("bump", (s) => ({ n: s.n + 1 }))
    .addNode("bumpAgain", (s) => ({ n: s.n + 1 }))
    .addEdge(START, "setDoc")
    .addEdge("setDoc", "bump")
    .addEdge("bump", "bumpAgain")
    .addEdge("bumpAgain", END)
    .compile({ checkpointer: saver });
}

const savers: SqliteSaver[] = [];

/** A saver in memory and the graph on it, run once on thread `threadId`. */
async function ranThread(threadId: string) {
  const saver = new SqliteSaver(":memory:");
  savers.push(saver);
  const graph = build(saver);
  const thread = { configurable: { thread_id: threadId } };
  await graph.invoke({ doc: "x", n: 0 }, thread);
  return { saver, graph, thread };
}
after(async () => {
  for (const saver of savers) await saver.close();
});

describe("durable channel versions", () => {
  it("are numbers, and two forks holding the same number for different values each read their own", async () => {
    const { saver, graph, thread } = await ranThread("forks");
    const original = await saver.getTuple(thread);
    assert.equal(typeof original!.checkpoint.channel_versions.doc, "number");

    const history = [];
    for await (const snapshot of graph.getStateHistory(thread)) history.push(snapshot);
    const beforeSetDoc = history.find((s) => s.next.length === 1 && s.next[0] === "setDoc")!;
    const forked = await graph.updateState(beforeSetDoc.config, { doc: "B" }, "setDoc");
    await graph.invoke(null, forked as RunConfig);

    const fork = await saver.getTuple(thread);
    assert.notEqual(fork!.config.configurable!.checkpoint_id, original!.config.configurable!.checkpoint_id);
    assert.equal(fork!.checkpoint.channel_versions.doc, original!.checkpoint.channel_versions.doc, "both forks numbered doc alike");
    assert.deepEqual((await graph.getState(thread)).values, { doc: "B", n: 2 });
    assert.deepEqual((await graph.getState(original!.config as RunConfig)).values, { doc: "A", n: 2 });
  });

  it("stay strings of the form \"<counter>.<suffix>\" on a thread an earlier Rill stored that way", async () => {
    const { saver, graph, thread } = await ranThread("strings");
    // The thread's last checkpoint as an earlier Rill stored it: the same values, string versions.
    const last = (await saver.getTuple(thread))!;
    const versions: Record<string, string> = {};
    for (const [channel, version] of Object.entries(last.checkpoint.channel_versions)) versions[channel] = `${String(version).padStart(12, "0")}.old001`;
    const stored = await saver.put({ configurable: { thread_id: "strings-old", checkpoint_ns: "" } }, { ...last.checkpoint, id: "00000000-0000-6000-8000-000000000000", channel_versions: versions }, last.metadata!, versions);

    await graph.updateState(stored as RunConfig, { n: 10 }, "bumpAgain");
    const next = (await saver.getTuple({ configurable: { thread_id: "strings-old" } }))!;
    const n = next.checkpoint.channel_versions.n as unknown as string;
    assert.equal(typeof n, "string");
    assert.match(n, /^\d{12}\.[0-9a-z]+$/);
    assert.ok(n > versions.n, `${n} follows ${versions.n}`);
    assert.deepEqual((await graph.getState({ configurable: { thread_id: "strings-old" } })).values, { doc: "A", n: 10 });
  });
});

describe("rows an earlier Rill wrote", () => {
  it("read back with their id and versions from the checkpoint, and new rows on top find their values", async () => {
    const saver = new SqliteSaver(":memory:");
    savers.push(saver);
    const insert = saver.db.prepare(`INSERT INTO checkpoints (thread_id, checkpoint_ns, checkpoint_id, parent_id, type, checkpoint, metadata, layout) VALUES ('old', '', ?, ?, 'json', ?, ?, ?)`);
    const v = (n: number) => `${String(n).padStart(12, "0")}.old00${n}`;
    // The parent holds doc and n; the child holds n only, its layout naming the parent for doc.
    const parent = { v: 4, id: "00000000-0000-6000-8000-000000000001", ts: "2026-01-01T00:00:00.000Z", channel_values: { doc: "kept", n: 1 }, channel_versions: { doc: v(1), n: v(1) }, versions_seen: {} };
    const child = { v: 4, id: "00000000-0000-6000-8000-000000000002", ts: "2026-01-01T00:00:01.000Z", channel_values: { n: 2 }, channel_versions: { doc: v(1), n: v(2) }, versions_seen: {} };
    insert.run(parent.id, null, JSON.stringify(parent), JSON.stringify({ source: "input", step: -1, parents: {} }), JSON.stringify({ doc: [v(1)], n: [v(1)] }));
    insert.run(child.id, parent.id, JSON.stringify(child), JSON.stringify({ source: "loop", step: 0, parents: {} }), JSON.stringify({ doc: [v(1), parent.id], n: [v(2)] }));

    const tuple = (await saver.getTuple({ configurable: { thread_id: "old" } }))!;
    assert.deepEqual(tuple.checkpoint, { ...child, channel_values: { n: 2, doc: "kept" } });

    // A checkpoint this Rill puts on top, changing n only: doc still comes from the first row.
    const next = { ...tuple.checkpoint, id: "00000000-0000-6000-8000-000000000003", channel_values: { doc: "kept", n: 3 }, channel_versions: { doc: v(1), n: v(3) } };
    await saver.put(tuple.config, next, { source: "loop", step: 1, parents: {} }, { n: v(3) });
    const latest = (await saver.getTuple({ configurable: { thread_id: "old" } }))!;
    assert.deepEqual(latest.checkpoint.channel_values, { doc: "kept", n: 3 });
    assert.deepEqual(latest.checkpoint.channel_versions, { doc: v(1), n: v(3) });
    assert.equal(latest.checkpoint.id, next.id);
    const stored = saver.db.prepare(`SELECT checkpoint, layout FROM checkpoints WHERE checkpoint_id = ?`).get(next.id) as { checkpoint: string; layout: string };
    assert.equal(JSON.parse(stored.checkpoint).channel_versions, undefined, "a new row keeps its versions in its layout only");
    // [versions, pointers]: doc's value is in the first row (the earlier Rill's layout named it there).
    assert.deepEqual(JSON.parse(stored.layout), [{ doc: v(1), n: v(3) }, { doc: parent.id }]);
  });
});
