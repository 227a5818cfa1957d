// The channel classes' standalone API (LangGraph.js's): update / get / checkpoint / fromCheckpoint.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { EmptyChannelError, InvalidUpdateError, Overwrite } from "../index";
import { AnyValue, BinaryOperatorAggregate, DynamicBarrierValue, EphemeralValue, LastValue, NamedBarrierValue, Topic, UntrackedValueChannel } from "./index";

describe("standalone channels", () => {
  it("LastValue: one write per step, empty until written, undefined is a value, restores from its checkpoint", () => {
    const channel = new LastValue<number | undefined>();
    assert.throws(() => channel.get(), EmptyChannelError);
    assert.equal(channel.isAvailable(), false);
    assert.throws(() => channel.update([1, 2]), InvalidUpdateError);
    assert.equal(channel.update([]), false);
    channel.update([undefined]);
    assert.equal(channel.get(), undefined);
    channel.update([7]);
    assert.equal(channel.fromCheckpoint(channel.checkpoint()).get(), 7);
    let calls = 0;
    const withDefault = new LastValue(() => `v${++calls}`);
    assert.equal(calls, 0, "the initial value is made on first use, not when a graph declares the key");
    assert.equal(withDefault.get(), "v1");
    assert.equal(withDefault.fromCheckpoint(undefined).get(), "v2");
  });

  it("BinaryOperatorAggregate folds writes; an Overwrite replaces and later writes of the step are dropped", () => {
    const channel = new BinaryOperatorAggregate<number>((a, b) => a + b, () => 0);
    channel.update([1, 2, 3]);
    assert.equal(channel.get(), 6);
    channel.update([new Overwrite(100), 50]);
    assert.equal(channel.get(), 100);
    assert.throws(() => channel.update([new Overwrite(1), new Overwrite(2)]), InvalidUpdateError);
    const restored = channel.fromCheckpoint(channel.checkpoint());
    restored.update([5]);
    assert.equal(restored.get(), 105);
  });

  it("Topic: replaces per step, flattens lists, accumulate appends, unique dedupes and keeps [seen, values]", () => {
    const topic = new Topic<string>();
    topic.update([["a", "b"], "c"]);
    assert.deepEqual(topic.get(), ["a", "b", "c"]);
    topic.update([]);
    assert.throws(() => topic.get(), EmptyChannelError);
    assert.deepEqual(topic.checkpoint(), []);
    const unique = new Topic<string>({ unique: true });
    unique.update(["a", "b"]);
    unique.update(["b", "c"]);
    assert.deepEqual(unique.get(), ["c"]);
    assert.deepEqual(unique.checkpoint(), [["a", "b", "c"], ["c"]]);
    const again = unique.fromCheckpoint(unique.checkpoint());
    again.update(["a", "d"]);
    assert.deepEqual(again.get(), ["d"]);
    const acc = new Topic<string>({ accumulate: true });
    acc.update(["a"]);
    acc.update([]);
    acc.update(["b"]);
    assert.deepEqual(acc.fromCheckpoint(acc.checkpoint()).get(), ["a", "b"]);
  });

  it("AnyValue / EphemeralValue / UntrackedValueChannel", () => {
    const any = new AnyValue<number>();
    assert.equal(any.update([1, 2]), true);
    assert.equal(any.get(), 2);
    assert.equal(any.update([]), true);
    assert.equal(any.update([]), false);
    assert.throws(() => new EphemeralValue<number>().update([1, 2]), InvalidUpdateError);
    const ephemeral = new EphemeralValue<number>(false);
    ephemeral.update([1, 2]);
    assert.equal(ephemeral.fromCheckpoint(ephemeral.checkpoint()).get(), 2);
    const untracked = new UntrackedValueChannel<number>({ initialValueFactory: () => 9 });
    untracked.update([4]);
    assert.equal(untracked.checkpoint(), undefined);
    assert.equal(untracked.fromCheckpoint().get(), 9);
    assert.equal(untracked.lc_graph_name, "UntrackedValue");
  });

  it("barriers are available once every name was written, and consume resets them", () => {
    const named = new NamedBarrierValue(new Set(["a", "b"]));
    named.update(["a"]);
    assert.throws(() => named.get(), EmptyChannelError);
    assert.throws(() => named.update(["z"]), InvalidUpdateError);
    named.update(["b"]);
    assert.equal(named.isAvailable(), true);
    assert.equal(named.consume(), true);
    assert.equal(named.isAvailable(), false);
    const dynamic = new DynamicBarrierValue<string>();
    assert.equal(dynamic.update(["a"]), false);
    dynamic.update([{ __names: ["a"] }]);
    dynamic.update(["a"]);
    assert.equal(dynamic.fromCheckpoint(dynamic.checkpoint()).isAvailable(), true);
  });
});
