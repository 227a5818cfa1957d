// Where `npm test` finds a browser: CHROMIUM_PATH, else Debian's /usr/bin/chromium, else Playwright's own.
import { existsSync } from "node:fs";

export async function findChromium() {
  const candidates = [];
  if (process.env.CHROMIUM_PATH) candidates.push(process.env.CHROMIUM_PATH);
  candidates.push("/usr/bin/chromium", "/usr/bin/chromium-browser");
  try {
    const { chromium } = await import("@playwright/test");
    candidates.push(chromium.executablePath());
  } catch {
    // @playwright/test not installed: only the system paths count
  }
  return candidates.find((path) => path && existsSync(path)) ?? null;
}

export const HOW_TO_GET_CHROMIUM =
  "no Chromium found (looked at $CHROMIUM_PATH, /usr/bin/chromium, Playwright's browsers): install one with `apt-get install chromium` or `npx playwright install chromium`, or set CHROMIUM_PATH";
