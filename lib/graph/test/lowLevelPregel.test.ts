// The low-level Pregel's own checks: clear errors for bad definitions, a Topic seen only in the step after it
// was written, and a node named like a channel. (Behaviour shared with LangGraph.js: differential case
// "low-level Pregel".)
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BinaryOperatorAggregate, Channel, LastValue, NamedBarrierValue, Pregel, Topic } from "../index";

const addOne = (x: number) => x + 1;

describe("low-level Pregel", () => {
  it("names what is missing or unknown in its definition", () => {
    const node = Channel.subscribeTo("input").pipe(addOne).pipe(Channel.writeTo(["output"]));
    const channels = { input: new LastValue<number>(), output: new LastValue<number>() };
    assert.throws(() => new Pregel({ nodes: { node } } as never), /`channels` is required/);
    assert.throws(() => new Pregel({ nodes: { node }, channels, outputChannels: "output" } as never), /`inputChannels` is required/);
    assert.throws(() => new Pregel({ nodes: { node }, channels, inputChannels: "nope", outputChannels: "output" }), /channel "nope" is not in `channels`/);
    const stray = Channel.subscribeTo("elsewhere").pipe(addOne);
    assert.throws(() => new Pregel({ nodes: { stray }, channels, inputChannels: "input", outputChannels: "output" }), /node "stray" subscribes to channel "elsewhere"/);
    assert.throws(
      () => new Pregel({ nodes: { node }, channels: { ...channels, barrier: new NamedBarrierValue(new Set(["a"])) }, inputChannels: "input", outputChannels: "output" }),
      /channel "barrier" is a NamedBarrierValue/,
    );
    assert.throws(() => Channel.subscribeTo(["input"], { key: "k" }), /`key` can only be used with a single channel/);
    assert.throws(() => Channel.subscribeTo("input").join(["output"]), /reads a single channel/);
  });

  it("names a channel a node writes that does not exist", async () => {
    const app = new Pregel({
      nodes: { one: Channel.subscribeTo("input").pipe(Channel.writeTo(["missing"])) },
      channels: { input: new LastValue<number>(), output: new LastValue<number>() },
      inputChannels: "input",
      outputChannels: "output",
    });
    await assert.rejects(app.invoke(1), /node "one" wrote to channel "missing"/);
  });

  it("shows a Topic to nodes only in the step after it was written", async () => {
    const seen: unknown[] = [];
    const app = new Pregel({
      nodes: {
        one: Channel.subscribeTo("input").pipe(addOne).pipe(Channel.writeTo(["inbox", "between"])),
        two: Channel.subscribeTo("between").pipe(addOne).pipe(Channel.writeTo(["later"])),
        // Runs in step 3 (after `two`); `inbox` was written in step 1, so a non-accumulating Topic is empty.
        three: Channel.subscribeTo(["later"]).join(["inbox"]).pipe((x: unknown) => seen.push(x)).pipe(Channel.writeTo(["output"])),
      },
      channels: { input: new LastValue<number>(), inbox: new Topic<number>(), between: new LastValue<number>(), later: new LastValue<number>(), output: new LastValue<number>() },
      inputChannels: "input",
      outputChannels: ["output", "inbox"],
    });
    assert.deepEqual(await app.invoke(1), { output: 1 });
    assert.deepEqual(seen, [{ later: 3 }]);
  });

  it("runs a node named like a channel, and a reducer channel across invocations of one thread", async () => {
    const app = new Pregel({
      nodes: { total: Channel.subscribeTo("input").pipe(Channel.writeTo(["total"])) },
      channels: { input: new LastValue<number>(), total: new BinaryOperatorAggregate<number>((a, b) => a + b) },
      inputChannels: "input",
      outputChannels: "total",
    });
    assert.equal(await app.invoke(5), 5);
  });
});
