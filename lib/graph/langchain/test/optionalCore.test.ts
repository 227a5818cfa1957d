// @langchain/core is an optional peer of the engine: a graph that never coerces a message runs (in every
// stream mode, "messages" included) without loading it; the first message that needs coercion loads it.
// Checked in a fresh process, by what is in Node's module cache.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { it } from "node:test";

const root = fileURLToPath(new URL("../../../../", import.meta.url));

const script = `
import { createRequire } from "node:module";
import { Annotation, START, StateGraph, messagesStateReducer } from "./lib/graph/index.ts";
const loaded = () => Object.keys(createRequire(import.meta.url).cache).some((p) => p.includes("@langchain/core"));
const State = Annotation.Root({ topic: Annotation() });
const graph = new StateGraph(State).addNode("a", (s) => ({ topic: s.topic + "!" })).addEdge(START, "a").compile();
for await (const _ of await graph.stream({ topic: "x" }, { streamMode: ["messages", "updates", "values", "debug"] }));
const before = loaded();
messagesStateReducer([], ["hello"]);
console.log(JSON.stringify({ before, after: loaded() }));
`;

it("the engine loads @langchain/core only when a message needs coercion", () => {
  const out = execFileSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { cwd: root, encoding: "utf8" });
  assert.deepEqual(JSON.parse(out.trim().split("\n").at(-1)!), { before: false, after: true });
});
