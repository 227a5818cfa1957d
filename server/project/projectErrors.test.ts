// Every way a project graph can fail to load: the server starts anyway, logs one line per failure naming
// the graph, its file and the cause, lists the graph with that error, refuses its runs, serves the rest.
// A langgraph.json that is not JSON or not LangGraph's shape stops `server/main.ts` with exit code 2.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { collect, connect, errorCode, startServer, tuples } from "../test/harness";
import { readProjectConfig } from "./projectConfig";

const repoRoot = path.resolve(import.meta.dirname, "../..");
const dir = mkdtempSync(path.join(tmpdir(), "rill-errors-"));
mkdirSync(path.join(dir, "src"));
const GOOD = `import { Annotation, START, StateGraph } from "@langchain/langgraph";
const State = Annotation.Root({ n: Annotation<number>() });
export const graph = new StateGraph(State).addNode("inc", (s: { n: number }) => ({ n: s.n + 1 })).addEdge(START, "inc").compile();
export const builder = new StateGraph(State).addNode("inc", (s: { n: number }) => ({ n: s.n + 1 })).addEdge(START, "inc");
export const notAGraph = { hello: "world" };
export function throwingFactory() { throw new Error("no graph today"); }
export async function returnsNothing() { return 42; }
`;
writeFileSync(path.join(dir, "src", "good.ts"), GOOD);
writeFileSync(path.join(dir, "src", "throws.ts"), 'throw new TypeError("cannot import me");\n');
writeFileSync(path.join(dir, "src", "syntax.ts"), "export const graph = ;\n");
writeFileSync(
  path.join(dir, "langgraph.json"),
  JSON.stringify({
    graphs: {
      good: "./src/good.ts:graph",
      uncompiled: "./src/good.ts:builder",
      missing_file: "./src/nowhere.ts:graph",
      throws: "./src/throws.ts:graph",
      syntax: "./src/syntax.ts:graph",
      missing_export: "./src/good.ts:grpah",
      not_a_graph: "./src/good.ts:notAGraph",
      factory_throws: "./src/good.ts:throwingFactory",
      factory_returns_number: "./src/good.ts:returnsNothing",
    },
  }),
);

const CAUSES: Record<string, RegExp> = {
  missing_file: /file not found: .*src\/nowhere\.ts \(ENOENT\)/,
  throws: /its module threw at import: cannot import me/,
  syntax: /its module threw at import: .*/,
  missing_export: /the module has no export "grpah" \(it exports: .*builder.*graph.*\)/,
  not_a_graph: /the export "notAGraph" is an object \(Object\), not a compiled graph \(or a function returning one\)/,
  factory_throws: /the export "throwingFactory" \(a graph factory\) threw: no graph today/,
  factory_returns_number: /what the export "returnsNothing" returned is a number, not a compiled graph/,
};

test("each broken graph: one log line, listed with its error, runs refused; the good ones (and an uncompiled builder, compiled as LangGraph does) run", async () => {
  const server = await startServer({ project: readProjectConfig(dir) });
  const client = connect(server);
  try {
    const logged = server.logs.filter((line) => line.msg === "graph not loaded");
    assert.deepEqual(logged.map((line) => line.graph).sort(), Object.keys(CAUSES).sort());
    const summaries = new Map(server.graphs.summaries().map((s) => [s.id, s]));
    for (const [id, cause] of Object.entries(CAUSES)) {
      const line = logged.find((l) => l.graph === id)!;
      assert.match(String(line.error), cause, id);
      assert.equal(line.file, readProjectConfig(dir).graphs.find((g) => g.id === id)!.file);
      assert.match(summaries.get(id)!.error ?? "", cause, id);
      const run = await collect(client, { graphId: id, input: {}, streamMode: ["updates"] });
      assert.equal(errorCode(run.error), "PRECONDITION_FAILED", id);
      assert.match(run.error!.message, new RegExp(`graph "${id}" cannot run: ${cause.source}`));
    }
    for (const id of ["good", "uncompiled"]) {
      assert.equal(summaries.get(id)!.error, undefined);
      const run = await collect(client, { graphId: id, input: { n: 1 }, streamMode: ["updates"] });
      assert.equal(run.error, undefined);
      assert.deepEqual(tuples(run.events), [["updates", { inc: { n: 2 } }]]);
    }
  } finally {
    await client.close();
    await server.close();
  }
});

function runMain(args: string[]): { status: number | null; stderr: string } {
  const result = spawnSync(process.execPath, ["--import", "tsx", "server/main.ts", ...args], {
    cwd: repoRoot,
    env: { ...process.env, PORT: "0", INIT_CWD: dir, RILL_CONFIG: "" },
    encoding: "utf8",
  });
  return { status: result.status, stderr: result.stderr };
}

test("a langgraph.json that is not JSON, or not LangGraph's shape, or missing: exit code 2 and the file with line/column or key", () => {
  writeFileSync(path.join(dir, "bad-json.json"), '{\n  "graphs": {\n    "a": "./a.ts"\n  \n');
  writeFileSync(path.join(dir, "bad-shape.json"), '{ "graphs": { "a": "./a.ts" }, "rill": { "graphs": { "a": { "engine": "python" } } } }');
  const badJson = runMain(["--config", "bad-json.json"]);
  assert.equal(badJson.status, 2);
  assert.match(badJson.stderr, new RegExp(`rill: ${path.join(dir, "bad-json.json")}:5:1: not valid JSON`));
  const badShape = runMain(["--config=./bad-shape.json"]);
  assert.equal(badShape.status, 2);
  assert.match(badShape.stderr, /bad-shape\.json: "rill\.graphs\.a\.engine"/);
  const missing = runMain(["--config", "nowhere/langgraph.json"]);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /nowhere\/langgraph\.json: cannot read the project config \(ENOENT\)/);
});
