// Playwright in a real Chromium against the production build served by the custom server (Next + tRPC
// over HTTP and WebSocket on one port). `npm run test:e2e` builds first when needed and sets
// CHROMIUM_PATH; the offline model is paced slowly enough that a run is still streaming while a test
// looks at it, reloads it or opens it in a second tab.
import { defineConfig } from "@playwright/test";
import { fileURLToPath } from "node:url";
import { CHROMIUM_ARGS, e2ePort } from "./serverPort";

const port = e2ePort();
const root = fileURLToPath(new URL("..", import.meta.url));

export default defineConfig({
  testDir: ".",
  testMatch: /.*\.spec\.ts$/,
  testIgnore: /bench\//,
  outputDir: "artifacts/test-results",
  fullyParallel: true,
  workers: 2,
  retries: 0,
  timeout: 120_000,
  expect: { timeout: 30_000 },
  reporter: [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    viewport: { width: 1280, height: 800 },
    colorScheme: "dark",
    launchOptions: { executablePath: process.env.CHROMIUM_PATH || undefined, args: CHROMIUM_ARGS },
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
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
      // 2.5 tokens/s: llm-joke streams for about 11 s, long enough to see tokens arrive one by one, cancel,
      // reload mid-run and join from a second tab even on a busy 2-core machine.
      RILL_OFFLINE_DELAY_MS: "400",
      RILL_LOG_LEVEL: "warn",
      NEXT_TELEMETRY_DISABLED: "1",
    },
  },
});
