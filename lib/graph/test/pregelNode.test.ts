// PregelNode built from LangGraph.js's fields (bound, writers) and its getWriters() / getNode(), with
// LangGraph.js's rules (its pregel.read tests): trailing ChannelWrites merged, the node as one runnable.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { RunnablePassthrough, RunnableSequence } from "@langchain/core/runnables";
import { Channel, ChannelWrite, PregelNode } from "../index";

const addOne = (x: number) => x + 1;

describe("PregelNode.getWriters / getNode (LangGraph.js's fields: bound, writers)", () => {
  const write = (channel: string, value: number) => new ChannelWrite([{ channel, value, skipNone: false }]);

  it("merges trailing ChannelWrites into one", () => {
    const node = new PregelNode({ channels: ["foo"], triggers: ["bar"], writers: [write("a", 1), write("b", 2), write("c", 3)] });
    const writers = node.getWriters();
    assert.equal(writers.length, 1);
    assert.deepEqual((writers[0] as ChannelWrite).writes.map((w) => w.channel), ["a", "b", "c"]);
    // Not when something else ends the list.
    const passthrough = new RunnablePassthrough();
    assert.equal(new PregelNode({ channels: ["foo"], triggers: ["bar"], writers: [write("a", 1), write("b", 2), passthrough] }).getWriters().length, 3);
  });

  it("getNode: nothing, the only part, or a RunnableSequence of bound and writers", () => {
    assert.equal(new PregelNode({ channels: ["foo"], triggers: ["bar"], writers: [] }).getNode(), undefined);
    const only = write("a", 1);
    assert.equal(new PregelNode({ channels: ["foo"], triggers: ["bar"], writers: [only] }).getNode(), only);
    const bound = new RunnablePassthrough();
    assert.equal(new PregelNode({ channels: ["foo"], triggers: ["bar"], writers: [], bound }).getNode(), bound);
    const [w1, w2, tail] = [write("a", 1), write("b", 2), new RunnablePassthrough()];
    const sequence = new PregelNode({ channels: ["foo"], triggers: ["bar"], writers: [w1, w2, tail], bound }).getNode() as RunnableSequence;
    assert.ok(RunnableSequence.isRunnableSequence(sequence), "a @langchain/core RunnableSequence (the CommonJS build: not instanceof the ESM class)");
    assert.deepEqual(sequence.steps, [bound, w1, w2, tail]);
  });

  it("a node built with Channel.subscribeTo().pipe() splits at its first ChannelWrite", () => {
    const node = Channel.subscribeTo("input").pipe(addOne).pipe(Channel.writeTo(["output"])).pipe(Channel.writeTo(["other"]));
    const writers = node.getWriters();
    assert.equal(writers.length, 1);
    assert.deepEqual((writers[0] as ChannelWrite).writes.map((w) => w.channel), ["output", "other"]);
    assert.deepEqual((node.getNode() as RunnableSequence).steps, [addOne, writers[0]]);
  });
});
