// Keys named like Object.prototype's properties (`__proto__`, `constructor`, `toString`, ...): a state key
// or node name with such a name is refused with an error naming it (LangGraph.js fails on it too), and
// data holding such keys (a JSON input or update with an own `__proto__` key) changes no prototype.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { z } from "zod";
import { Annotation, Channel, END, Graph, LastValue, MemorySaver, Pregel, START, StateGraph, StateSchema } from "../index";

const NAMES = ["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf"];

describe("Object.prototype names as state keys and node names", () => {
  for (const name of NAMES) {
    it(`refuses a state key named ${name} (Annotation.Root, zod, { channels }, input and node input schemas)`, () => {
      const refused = new RegExp(`the (state|input) schema has a key named "${name}"`);
      assert.throws(() => new StateGraph(Annotation.Root({ [name]: Annotation<number>(), ok: Annotation<number>() })), refused);
      assert.throws(() => new StateGraph(z.object({ [name]: z.number(), ok: z.number() }) as never), refused);
      assert.throws(() => new StateGraph({ channels: { [name]: null, ok: null } }), refused);
      const State = Annotation.Root({ ok: Annotation<number>() });
      assert.throws(() => new StateGraph({ state: State, input: Annotation.Root({ [name]: Annotation<number>() }) }), refused);
      assert.throws(
        () => new StateGraph(State).addNode("n", () => ({}), { input: Annotation.Root({ [name]: Annotation<number>() }) }),
        new RegExp(`node "n"'s input schema has a key named "${name}"`),
      );
    });

    it(`refuses a node named ${name}`, () => {
      const State = Annotation.Root({ ok: Annotation<number>() });
      assert.throws(() => new StateGraph(State).addNode(name, () => ({ ok: 1 })), new RegExp(`A node cannot be named "${name}"`));
      assert.throws(() => new Graph().addNode(name, (x: unknown) => x), new RegExp(`A node cannot be named "${name}"`));
    });

    it(`refuses a Pregel channel or node named ${name} (LangGraph.js's Pregel fails on it)`, () => {
      const node = Channel.subscribeTo("a").pipe((x: number) => x + 1).pipe(Channel.writeTo(["b"]));
      assert.throws(
        () => new Pregel({ nodes: { node }, channels: { a: new LastValue(), b: new LastValue(), [name]: new LastValue() }, inputChannels: ["a"], outputChannels: ["b"] }),
        new RegExp(`Pregel: \`channels\` has a key named "${name}"`),
      );
      assert.throws(
        () => new Pregel({ nodes: { [name]: node }, channels: { a: new LastValue(), b: new LastValue() }, inputChannels: ["a"], outputChannels: ["b"] }),
        new RegExp(`Pregel: \`nodes\` has a key named "${name}"`),
      );
    });
  }

  it("a Pregel node reading a channel under the key __proto__ gets it as its input's own key", async () => {
    const node = Channel.subscribeTo("a", { key: "__proto__" })
      .pipe((input: Record<string, unknown>) => [Object.hasOwn(input, "__proto__"), Object.getPrototypeOf(input) === Object.prototype, input["__proto__"]])
      .pipe(Channel.writeTo(["b"]));
    const app = new Pregel({ nodes: { node }, channels: { a: new LastValue(), b: new LastValue() }, inputChannels: ["a"], outputChannels: ["b"] });
    assert.deepEqual(await app.invoke({ a: 7 }), { b: [true, true, 7] });
  });

  it("an input and node updates with own __proto__ keys (JSON.parse) change no prototype and lose no write", async () => {
    const State = Annotation.Root({
      text: Annotation<string>(),
      bag: Annotation<Record<string, unknown>>({ reducer: (a, b) => ({ ...a, ...b }), default: () => ({}) }),
    });
    const graph = new StateGraph(State)
      .addNode("n", () => JSON.parse('{"__proto__": {"polluted": "update"}, "text": "done", "bag": {"__proto__": {"polluted": "nested"}, "k": 1}}'))
      .addEdge(START, "n")
      .addEdge("n", END)
      .compile({ checkpointer: new MemorySaver() });
    const config = { configurable: { thread_id: "proto-keys" } };
    const out = await graph.invoke(JSON.parse('{"text": "start", "__proto__": {"polluted": "input"}}'), config);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(Object.getPrototypeOf(out), Object.prototype);
    assert.deepEqual(Object.keys(out), ["text", "bag"]);
    assert.equal(out.text, "done");
    // The reducer's spread keeps the nested own "__proto__" key as data, not as the bag's prototype.
    assert.equal(Object.getPrototypeOf(out.bag), Object.prototype);
    assert.ok(Object.hasOwn(out.bag, "__proto__"));
    assert.equal(out.bag.k, 1);
    const snapshot = await graph.getState(config);
    assert.equal(Object.getPrototypeOf(snapshot.values), Object.prototype);
    assert.deepEqual(Object.keys(snapshot.values), ["text", "bag"]);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
});

describe("StateSchema with Object.prototype names", () => {
  it("refuses a field named __proto__ or constructor; validateInput keeps such data keys as data", async () => {
    assert.throws(() => new StateGraph(new StateSchema({ ["__proto__"]: z.number(), ok: z.number() })), /the state schema has a key named "__proto__"/);
    assert.throws(() => new StateGraph(new StateSchema({ constructor: z.number(), ok: z.number() })), /the state schema has a key named "constructor"/);
    const schema = new StateSchema({ ok: z.number() });
    const checked = (await schema.validateInput(JSON.parse('{"ok": 1, "constructor": "c", "__proto__": {"polluted": 1}}'))) as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(checked), Object.prototype);
    assert.deepEqual(Object.keys(checked), ["ok", "constructor", "__proto__"]);
    assert.equal(checked.constructor, "c");
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
});
