// DeltaChannel and messagesDeltaReducer (LangGraph.js 1.7): the standalone channel, the reducer against
// LangGraph.js's own, and a graph whose messages key is a DeltaChannel, reloaded from its checkpoints.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { messagesDeltaReducer as langgraphDeltaReducer } from "@langchain/langgraph";
import { AIMessage, HumanMessage, RemoveMessage } from "@langchain/core/messages";
import { Annotation, END, InvalidUpdateError, MemorySaver, Overwrite, REMOVE_ALL_MESSAGES, START, StateGraph, messagesDeltaReducer } from "../index";
import type { BaseMessage } from "../messages";
import { DeltaChannel } from "./index";

const listReducer = (state: number[], writes: number[][]) => [...state, ...writes.flat()];

describe("DeltaChannel (standalone)", () => {
  it("folds a step's writes with the batch reducer; an Overwrite wins its whole step; two Overwrites throw", () => {
    assert.throws(() => new DeltaChannel(listReducer, { snapshotFrequency: 0 }), /snapshotFrequency must be a positive integer, got 0/);
    const channel = new DeltaChannel<number[], number[]>(listReducer);
    assert.equal(channel.isAvailable(), false);
    assert.equal(channel.update([]), false);
    channel.update([[1, 2], [3]]);
    assert.deepEqual(channel.get(), [1, 2, 3]);
    channel.update([[4], new Overwrite([50]), [5]]);
    assert.deepEqual(channel.get(), [50]);
    assert.throws(() => channel.update([new Overwrite([1]), new Overwrite([2])]), InvalidUpdateError);
    assert.equal(channel.checkpoint(), undefined);
  });

  it("restores from nothing, a DeltaSnapshot or a plain value, and replays writes from the last Overwrite", () => {
    const spec = new DeltaChannel<number[], number[]>(listReducer);
    assert.deepEqual(spec.fromCheckpoint(undefined).get(), []);
    assert.deepEqual(spec.fromCheckpoint({ lg_name: "DeltaSnapshot", value: [1, 2] }).get(), [1, 2]);
    const channel = spec.fromCheckpoint([100]);
    channel.replayWrites([["t1", "k", [1]], ["t2", "k", { __overwrite__: [50] }], ["t3", "k", [4]]]);
    assert.deepEqual(channel.get(), [50, 4]);
    assert.equal(spec.equals(new DeltaChannel(listReducer)), true);
    assert.equal(spec.equals(new DeltaChannel(listReducer, { snapshotFrequency: 5 })), false);
  });
});

describe("messagesDeltaReducer", () => {
  it("gives LangGraph.js's result: replace by id, RemoveMessage, REMOVE_ALL_MESSAGES, raw strings, id-less appends", () => {
    const cases: Array<[unknown[], unknown[][]]> = [
      [[], [[new HumanMessage({ id: "1", content: "a" })], [new AIMessage({ id: "2", content: "b" }), new AIMessage({ id: "1", content: "a2" })]]],
      [[new HumanMessage({ id: "1", content: "a" }), new HumanMessage({ id: "2", content: "b" })], [[new RemoveMessage({ id: "1" }), new RemoveMessage({ id: "missing" })]]],
      [[new HumanMessage({ id: "1", content: "a" })], [[new AIMessage({ id: "2", content: "b" })], [new RemoveMessage({ id: REMOVE_ALL_MESSAGES }), new HumanMessage({ id: "3", content: "c" })]]],
      [[{ type: "human", content: "old", id: "o" }], ["hello" as unknown as unknown[], [new AIMessage("no id")]]],
    ];
    for (const [state, writes] of cases) {
      const ours = messagesDeltaReducer(state as never, writes as never).map((m: any) => [m.getType?.() ?? m.type, m.content, m.id]);
      const theirs = langgraphDeltaReducer(state as never, writes as never).map((m) => [m.getType(), m.content, m.id]);
      assert.deepEqual(ours, theirs);
    }
  });

  it("is the same however the writes are batched", () => {
    const writes = [[new HumanMessage({ id: "1", content: "a" })], [new AIMessage({ id: "2", content: "b" })], [new HumanMessage({ id: "1", content: "a2" })]];
    const once = messagesDeltaReducer([], writes);
    const split = writes.reduce((state, write) => messagesDeltaReducer(state, [write]), [] as ReturnType<typeof messagesDeltaReducer>);
    assert.deepEqual(split.map((m) => [m.id, m.content]), once.map((m) => [m.id, m.content]));
  });
});

describe("DeltaChannel in a graph", () => {
  it("accumulates across turns, reloads from the checkpoints, and an Overwrite replaces the history", async () => {
    const State = Annotation.Root({ messages: new DeltaChannel(messagesDeltaReducer) });
    const saver = new MemorySaver();
    let turn = 0;
    const build = () =>
      new StateGraph(State)
        .addNode("chat", (state): typeof State.Update => {
          if (state.messages.length > 3) return { messages: new Overwrite([new AIMessage({ id: "reset", content: "reset" })] as unknown as BaseMessage[]) };
          turn += 1;
          return { messages: [new AIMessage({ id: `r${turn}`, content: `reply ${turn}` })] };
        })
        .addEdge(START, "chat")
        .addEdge("chat", END)
        .compile({ checkpointer: saver });
    const config = { configurable: { thread_id: "t" } };
    await build().invoke({ messages: [new HumanMessage({ id: "h1", content: "hi" })] }, config);
    const second = await build().invoke({ messages: [new HumanMessage({ id: "h2", content: "again" })] }, config);
    assert.deepEqual(second.messages.map((m: any) => m.id), ["h1", "r1", "h2", "r2"]);
    const reloaded = await build().getState(config);
    assert.deepEqual(reloaded.values.messages.map((m: any) => m.id), ["h1", "r1", "h2", "r2"]);
    const third = await build().invoke({ messages: [] }, config);
    assert.deepEqual(third.messages.map((m: any) => m.id), ["reset"]);
  });
});
