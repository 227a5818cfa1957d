// What the e2e suite and the UI benchmark share: the production custom server they start on a free
// port, and the Chromium every test drives.
import type { PlaywrightTestConfig } from "@playwright/test";
import { fileURLToPath } from "node:url";
import { CHROMIUM_ARGS, e2ePort } from "./serverPort";

const root = fileURLToPath(new URL("..", import.meta.url));

export const port = e2ePort();

export const browserUse = {
  baseURL: `http://127.0.0.1:${port}`,
  viewport: { width: 1280, height: 800 },
  colorScheme: "dark",
  launchOptions: { executablePath: process.env.CHROMIUM_PATH || undefined, args: CHROMIUM_ARGS },
} satisfies PlaywrightTestConfig["use"];

/** `npx tsx server/main.ts` in production mode on `port`, with `env` added to the server's environment. */
export function rillWebServer(env: Record<string, string>): NonNullable<PlaywrightTestConfig["webServer"]> {
  return {
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
      RILL_LOG_LEVEL: "warn",
      NEXT_TELEMETRY_DISABLED: "1",
      ...env,
    },
  };
}
