#!/usr/bin/env node
// The packaged command: `rill start` / `rill dev`, each serving a langgraph.json project (or, with none,
// Rill's bundled examples) with the playground on one port.
//
//   rill start [--config <langgraph.json> | <folder holding one>]   production (default: ./langgraph.json if present)
//   rill dev   [...]                                                 the same, and graphs reload when their files change
//
// The playground is prebuilt in the package (.next); a package without one builds it on first start
// (which needs Next's build dependencies). Other flags and PORT, HOST, RILL_* variables work as for `npm start`.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const USAGE = "usage: rill start|dev [--config <langgraph.json or folder>] [<folder>]";

const [command = "start", ...rest] = process.argv.slice(2);
if (command === "--help" || command === "-h" || command === "help") {
  console.log(USAGE);
  process.exit(0);
}
if (command !== "start" && command !== "dev") {
  console.error(`rill: unknown command "${command}"\n${USAGE}`);
  process.exit(2);
}

const passOn = [];
let config;
for (let i = 0; i < rest.length; i++) {
  const arg = rest[i];
  if (arg === "--config") {
    if (rest[i + 1] === undefined) {
      console.error(`rill: --config needs a path\n${USAGE}`);
      process.exit(2);
    }
    config = rest[++i];
  } else if (arg.startsWith("--config=")) config = arg.slice("--config=".length);
  else if (!arg.startsWith("-") && config === undefined) config = arg;
  else passOn.push(arg);
}
if (config === undefined && !process.env.RILL_CONFIG && existsSync("langgraph.json")) config = "langgraph.json";

if (!existsSync(path.join(root, ".next", "BUILD_ID"))) {
  const { ensureNextBuild } = await import(new URL("../scripts/nextBuild.mjs", import.meta.url).href);
  ensureNextBuild({ force: true });
}

const args = ["--max-semi-space-size=64", "--import", import.meta.resolve("tsx"), path.join(root, "server", "main.ts")];
if (config !== undefined) args.push("--config", path.resolve(config));
if (command === "dev") args.push("--watch");
const server = spawn(process.execPath, [...args, ...passOn], {
  cwd: root,
  stdio: "inherit",
  detached: true,
  env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1", INIT_CWD: process.cwd() },
});
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
