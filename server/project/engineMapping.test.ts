// The module hook: a project module's LangGraph.js imports become Rill's modules on engine "rill", every
// other import resolves from the project's own location as Node would, and Rill's own modules are untouched.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import * as rillCheckpoint from "./checkpointModule";
import { z } from "zod";
import * as rill from "../../lib/graph";
import { ensureEngineMapping, projectModuleURL } from "./engineMapping";

ensureEngineMapping();
// Outside the repository: no node_modules above it, so only the mapping can supply @langchain/langgraph.
const dir = mkdtempSync(path.join(tmpdir(), "rill-mapping-"));
mkdirSync(path.join(dir, "src"));

test("engine rill: @langchain/langgraph, /web and @langchain/langgraph-checkpoint are Rill's modules, in the file and in the project files it imports", async () => {
  writeFileSync(
    path.join(dir, "src", "imports.ts"),
    [
      'export * as main from "@langchain/langgraph";',
      'export * as web from "@langchain/langgraph/web";',
      'export * as checkpoint from "@langchain/langgraph-checkpoint";',
      'export { nested } from "./nested";',
    ].join("\n"),
  );
  writeFileSync(path.join(dir, "src", "nested.ts"), 'export { StateGraph as nested } from "@langchain/langgraph";\n');
  const module = await import(projectModuleURL(path.join(dir, "src", "imports.ts"), "rill", 1));
  // StateGraph is Rill's, subclassed to remember a zod schema (langgraphModule.ts); everything else is Rill's own.
  assert.equal(Object.getPrototypeOf(module.main.StateGraph), rill.StateGraph);
  const compiled = new module.main.StateGraph(rill.Annotation.Root({ x: rill.Annotation<number>() })).addNode("a", () => ({})).addEdge(rill.START, "a").compile();
  assert.ok(compiled instanceof rill.CompiledStateGraph);
  for (const name of ["Annotation", "Command", "Send", "START", "END", "interrupt", "MemorySaver", "MessagesAnnotation", "GraphRecursionError"]) {
    assert.equal(module.main[name], (rill as Record<string, unknown>)[name], name);
  }
  assert.equal(module.web.StateGraph, module.main.StateGraph);
  assert.equal(module.checkpoint.MemorySaver, rillCheckpoint.MemorySaver);
  assert.equal(module.nested, module.main.StateGraph);
});

test("engine rill: the project's StateGraph takes a context schema and { input, output } as Rill's does", async () => {
  writeFileSync(path.join(dir, "src", "builder.ts"), 'export { StateGraph } from "@langchain/langgraph";\n');
  const { StateGraph } = await import(projectModuleURL(path.join(dir, "src", "builder.ts"), "rill", 1));
  const withContext = new StateGraph(z.object({ foo: z.string() }), z.object({ prompt: z.string().min(1) })).addNode("a", () => ({ foo: "a" })).addEdge(rill.START, "a").compile();
  assert.deepEqual(await withContext.invoke({ foo: "x" }, { configurable: { prompt: "hi" } }), { foo: "a" });
  await assert.rejects(withContext.invoke({ foo: "x" }, { configurable: { prompt: "" } }), /too_small/);
  const State = rill.Annotation.Root({ question: rill.Annotation<string>(), answer: rill.Annotation<string>() });
  const Output = rill.Annotation.Root({ answer: rill.Annotation<string>() });
  const withOutput = new StateGraph(State, { output: Output }).addNode("a", () => ({ answer: "42" })).addEdge(rill.START, "a").compile();
  assert.deepEqual(await withOutput.invoke({ question: "q" }), { answer: "42" });
});

test("engine rill: /zod and /zod/schema are Rill's (withLangGraph's reducers reach Rill's engine)", async () => {
  writeFileSync(path.join(dir, "src", "zodHelpers.ts"), 'export { withLangGraph } from "@langchain/langgraph/zod";\nexport { getStateTypeSchema } from "@langchain/langgraph/zod/schema";\n');
  const module = await import(projectModuleURL(path.join(dir, "src", "zodHelpers.ts"), "rill", 1));
  assert.equal(module.withLangGraph, rill.withLangGraph);
  assert.equal(module.getStateTypeSchema, rill.getStateTypeSchema);
});

test("engine rill: /prebuilt maps to Rill's prebuilt module when this Rill has one, else a clear error", async () => {
  writeFileSync(path.join(dir, "src", "prebuilt.ts"), 'export * as prebuilt from "@langchain/langgraph/prebuilt";\n');
  const load = import(projectModuleURL(path.join(dir, "src", "prebuilt.ts"), "rill", 1));
  if (existsSync(path.resolve(import.meta.dirname, "../../lib/graph/prebuilt/index.ts"))) {
    const module = await load;
    assert.equal(typeof module.prebuilt, "object");
  } else {
    await assert.rejects(load, /"@langchain\/langgraph\/prebuilt" has no Rill counterpart .*"engine": "langgraph"/);
  }
});

test("other imports resolve from the project's location, not Rill's: a package only Rill has is not found", async () => {
  writeFileSync(path.join(dir, "src", "zodUser.ts"), 'export { z } from "zod";\n');
  await assert.rejects(import(projectModuleURL(path.join(dir, "src", "zodUser.ts"), "rill", 1)), /Cannot find package 'zod' imported from .*rill-mapping-/);
});

test("engine langgraph: the specifiers are not mapped (here, outside any node_modules, they are not found)", async () => {
  writeFileSync(path.join(dir, "src", "lg.ts"), 'export * as main from "@langchain/langgraph";\n');
  await assert.rejects(import(projectModuleURL(path.join(dir, "src", "lg.ts"), "langgraph", 1)), /Cannot find package '@langchain\/langgraph'/);
});

test("a new version loads the file and the project files it imports afresh; the same version is the same module", async () => {
  writeFileSync(path.join(dir, "src", "value.ts"), "export const value = 1;\n");
  writeFileSync(path.join(dir, "src", "reader.ts"), 'export { value } from "./value";\n');
  const first = await import(projectModuleURL(path.join(dir, "src", "reader.ts"), "rill", 10));
  writeFileSync(path.join(dir, "src", "value.ts"), "export const value = 2;\n");
  const again = await import(projectModuleURL(path.join(dir, "src", "reader.ts"), "rill", 10));
  const next = await import(projectModuleURL(path.join(dir, "src", "reader.ts"), "rill", 11));
  assert.equal(first.value, 1);
  assert.equal(again, first);
  assert.equal(next.value, 2);
});

test("a project without \"type\": \"module\" still loads its .ts files as ES modules", async () => {
  writeFileSync(path.join(dir, "package.json"), "{}\n");
  writeFileSync(path.join(dir, "src", "esm.ts"), 'import { START } from "@langchain/langgraph";\nexport const start = START;\n');
  const module = await import(projectModuleURL(path.join(dir, "src", "esm.ts"), "rill", 1));
  assert.equal(module.start, rill.START);
});
