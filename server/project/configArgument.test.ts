// Which langgraph.json a start serves: --config (either spelling) before RILL_CONFIG, relative to INIT_CWD.
import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
import { ConfigError } from "../config";
import { projectConfigArgument } from "./configArgument";

test("--config <path>, --config=<path>, else RILL_CONFIG, else none; relative to where the command was typed", () => {
  const env = { INIT_CWD: "/home/me/project" };
  assert.equal(projectConfigArgument(["node", "main.ts", "--config", "langgraph.json"], env), "/home/me/project/langgraph.json");
  assert.equal(projectConfigArgument(["node", "main.ts", "--config=./sub"], env), "/home/me/project/sub");
  assert.equal(projectConfigArgument(["node", "main.ts", "--config", "/abs/lg.json"], env), "/abs/lg.json");
  assert.equal(projectConfigArgument(["node", "main.ts"], { ...env, RILL_CONFIG: "other.json" }), "/home/me/project/other.json");
  assert.equal(projectConfigArgument(["node", "main.ts", "--config", "a.json"], { ...env, RILL_CONFIG: "b.json" }), "/home/me/project/a.json");
  assert.equal(projectConfigArgument(["node", "main.ts", "--dev"], { ...env, RILL_CONFIG: " " }), undefined);
  assert.equal(projectConfigArgument(["node", "main.ts"], {}), undefined);
  assert.equal(projectConfigArgument(["node", "main.ts", "--config", "x.json"], {}), path.resolve("x.json"));
});

test("--config without a path is a ConfigError", () => {
  assert.throws(() => projectConfigArgument(["node", "main.ts", "--config"], {}), (error: unknown) => error instanceof ConfigError && /--config needs a path/.test(error.message));
  assert.throws(() => projectConfigArgument(["node", "main.ts", "--config", "--dev"], {}), ConfigError);
  assert.throws(() => projectConfigArgument(["node", "main.ts", "--config="], {}), ConfigError);
});
