// The playground's UI benchmark (`npm run bench:ui`): a 10,000-token run through the real server and a
// real Chromium, measuring emit-to-paint latency per token and the main thread's longest tasks. The
// server registers the test-only flood graphs (RILL_TEST_GRAPHS=1) and allows its 2,500 steps.
import { defineConfig } from "@playwright/test";
import { browserUse, rillWebServer } from "../serverUnderTest";

export default defineConfig({
  testDir: ".",
  testMatch: /.*\.bench\.ts$/,
  outputDir: "../artifacts/bench-results",
  workers: 1,
  retries: 0,
  timeout: 300_000,
  expect: { timeout: 60_000 },
  reporter: [["list"]],
  use: browserUse,
  webServer: rillWebServer({ RILL_TEST_GRAPHS: "1", RILL_MAX_RECURSION_LIMIT: "5000" }),
});
