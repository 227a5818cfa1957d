// langgraph.json as LangGraph writes it, read into Rill's project config; every bad file named precisely.
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { parseProjectConfig, ProjectConfigError, readProjectConfig } from "./projectConfig";

const dir = mkdtempSync(path.join(tmpdir(), "rill-config-"));
const file = path.join(dir, "langgraph.json");

function rejects(text: string, pattern: RegExp): void {
  assert.throws(() => parseProjectConfig(text, file), (error: unknown) => {
    assert.ok(error instanceof ProjectConfigError, String(error));
    assert.match(error.message, pattern);
    return true;
  });
}

test("graphs: a spec string or { path, description }; paths relative to the file; export after ':' (default when none)", () => {
  writeFileSync(path.join(dir, ".env"), "A=1\nQUOTED=\"two words\"\n");
  const config = parseProjectConfig(
    JSON.stringify({
      node_version: "20",
      dependencies: ["."],
      dockerfile_lines: [],
      graphs: { agent: "./src/agent.ts:graph", other: { path: "src/other.ts", description: "The other one" } },
      env: ".env",
      auth: { path: "./src/auth.ts:auth" },
      rill: { graphs: { agent: { engine: "langgraph", exampleInput: { topic: "x" }, title: "Agent" } } },
    }),
    file,
  );
  assert.deepEqual(
    config.graphs.map(({ id, file: f, exportName, title, description, engine, exampleInput }) => ({ id, f, exportName, title, description, engine, exampleInput })),
    [
      { id: "agent", f: path.join(dir, "src/agent.ts"), exportName: "graph", title: "Agent", description: "./src/agent.ts:graph (from langgraph.json)", engine: "langgraph", exampleInput: { topic: "x" } },
      { id: "other", f: path.join(dir, "src/other.ts"), exportName: "default", title: "other", description: "The other one", engine: "rill", exampleInput: {} },
    ],
  );
  assert.deepEqual(config.env, { A: "1", QUOTED: "two words" });
  assert.equal(config.authPath, path.join(dir, "src/auth.ts:auth"));
});

test("env may be an object; a folder is read as its langgraph.json", () => {
  writeFileSync(file, JSON.stringify({ graphs: { a: "./a.ts:graph" }, env: { KEY: "value" } }));
  const config = readProjectConfig(dir);
  assert.equal(config.file, file);
  assert.deepEqual(config.env, { KEY: "value" });
});

test("text that is not JSON: the file, line and column", () => {
  rejects('{\n  "graphs": {\n    "a": "./a.ts:graph",\n  }\n}', /langgraph\.json:4:3: not valid JSON/);
  rejects('{ "graphs": { "a": } }', /langgraph\.json:1:20: not valid JSON/);
  rejects('{ "graphs": {', /langgraph\.json:1:14: not valid JSON/);
});

test("not LangGraph's shape: the key", () => {
  rejects("[]", /langgraph\.json: "\(top level\)"/);
  rejects("{}", /"graphs": .*expected record/i);
  rejects('{ "graphs": { "a": 3 } }', /"graphs\.a": expected "\.\/file\.ts:export" or \{ "path"/);
  rejects('{ "graphs": { "a b": "./a.ts" } }', /"graphs\.a b": .*a graph id is letters/);
  rejects('{ "graphs": { "a": "./a.ts" }, "env": 5 }', /"env"/);
  rejects('{ "graphs": { "a": "./a.ts" }, "rill": { "graphs": { "a": { "engine": "python" } } } }', /"rill\.graphs\.a\.engine"/);
  rejects('{ "graphs": { "a": "./a.ts" }, "rill": { "graphs": { "a": { "engin": "rill" } } } }', /"rill\.graphs\.a": .*engin/);
  rejects('{ "graphs": { "a": "./a.ts" }, "rill": { "graphs": { "b": {} } } }', /"rill\.graphs\.b": no graph "b" under "graphs"/);
  rejects('{ "graphs": { "a": "./a.ts" }, "env": "./missing.env" }', /"env": cannot read .*missing\.env \(ENOENT\)/);
});

test("a missing file is named", () => {
  assert.throws(() => readProjectConfig(path.join(dir, "nope.json")), /nope\.json: cannot read the project config \(ENOENT\)/);
});
