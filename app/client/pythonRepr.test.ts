import { test } from "node:test";
import assert from "node:assert/strict";
import { pythonRepr } from "./pythonRepr";

test("prints dicts as the seed's Python print does", () => {
  assert.equal(pythonRepr({ refine_topic: { topic: "ice cream and cats" } }), "{'refine_topic': {'topic': 'ice cream and cats'}}");
  assert.equal(
    pythonRepr({ topic: "ice cream and cats", joke: "This is a joke about ice cream and cats" }),
    "{'topic': 'ice cream and cats', 'joke': 'This is a joke about ice cream and cats'}",
  );
});

test("None, True, False, numbers and lists", () => {
  assert.equal(pythonRepr({ error: null, ok: true, no: false, n: 2, xs: [1, "a"] }), "{'error': None, 'ok': True, 'no': False, 'n': 2, 'xs': [1, 'a']}");
  assert.equal(pythonRepr([]), "[]");
  assert.equal(pythonRepr({}), "{}");
});

test("picks quotes and escapes as repr() does", () => {
  assert.equal(pythonRepr("it's"), `"it's"`);
  assert.equal(pythonRepr(`say "hi"`), `'say "hi"'`);
  assert.equal(pythonRepr(`it's "x"`), `'it\\'s "x"'`);
  assert.equal(pythonRepr("a\nb\\"), "'a\\nb\\\\'");
  assert.equal(pythonRepr("🍦"), "'🍦'");
});
