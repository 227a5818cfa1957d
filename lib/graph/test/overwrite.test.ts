// Overwrite survives a JSON boundary: its wire forms are recognised by `_getOverwriteValue` and by a reducer key.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Annotation, END, OVERWRITE, Overwrite, START, StateGraph, _getOverwriteValue } from "../index";

describe("Overwrite wire forms", () => {
  it("_getOverwriteValue recognises the class, its JSON form and the { type, value } form, and nothing else", () => {
    assert.deepEqual(_getOverwriteValue(new Overwrite(["b"])), [true, ["b"]]);
    assert.deepEqual(_getOverwriteValue(JSON.parse(JSON.stringify(new Overwrite(["b"])))), [true, ["b"]]);
    assert.deepEqual(_getOverwriteValue({ [OVERWRITE]: ["b"] }), [true, ["b"]]);
    assert.deepEqual(_getOverwriteValue({ type: OVERWRITE, value: ["b"] }), [true, ["b"]]);
    assert.deepEqual(_getOverwriteValue({ value: ["b"] }), [false, undefined]);
    assert.deepEqual(_getOverwriteValue({ type: "human", value: "hi" }), [false, undefined]);
    assert.deepEqual(_getOverwriteValue(["b"]), [false, undefined]);
    assert.deepEqual(_getOverwriteValue(null), [false, undefined]);
    assert.deepEqual(_getOverwriteValue("__overwrite__"), [false, undefined]);
  });

  it("a reducer key is replaced by an Overwrite that went through JSON, in either wire form", async () => {
    const State = Annotation.Root({ items: Annotation<string[]>({ reducer: (a, b) => a.concat(b), default: () => [] }) });
    const wire = JSON.parse(JSON.stringify(new Overwrite(["x"])));
    const graph = new StateGraph(State)
      .addNode("seed", () => ({ items: ["a", "b"] }))
      .addNode("reset", () => ({ items: wire }))
      .addNode("foreign", () => ({ items: { type: OVERWRITE, value: ["y"] } as unknown as string[] }))
      .addNode("append", () => ({ items: ["z"] }))
      .addEdge(START, "seed")
      .addEdge("seed", "reset")
      .addEdge("reset", "foreign")
      .addEdge("foreign", "append")
      .addEdge("append", END)
      .compile();
    const seen: string[][] = [];
    for await (const chunk of await graph.stream({}, { streamMode: "values" })) seen.push((chunk as { items: string[] }).items);
    assert.deepEqual(seen, [["a", "b"], ["x"], ["y"], ["y", "z"]]);
  });
});
