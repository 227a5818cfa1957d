// A node that throws: its task is red in the timeline with the error, the node is red in the diagram,
// and the run ends in the error state with the error's message.
import { expect, test } from "@playwright/test";
import { expectStatus, openPlayground, panel, pickGraph, run, saveScreenshot } from "./playground";

test("a failing node shows red in the timeline and an error state", async ({ page }, testInfo) => {
  await openPlayground(page);
  await pickGraph(page, "failing-node");
  await run(page);
  await expectStatus(page, "error");
  await expect(page.getByTestId("run-error")).toContainText("boom in generate_joke");

  const failed = panel(page, "timeline").locator('[data-testid="timeline-task"][data-node="generate_joke"]');
  await expect(failed).toHaveAttribute("data-state", "error");
  const bar = failed.locator(".tl-bar");
  const [barColor, red] = await bar.evaluate((el) => [getComputedStyle(el).backgroundColor, getComputedStyle(document.documentElement).getPropertyValue("--red").trim()]);
  expect(barColor).toBe(hexToRgb(red));
  await expect(panel(page, "timeline").locator('[data-testid="timeline-task"][data-node="refine_topic"]')).toHaveAttribute("data-state", "done");
  await expect(panel(page, "timeline")).toContainText("1 failed");

  await failed.click();
  await expect(panel(page, "timeline").getByRole("alert")).toContainText("boom in generate_joke");
  await expect(page.locator('.diagram g[data-node="generate_joke"]')).toHaveAttribute("data-state", "error");
  await expect(panel(page, "raw").locator('[data-testid="raw-row"][data-mode="error"]')).toHaveCount(1);
  await saveScreenshot(page, testInfo, "failing-node");
});

function hexToRgb(hex: string): string {
  const n = Number.parseInt(hex.replace("#", ""), 16);
  return `rgb(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255})`;
}
