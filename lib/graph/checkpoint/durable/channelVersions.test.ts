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
after(async () => {
  for (const saver of savers) await saver.close();
});

describe("durable channel versions", () => {
  it("are numbers, and two forks holding the same number for different values each read their own", async () => {
    const saver = new SqliteSaver(":memory:");
    savers.push(saver);
    const graph = build(saver);
    const thread = { configurable: { thread_id: "forks" } };
    await graph.invoke({ doc: "x", n: 0 }, thread);
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
    const saver = new SqliteSaver(":memory:");
    savers.push(saver);
    const graph = build(saver);
    const thread = { configurable: { thread_id: "strings" } };
    await graph.invoke({ doc: "x", n: 0 }, thread);
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
