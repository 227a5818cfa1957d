#!/usr/bin/env node
// `npm run test:e2e`: the Playwright suite in a real Chromium against the production build served by
// the custom server. `--bench` runs the UI benchmarks in e2e/bench instead. Other arguments go to Playwright.
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

const config = bench ? "e2e/bench/playwright.config.ts" : "e2e/playwright.config.ts";
const result = spawnSync(
  process.execPath,
  [join(root, "node_modules", "@playwright", "test", "cli.js"), "test", "-c", config, ...rest],
  { cwd: root, stdio: "inherit", env: { ...process.env, CHROMIUM_PATH: chromium, NEXT_TELEMETRY_DISABLED: "1" } },
);
process.exit(result.status ?? 1);
