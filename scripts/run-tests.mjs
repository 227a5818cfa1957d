#!/usr/bin/env node
// Runs every *.test.ts under lib/, graphs/, server/, app/, bench/, scripts/ and examples/ with Node's test runner and tsx.
// (Node 20's `--test` does not expand globs, so the files are listed here.) Then, as a second runner,
// LangGraph's checkpoint-validation suite (vitest) against Rill's savers (lib/graph/checkpoint/validation/:
// MemorySaver, SqliteSaver, and PostgresSaver when a PostgreSQL answers at 127.0.0.1:5432, skipped saying so
// otherwise, or failing with RILL_TEST_REQUIRE_POSTGRES=1); the run fails when either fails.
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { spawnSync } from "node:child_process";

const root = new URL("..", import.meta.url).pathname;
const dirs = process.argv.slice(2).length ? process.argv.slice(2) : ["lib", "graphs", "server", "app", "bench", "scripts", "examples"];

function collect(dir, out) {
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries) {
    if (name === "node_modules" || name.startsWith(".")) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) collect(path, out);
    else if (name.endsWith(".test.ts")) out.push(relative(root, path));
  }
  return out;
}

const files = dirs.flatMap((d) => collect(join(root, d), [])).sort();
if (files.length === 0) {
  console.error("no test files found under", dirs.join(", "));
  process.exit(1);
}
const result = spawnSync(
  process.execPath,
  ["--import", "tsx", "--test", "--test-reporter=spec", ...files],
  { cwd: root, stdio: "inherit", env: { ...process.env, NODE_ENV: "test" } },
);
const runValidation = process.argv.slice(2).length === 0 || dirs.some((d) => d === "lib" || d.startsWith("lib/graph"));
let validationStatus = 0;
if (runValidation) {
  const vitest = spawnSync(
    process.execPath,
    [join(root, "node_modules/vitest/vitest.mjs"), "run", "--config", "lib/graph/checkpoint/validation/vitest.config.mts"],
    { cwd: root, stdio: "inherit", env: { ...process.env, NODE_ENV: "test" } },
  );
  validationStatus = vitest.status ?? 1;
  if (validationStatus !== 0) console.error("checkpoint-validation suite (vitest) failed");
}
process.exit(result.status !== 0 ? (result.status ?? 1) : validationStatus);
