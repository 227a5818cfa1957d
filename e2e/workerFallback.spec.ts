// Where the run-feed worker cannot start (its script blocked by a Content-Security-Policy, say), the page
// opens the WebSocket itself and works as before: connected, runs stream, tokens arrive.
import { expect, test } from "@playwright/test";
import { expectStatus, openPlayground, pickGraph, run, saveScreenshot, stateValue, tokenSnapshot } from "./playground";

test("a worker that cannot start: the page streams over its own WebSocket", async ({ page }, testInfo) => {
  await page.addInitScript(() => {
    // A Worker whose script fails to load: the browser fires "error" on it and it never runs.
    class UnloadableWorker extends EventTarget {
      onerror: ((event: Event) => void) | null = null;
      onmessage: ((event: MessageEvent) => void) | null = null;
      onmessageerror: ((event: MessageEvent) => void) | null = null;
      constructor() {
        super();
        setTimeout(() => {
          const event = new Event("error");
          this.dispatchEvent(event);
          this.onerror?.(event);
        }, 0);
      }
      postMessage(): void {}
      terminate(): void {}
    }
    (window as unknown as { Worker: unknown }).Worker = UnloadableWorker;
    const sockets: string[] = [];
    (window as unknown as { __sockets: string[] }).__sockets = sockets;
    const PageWebSocket = window.WebSocket;
    window.WebSocket = class extends PageWebSocket {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols);
        sockets.push(String(url));
      }
    };
  });
  const warnings: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "warning") warnings.push(message.text());
  });

  await openPlayground(page);
  expect(warnings.some((w) => w.includes("run-feed worker could not start"))).toBe(true);
  expect(await page.evaluate(() => (window as unknown as { __sockets: string[] }).__sockets)).toEqual([expect.stringMatching(/\/api\/trpc$/)]);

  await pickGraph(page, "llm-joke");
  await run(page);
  await expectStatus(page, "done");
  const final = await tokenSnapshot(page);
  expect(final.tokens).toBeGreaterThan(1);
  expect(final.text).toBe(await stateValue(page, "joke"));
  await saveScreenshot(page, testInfo, "worker-fallback");
});
