// llm-joke's tokens appear one by one: the first is on screen while the run is still going, and the
// count on screen passes through many values before the run ends.
import { expect, test } from "@playwright/test";
import { TERMINAL_STATUSES } from "../lib/run/runStatus";
import { expectStatus, openPlayground, panel, pickGraph, saveScreenshot, stateValue, tokenSnapshot } from "./playground";

test("llm-joke tokens appear one by one while the run is going", async ({ page }, testInfo) => {
  await openPlayground(page);
  await pickGraph(page, "llm-joke");

  // Watch every frame from before the run starts until it ends: each distinct token count on screen,
  // and the status shown with it.
  const watching = page.evaluate(
    (terminal) =>
      new Promise<Array<[number, string]>>((resolve) => {
        const seen: Array<[number, string]> = [];
        const tick = () => {
          const n = document.querySelectorAll('[data-panel="tokens"] [data-token]').length;
          const status = document.querySelector('[data-testid="run-status"]')?.getAttribute("data-status") ?? "";
          if (n > 0 && seen.at(-1)?.[0] !== n) seen.push([n, status]);
          if (terminal.includes(status)) resolve(seen);
          else requestAnimationFrame(tick);
        };
        tick();
      }),
    [...TERMINAL_STATUSES] as string[],
  );
  await page.getByRole("button", { name: "Run", exact: true }).click();
  await expect.poll(async () => (await tokenSnapshot(page)).tokens).toBeGreaterThan(0);
  await saveScreenshot(page, testInfo, "tokens-streaming");
  const seen = await watching;

  // The first token was on screen while the run was running, and tokens kept arriving in small steps.
  expect(seen[0]![1]).toBe("running");
  const whileRunning = seen.filter(([, status]) => status === "running").map(([n]) => n);
  expect(whileRunning.length).toBeGreaterThanOrEqual(5);
  for (let i = 1; i < whileRunning.length; i++) expect(whileRunning[i]!).toBeGreaterThan(whileRunning[i - 1]!);

  await expectStatus(page, "done");
  const final = await tokenSnapshot(page);
  // The last token may be painted before or in the same frame as the "done" status: both are right.
  expect(final.tokens).toBeGreaterThanOrEqual(whileRunning.at(-1)!);
  expect(final.text).toBe(await stateValue(page, "joke"));
  await expect(panel(page, "tokens").getByTestId("message")).toContainText("generate_joke");
  await saveScreenshot(page, testInfo, "tokens-done");
});
