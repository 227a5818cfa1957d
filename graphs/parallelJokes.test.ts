// The parallel-jokes graph's text handling applied to model output, which may be long and hostile.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { oneLine, parseSubtopics } from "./parallelJokes";

describe("oneLine", () => {
  it("makes each whitespace run holding a line break one space, and leaves other runs alone", () => {
    assert.equal(oneLine("Why?\n\nBecause  it  was.\r\n  Ha"), "Why? Because  it  was. Ha");
    assert.equal(oneLine(" \n lead and trail \n "), " lead and trail ");
    assert.equal(oneLine("no breaks  here"), "no breaks  here");
  });

  it("reads 200,000 spaces without a line break, and with one at the end, exactly", () => {
    const spaces = " ".repeat(200_000);
    assert.equal(oneLine(`a${spaces}b\nc`), `a${spaces}b c`);
    assert.equal(oneLine(`a${spaces}\nb`), "a b");
  });
});

describe("parseSubtopics on long lines", () => {
  it("trims trailing punctuation of a 200,000-character line of dots with one scan", () => {
    const line = `${".".repeat(200_000)}x`;
    assert.deepEqual(parseSubtopics(`1. Gelato...\n${line}`, 3, "ice cream"), ["Gelato"]);
  });
});
