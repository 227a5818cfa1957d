// stepJson writes what JSON.stringify writes, for the engine's shapes and for every other one it is given
// (those go to JSON.stringify): checked against JSON.stringify itself on the shapes a saver meets, and on
// the ones that must not take the fast path (escapes, odd keys, odd values, key orders).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { metadataJson, quote, quoteCached, savedTasksJson, storedCheckpointJson, valueJson, versionsJson } from "./stepJson";

const awkwardStrings = ["", "plain", 'quo"te', "back\\slash", "new\nline", "tab\t", "\u0000nul", "\u001f", "é ü 中文", "emoji 😀", "lone \ud800 surrogate", "\udfff", "</script>", "\u2028\u2029"];

describe("stepJson: byte for byte JSON.stringify", () => {
  it("quotes strings", () => {
    for (const text of awkwardStrings) {
      assert.equal(quote(text), JSON.stringify(text), text);
      assert.equal(quoteCached(text), JSON.stringify(text), text);
    }
  });

  it("writes layouts' versions, and sends any other value to JSON.stringify", () => {
    const cases: Array<Record<string, unknown>> = [
      {},
      { n: 1, __rill_next__: 2, __rill_barriers__: 1, __rill_last_node__: 7 },
      { "we\"ird": 3, "é": 0, "-0": -0, big: 1e21, small: 1e-7, frac: 0.1 + 0.2, neg: -5 },
      { a: "000000000001.abc", b: 2 },
      { a: NaN },
      { a: Infinity },
      { a: null },
      { a: undefined, b: 1 },
      JSON.parse('{"__proto__": 4, "constructor": 5}') as Record<string, unknown>,
      Object.assign(Object.create({ inherited: 1 }) as Record<string, unknown>, { own: 2 }),
      { toJSON: () => "custom" } as unknown as Record<string, unknown>,
    ];
    for (const versions of cases) assert.equal(versionsJson(versions), JSON.stringify(versions));
  });

  it("writes the engine's metadata, and any other metadata as JSON.stringify does", () => {
    const cases: Array<Record<string, unknown>> = [
      { source: "loop", step: 3, parents: {} },
      { source: "loop", step: -1, parents: {}, run_id: "run-1" },
      { source: "input", step: 0, parents: {}, run_id: 'odd "run" id\n' },
      { source: "loop", step: 3, parents: { "": "01a2" } },
      { source: "loop", step: 3, parents: {}, run_id: undefined },
      { source: "loop", step: 3, parents: {}, run_id: 7 },
      { step: 3, source: "loop", parents: {} },
      { source: "loop", step: 3, parents: {}, run_id: "r", extra: true },
      { source: "loop", step: NaN, parents: {} },
      { source: "loop", step: 3, parents: [] },
      { source: "loop", step: 3, parents: new Date(0) },
      { source: "loop", step: 3 },
      { source: 'we"ird', step: 1.5, parents: {} },
      { writes: { a: { n: 1 } }, score: 0.5 },
      {},
    ];
    for (const metadata of cases) assert.equal(metadataJson(metadata), JSON.stringify(metadata));
    // The last run id is remembered: another one after it is written anew.
    assert.equal(metadataJson({ source: "loop", step: 1, parents: {}, run_id: "a" }), JSON.stringify({ source: "loop", step: 1, parents: {}, run_id: "a" }));
    assert.equal(metadataJson({ source: "loop", step: 1, parents: {}, run_id: "b" }), JSON.stringify({ source: "loop", step: 1, parents: {}, run_id: "b" }));
  });

  it("writes the engine's scheduled tasks, and any other value as JSON.stringify does", () => {
    const task = (extra: Record<string, unknown> = {}) => ({ id: "fb7d1a7f-b780-44a2-80d9-0000000001f5", name: "b", path: ["__pregel_pull", "b"], triggers: ["branch:to:b"], ...extra });
    const cases: unknown[] = [
      [],
      [task()],
      [task(), task({ name: 'n"ode', triggers: [] })],
      [{ id: "x", name: "send", path: ["__pregel_push", 0, false, 1.5], triggers: ["__pregel_tasks"], args: { to: "b", n: [1, 2] } }],
      [task({ args: undefined })],
      [task({ args: () => 1 })],
      [task({ args: { toJSON: () => "as json" } })],
      [task({ id: "id with \u0000 and \ud800" })],
      [task({ path: ["a", NaN] })],
      [task({ path: ["a", null] })],
      [task({ path: ["a", undefined] })],
      [task({ triggers: ["a", 1] })],
      [{ name: "b", id: "x", path: [], triggers: [] }],
      [{ id: "x", name: "b", path: [], triggers: [], more: 1 }],
      [{ id: "x", name: "b", path: [] }],
      [Object.assign(Object.create(null) as object, task())],
      [null],
      [task(), "not a task"],
      "not an array",
      { 0: task() },
      [[task()]],
    ];
    for (const tasks of cases) assert.equal(savedTasksJson(tasks), JSON.stringify(tasks), JSON.stringify(tasks));
    assert.equal(savedTasksJson(undefined), undefined);
  });

  it("writes a node's pull tasks from the arrays it reuses, as JSON.stringify does, also after the arrays or the name changed", () => {
    const path: unknown[] = ["__pregel_pull", "agent"];
    const triggers: unknown[] = ["branch:to:agent"];
    const task = (id: string, name = "agent") => ({ id, name, path, triggers });
    for (const id of ["t1", "t2"]) assert.equal(savedTasksJson([task(id)]), JSON.stringify([task(id)]));
    triggers.push("start:agent");
    assert.equal(savedTasksJson([task("t3")]), JSON.stringify([task("t3")]), "a trigger added to the same array");
    path[1] = "tools";
    assert.equal(savedTasksJson([task("t4")]), JSON.stringify([task("t4")]), "an item of the same path changed");
    assert.equal(savedTasksJson([task("t5", "tools")]), JSON.stringify([task("t5", "tools")]), "another name");
    triggers[0] = { not: "a string" };
    assert.equal(savedTasksJson([task("t6")]), JSON.stringify([task("t6")]), "a trigger that is not a string goes to JSON.stringify");
    const send = { id: "t7", name: "agent", path: ["__pregel_push", 0, false], triggers: ["__pregel_push"], args: { n: 1 } };
    assert.equal(savedTasksJson([send, send]), JSON.stringify([send, send]));
  });

  it("writes a stored checkpoint with the tasks last among its values, and otherwise as JSON.stringify", () => {
    const tasks = [{ id: "t1", name: "a", path: ["__pregel_pull", "a"], triggers: ["branch:to:a"] }];
    const withTasks = (values: Record<string, unknown>) => ({ ...values, __rill_next__: tasks });
    const cases: Array<[v: unknown, ts: unknown, values: Record<string, unknown>, hasTasks: boolean, seen: unknown]> = [
      [4, "2026-12-06T02:59:06.559Z", { n: 1, __rill_last_node__: "a" }, true, {}],
      [4, "2026-12-06T02:59:06.559Z", {}, true, {}],
      [4, "2026-12-06T02:59:06.559Z", { n: 1 }, false, {}],
      [4, "2026-12-06T02:59:06.559Z", {}, false, { a: { b: 1 } }],
      [4, 'odd "ts"', JSON.parse('{"__proto__": {"x": 1}, "msg": "hé\\n"}') as Record<string, unknown>, true, {}],
      ["4", "ts", { n: 1 }, true, {}],
      [4, 17, { n: 1 }, true, {}],
      [4, "ts", { n: 1 }, true, undefined],
      [4, "ts", { toJSON: () => "weird" } as unknown as Record<string, unknown>, true, {}],
    ];
    for (const [v, ts, values, hasTasks, seen] of cases) {
      const json = storedCheckpointJson(v, ts, values, "__rill_next__", tasks, hasTasks, seen);
      // Every value and field is there, as JSON.stringify writes it (the tasks' place among the values aside).
      const expected = JSON.stringify({ v, ts, channel_values: hasTasks ? withTasks(values) : values, versions_seen: seen });
      assert.deepEqual(JSON.parse(json), JSON.parse(expected), expected);
    }
    // Without tasks: exactly JSON.stringify's, for values of every kind.
    const valueCases: Array<Record<string, unknown>> = [
      { n: 1, flag: true, off: false, none: null, name: 'x "y"\n', list: [1, "a", null, [true]], big: 1e21, bad: NaN },
      { undef: undefined, n: 1 },
      { fn: () => 1 },
      { obj: { a: 1 }, n: 2 },
      { date: new Date(0) },
      { toJSON: "just data" },
      JSON.parse('{"__proto__": 1, "constructor": "c"}') as Record<string, unknown>,
      Object.create({ inherited: 1 }) as Record<string, unknown>,
      {},
    ];
    for (const values of valueCases) {
      assert.equal(storedCheckpointJson(4, "ts", values, "__rill_next__", undefined, false, {}), JSON.stringify({ v: 4, ts: "ts", channel_values: values, versions_seen: {} }));
    }
    // The usual checkpoint: exactly JSON.stringify of the same checkpoint with the tasks put last.
    const values = { n: 1, __rill_last_node__: "a" };
    assert.equal(
      storedCheckpointJson(4, "2026-12-06T02:59:06.559Z", values, "__rill_next__", tasks, true, {}),
      JSON.stringify({ v: 4, ts: "2026-12-06T02:59:06.559Z", channel_values: withTasks(values), versions_seen: {} }),
    );
  });
});

describe("stepJson.valueJson: byte for byte JSON.stringify", () => {
  it("writes arrays of primitives by hand and every other value as JSON.stringify", () => {
    const cases: unknown[] = [
      [["n", 501]],
      [["__writes__", [["n", 1], ["doc", "A"]]], ["a"]],
      [],
      [[]],
      ["é \n \"q\" \ud800", -0, 1e21, 0.1, NaN, Infinity, true, false, null],
      [undefined],
      [() => 1],
      [Symbol("s")],
      [{ a: 1 }],
      [[[[["deep"]]]]],
      [[[[[["deeper"]]]]]],
      Object.assign([1, 2], { toJSON: () => "custom" }),
      Object.assign([1, 2], { extra: "ignored" }),
      // eslint-disable-next-line no-sparse-arrays
      [1, , 3],
      { messages: [{ role: "user", content: "hi" }] },
      "text",
      7,
      null,
      undefined,
      new Date(0),
    ];
    for (const value of cases) assert.equal(valueJson(value), JSON.stringify(value), String(JSON.stringify(value)));
  });
});
