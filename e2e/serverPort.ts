// The port the e2e server listens on: a free one chosen once by the Playwright runner and handed to its
// workers through the environment (they re-read this config), or RILL_E2E_PORT when set.
import { execFileSync } from "node:child_process";

function freePort(): number {
  const script = "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{process.stdout.write(String(s.address().port));s.close()})";
  return Number(execFileSync(process.execPath, ["-e", script], { encoding: "utf8" }));
}

export function e2ePort(): number {
  process.env.RILL_E2E_PORT ??= String(freePort());
  return Number(process.env.RILL_E2E_PORT);
}

/** The port of the second server, which serves a langgraph.json project with reload on (project.spec.ts). */
export function e2eProjectPort(): number {
  process.env.RILL_E2E_PROJECT_PORT ??= String(freePort());
  return Number(process.env.RILL_E2E_PROJECT_PORT);
}

export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];
