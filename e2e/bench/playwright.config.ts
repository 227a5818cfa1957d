// The playground's UI benchmark (`npm run bench:ui`): a 10,000-token run through the real server and a
// real Chromium, measuring emit-to-paint latency per token and the main thread's longest tasks. The
// server registers the test-only token-flood graph (RILL_TEST_GRAPHS=1) and allows its 2,500 steps.
import { defineConfig } from "@playwright/test";
import { fileURLToPath } from "node:url";
import { CHROMIUM_ARGS, e2ePort } from "../serverPort";

const port = e2ePort();
const root = fileURLToPath(new URL("../..", import.meta.url));

export default defineConfig({
  testDir: ".",
  testMatch: /.*\.bench\.ts$/,
  outputDir: "../artifacts/bench-results",
  workers: 1,
  retries: 0,
  timeout: 300_000,
  expect: { timeout: 60_000 },
  reporter: [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    viewport: { width: 1280, height: 800 },
    colorScheme: "dark",
    launchOptions: { executablePath: process.env.CHROMIUM_PATH || undefined, args: CHROMIUM_ARGS },
  },
  webServer: {
    command: "npx tsx server/main.ts",
    cwd: root,
    url: `http://127.0.0.1:${port}/`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "pipe",
    stderr: "pipe",
    env: {
      PORT: String(port),
      HOST: "127.0.0.1",
      NODE_ENV: "production",
      RILL_TEST_GRAPHS: "1",
      RILL_MAX_RECURSION_LIMIT: "5000",
      RILL_LOG_LEVEL: "warn",
      NEXT_TELEMETRY_DISABLED: "1",
    },
  },
});
