// Tests of the playground's small pure modules: input checks, graph layout, reload persistence.
import { test } from "node:test";
import assert from "node:assert/strict";
import { z } from "zod";
import { checkInput } from "./inputValidation";
import { END, layoutGraph, START } from "./graphLayout";
import { MAX_SAVED_CHARS, saveRun, takeSavedRun } from "./runPersistence";
import { applyRunEvent, createRunData } from "./runStore";

const jokeSchema = z.toJSONSchema(z.object({ topic: z.string().min(1) }).strict());

test("invalid JSON is reported with line and column", () => {
  const check = checkInput('{\n  "topic": "ice cream",\n}', jokeSchema);
  assert.equal(check.ok, false);
  if (check.ok) return;
  assert.equal(check.kind, "json");
  assert.match(check.message, /^Invalid JSON: .*line 3 column 1/);
});

test("schema errors name the field", () => {
  const wrongType = checkInput('{"topic": 3}', jokeSchema);
  assert.ok(!wrongType.ok);
  assert.equal(wrongType.field, "topic");
  assert.equal(wrongType.message, "topic: must be text (a JSON string), not a number");

  const missing = checkInput("{}", jokeSchema);
  assert.ok(!missing.ok);
  assert.equal(missing.field, "topic");
  assert.equal(missing.message, "topic: is required but missing");

  const extra = checkInput('{"topic": "x", "tpoic": "y"}', jokeSchema);
  assert.ok(!extra.ok);
  assert.equal(extra.field, "tpoic");
  assert.equal(extra.message, 'Unknown field: "tpoic". This graph\'s input takes: topic.');

  const short = checkInput('{"topic": ""}', jokeSchema);
  assert.ok(!short.ok);
  assert.equal(short.message, "topic: must be at least 1 character long");
  const notObject = checkInput("[]", jokeSchema);
  assert.ok(!notObject.ok);
  assert.equal(notObject.message, "The input must be a JSON object, not a list");

  assert.deepEqual(checkInput('{"topic": "ice cream"}', jokeSchema), { ok: true, value: { topic: "ice cream" } });
});

test("layered layout: start on top, end at the bottom, loops marked as back edges", () => {
  const layout = layoutGraph({
    nodes: [{ id: "draft" }, { id: "review" }],
    edges: [
      { source: START, target: "draft", conditional: false },
      { source: "draft", target: "review", conditional: false },
      { source: "review", target: "draft", conditional: true },
      { source: "review", target: END, conditional: true },
    ],
  });
  const layer = (id: string) => layout.nodes.find((n) => n.id === id)!.layer;
  assert.deepEqual([START, "draft", "review", END].map(layer), [0, 1, 2, 3]);
  const back = layout.edges.filter((e) => e.back);
  assert.deepEqual(back.map((e) => [e.source, e.target]), [["review", "draft"]]);
  assert.ok(layout.nodes.every((n) => n.x >= 0 && n.x + n.width <= layout.width && n.y + n.height <= layout.height));
});

test("fan-out places parallel nodes on one layer without overlap", () => {
  const layout = layoutGraph({
    nodes: [{ id: START }, { id: "a" }, { id: "b" }, { id: "join" }, { id: END }],
    edges: [
      { source: START, target: "a", conditional: false },
      { source: START, target: "b", conditional: false },
      { source: "a", target: "join", conditional: false },
      { source: "b", target: "join", conditional: false },
      { source: "join", target: END, conditional: false },
    ],
  });
  const a = layout.nodes.find((n) => n.id === "a")!;
  const b = layout.nodes.find((n) => n.id === "b")!;
  assert.equal(a.layer, b.layer);
  assert.ok(a.x + a.width <= b.x || b.x + b.width <= a.x);
});

class MemoryStorage implements Storage {
  private map = new Map<string, string>();
  get length() {
    return this.map.size;
  }
  clear() {
    this.map.clear();
  }
  getItem(key: string) {
    return this.map.get(key) ?? null;
  }
  key(i: number) {
    return [...this.map.keys()][i] ?? null;
  }
  removeItem(key: string) {
    this.map.delete(key);
  }
  setItem(key: string, value: string) {
    this.map.set(key, value);
  }
}

test("a saved run comes back once, in order, and only for its own id", () => {
  const storage = new MemoryStorage();
  const run = createRunData();
  applyRunEvent(run, "r1:0", ["metadata", { run_id: "r1", graph_id: "joke", stream_mode: ["updates"], created_at: "x" }], 1);
  applyRunEvent(run, "r1:1", ["updates", { a: { x: 1 } }], 2);
  assert.equal(saveRun(storage, run), true);
  assert.equal(takeSavedRun(storage, "other"), null);
  const saved = takeSavedRun(storage, "r1");
  assert.deepEqual(saved?.map((e) => e[0]), ["r1:0", "r1:1"]);
  assert.equal(takeSavedRun(storage, "r1"), null, "taken once");
});

test("a run too large to save is not saved (the reload replays it from the server)", () => {
  const storage = new MemoryStorage();
  const run = createRunData();
  applyRunEvent(run, "r2:0", ["metadata", { run_id: "r2", graph_id: "joke", stream_mode: ["custom"], created_at: "x" }], 1);
  applyRunEvent(run, "r2:1", ["custom", "x".repeat(MAX_SAVED_CHARS)], 2);
  assert.equal(saveRun(storage, run), false);
  assert.equal(storage.length, 0);
});

test("changed keys: structural, added and removed keys count", async () => {
  const { changedKeys } = await import("./stateDiff");
  assert.deepEqual(changedKeys({ topic: "a", items: [1, { x: 1 }] }, { topic: "a", items: [1, { x: 1 }] }), []);
  assert.deepEqual(changedKeys({ topic: "a" }, { topic: "a and cats", joke: "j" }), ["topic", "joke"]);
  assert.deepEqual(changedKeys({ a: 1, gone: 2 }, { a: 1 }), ["gone"]);
  assert.deepEqual(changedKeys(undefined, { a: 1 }), ["a"]);
});

test("a self-loop is drawn on its node's right side, inside the drawing, with room for its label", () => {
  const layout = layoutGraph({
    nodes: [{ id: "draft" }, { id: "polish" }],
    edges: [
      { source: START, target: "draft", conditional: false },
      { source: "draft", target: "draft", conditional: true },
      { source: "draft", target: "polish", conditional: true },
      { source: "polish", target: END, conditional: false },
    ],
  });
  const draft = layout.nodes.find((n) => n.id === "draft")!;
  const loop = layout.edges.find((e) => e.source === "draft" && e.target === "draft")!;
  assert.equal(loop.back, true);
  assert.match(loop.path, new RegExp(`^M${draft.x + draft.width},`));
  assert.ok(loop.labelX! > draft.x + draft.width);
  assert.ok(loop.labelX! + 29 <= layout.width, "the label fits in the drawing");
  const down = layout.edges.find((e) => e.target === "polish")!;
  assert.equal(down.back, false);
  assert.notEqual(down.labelY, null);
});
