// Nothing on the page animates while a run streams: an animation repaints its part of the page every frame
// (the running status used to pulse, which repainted the run bar and the runs list 60 times a second, about
// half the main thread's paint work in bench:ui). The run bar and the runs list still say "running".
import { expect, test } from "@playwright/test";
import { expectStatus, openPlayground, pickGraph, run, saveScreenshot } from "./playground";

test("while a run streams, its status says running and nothing on the page animates", async ({ page }, testInfo) => {
  await openPlayground(page);
  await pickGraph(page, "llm-joke");
  await run(page);
  await expectStatus(page, "running");
  await expect(page.locator(".run-item.current .status-running")).toBeVisible();
  const animations = await page.evaluate(() => document.getAnimations().map((a) => (a as CSSAnimation).animationName ?? a.constructor.name));
  expect(animations).toEqual([]);
  await saveScreenshot(page, testInfo, "quiet-running");
  await expectStatus(page, "done", 100_000);
});
