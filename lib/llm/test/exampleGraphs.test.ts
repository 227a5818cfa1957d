// The example graphs this layer owns (graphs/llmJoke.ts, graphs/parallelJokes.ts): their input schemas
// name the bad field, and parallel-jokes reads any model's list of subtopics.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { llmJoke } from "../../../graphs/llmJoke";
import { parallelJokes, parseSubtopics } from "../../../graphs/parallelJokes";

function issues(result: { success: boolean; error?: { issues: Array<{ path: PropertyKey[]; message: string }> } }): string[] {
  return result.success ? [] : (result.error?.issues ?? []).map((i) => `${i.path.join(".")}: ${i.message}`);
}

describe("example graph inputs", () => {
  test("llm-joke: the example passes; bad topics are named", () => {
    assert.equal(llmJoke.id, "llm-joke");
    assert.equal(llmJoke.usesModel, true);
    assert.ok(llmJoke.input.safeParse(llmJoke.exampleInput).success);
    assert.deepEqual(issues(llmJoke.input.safeParse({})), ["topic: topic is required"]);
    assert.deepEqual(issues(llmJoke.input.safeParse({ topic: "   " })), ["topic: topic must not be empty"]);
    assert.deepEqual(issues(llmJoke.input.safeParse({ topic: 42 })), ["topic: topic must be a string"]);
    assert.deepEqual(issues(llmJoke.input.safeParse({ topic: "x".repeat(201) })), ["topic: topic must be at most 200 characters"]);
    assert.match(issues(llmJoke.input.safeParse({ topic: "cats", topik: "dogs" })).join(), /topik/);
  });

  test("parallel-jokes: count defaults to 3 and is bounded", () => {
    assert.deepEqual(parallelJokes.input.parse({ topic: "ice cream" }), { topic: "ice cream", count: 3 });
    assert.deepEqual(issues(parallelJokes.input.safeParse({ topic: "x", count: 9 })), ["count: count must be at most 5"]);
    assert.deepEqual(issues(parallelJokes.input.safeParse({ topic: "x", count: 1 })), ["count: count must be at least 2"]);
    assert.deepEqual(issues(parallelJokes.input.safeParse({ topic: "x", count: 2.5 })), ["count: count must be a whole number"]);
    assert.deepEqual(issues(parallelJokes.input.safeParse({ topic: "x", count: "3" })), ["count: count must be a number of subtopics, 2 to 5"]);
  });
});

describe("parseSubtopics", () => {
  test("strips bullets, numbering and quotes, drops blanks and duplicates, keeps at most count", () => {
    const text = '1. "The history of ice cream"\n\n- Gelato vs. ice cream.\n* the history of ice cream\n3) Ice cream trucks\n4. Sundaes';
    assert.deepEqual(parseSubtopics(text, 3, "ice cream"), ["The history of ice cream", "Gelato vs. ice cream", "Ice cream trucks"]);
  });

  test("a reply with nothing usable still yields one subtopic: the topic", () => {
    assert.deepEqual(parseSubtopics("\n  \n", 3, "ice cream"), ["ice cream"]);
  });
});
