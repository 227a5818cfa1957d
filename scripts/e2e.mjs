#!/usr/bin/env node
// `npm run test:e2e`: the attack suite (server/attack) against the server with the production build,
// then the Playwright suite in a real Chromium against that build served by the custom server. `--bench`
// runs the UI benchmarks in e2e/bench instead. Other arguments go to Playwright.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { findChromium, HOW_TO_GET_CHROMIUM } from "./findChromium.mjs";
import { ensureNextBuild } from "./nextBuild.mjs";

const root = new URL("..", import.meta.url).pathname;
const args = process.argv.slice(2);
const bench = args.includes("--bench");
const rest = args.filter((a) => a !== "--bench");

const chromium = await findChromium();
if (!chromium) {
  console.error(HOW_TO_GET_CHROMIUM);
  process.exit(1);
}
ensureNextBuild();

if (!bench) {
  // The same attacks the unit tests make without Next, now with Next serving the pages.
  const attacks = spawnSync(
    process.execPath,
    ["--import", "tsx", "--test", "--test-reporter=spec", join("server", "attack", "withNext.e2e.ts")],
    { cwd: root, stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } },
  );
  if (attacks.status !== 0) process.exit(attacks.status ?? 1);
}

const config = bench ? "e2e/bench/playwright.config.ts" : "e2e/playwright.config.ts";
const result = spawnSync(
  process.execPath,
  [join(root, "node_modules", "@playwright", "test", "cli.js"), "test", "-c", config, ...rest],
  { cwd: root, stdio: "inherit", env: { ...process.env, CHROMIUM_PATH: chromium, NEXT_TELEMETRY_DISABLED: "1" } },
);
process.exit(result.status ?? 1);
