import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { FrameElementScanner, type ScanState } from "./frameElements";

/** Scans `text` a few bytes a call (so every state crosses a slice boundary) to the end. */
function scanAll(text: string, sliceBytes = 3): ScanState {
  const scanner = new FrameElementScanner(Buffer.from(text));
  for (;;) {
    const state = scanner.scan(sliceBytes);
    if (state.kind !== "scanning") return state;
  }
}

function elements(text: string, sliceBytes?: number): string[] {
  const state = scanAll(text, sliceBytes);
  assert.equal(state.kind, "done", state.kind === "malformed" ? state.problem : "");
  const buf = Buffer.from(text);
  return state.kind === "done" ? state.starts.map((start, i) => buf.toString("utf8", start, state.ends[i])) : [];
}

describe("FrameElementScanner", () => {
  it("finds each top-level element, whatever the slice size, ignoring brackets, commas and quotes inside strings", () => {
    const calls = [
      { id: 1, method: "query", params: { path: "system.info" } },
      { id: "a,]}", method: "query", params: { path: 'he said "[{,"', input: [1, [2, { x: "\\" }]] } },
      { id: 3, method: "query", params: { path: "é ✓ \u0000" } },
    ];
    const text = ` [ ${calls.map((c) => JSON.stringify(c)).join(" ,\n")} ] `.trimStart();
    for (const slice of [1, 2, 3, 7, 64, 1 << 20]) {
      assert.deepEqual(elements(text, slice).map((e) => JSON.parse(e)), calls, `slice ${slice}`);
    }
  });

  it("takes primitives and nested arrays as elements, and an empty array as none", () => {
    assert.deepEqual(elements('[1, "x", null, [2, [3]], {}]'), ["1", '"x"', "null", "[2, [3]]", "{}"]);
    assert.deepEqual(elements("[ ]"), []);
  });

  it("names what is wrong with a malformed frame", () => {
    const problem = (text: string) => {
      const state = scanAll(text);
      assert.equal(state.kind, "malformed", text);
      return state.kind === "malformed" ? state.problem : "";
    };
    assert.match(problem('{"id":1}'), /not a JSON array/);
    assert.match(problem('[{"id":1}'), /not closed/);
    assert.match(problem('[{"id":"1}]'), /not closed/);
    assert.match(problem("[1,,2]"), /empty element at byte 3/);
    assert.match(problem("[1,]"), /empty element at byte 3/);
    assert.match(problem("[1}]"), /unmatched closing bracket at byte 2/);
    assert.match(problem("[1] x"), /after the array's end, at byte 4/);
  });
});
