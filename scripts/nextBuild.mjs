// `next build` when the production build is missing or older than the sources it is built from.
// Shared by `npm start` and `npm test` so neither serves a stale playground.
import { existsSync, readdirSync, statSync, utimesSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";

const root = new URL("..", import.meta.url).pathname;
const SOURCES = ["app", "lib", "server", "graphs", "next.config.js", "package.json", "tsconfig.json"];

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const name of readdirSync(path)) {
    if (name === "node_modules" || name.startsWith(".")) continue;
    newest = Math.max(newest, newestMtime(join(path, name)));
  }
  return newest;
}

export function buildIsStale() {
  const marker = join(root, ".next", "BUILD_ID");
  if (!existsSync(marker)) return "no production build yet";
  const built = statSync(marker).mtimeMs;
  const changed = SOURCES.find((s) => newestMtime(join(root, s)) > built);
  return changed ? `${changed} changed since the last build` : null;
}

/** Builds if needed; exits the process with next build's status when it fails. */
export function ensureNextBuild({ force = false } = {}) {
  const reason = force ? "forced" : buildIsStale();
  if (!reason) return;
  console.log(`[rill] building the playground (${reason}) ...`);
  const result = spawnSync(process.execPath, [join(root, "node_modules", "next", "dist", "bin", "next"), "build"], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (result.status !== 0) {
    console.error("[rill] next build failed");
    process.exit(result.status ?? 1);
  }
  // next build rewrites tsconfig.json after writing BUILD_ID; without this the build always looks stale.
  const now = new Date();
  utimesSync(join(root, ".next", "BUILD_ID"), now, now);
}
