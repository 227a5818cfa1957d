// Cancel stops a run: the server ends it as cancelled, no more tokens arrive, Run is free again.
import { expect, test } from "@playwright/test";
import { expectStatus, openPlayground, panel, pickGraph, run, saveScreenshot, tokenSnapshot } from "./playground";

test("cancel stops a streaming run", async ({ page }, testInfo) => {
  await openPlayground(page);
  await pickGraph(page, "llm-joke");
  await run(page);
  await expect.poll(async () => (await tokenSnapshot(page)).tokens).toBeGreaterThan(0);
  const cancel = page.getByRole("button", { name: "Cancel", exact: true });
  await cancel.click();
  await expectStatus(page, "cancelled");
  await expect(cancel).toBeDisabled();
  await expect(page.getByRole("button", { name: "Run", exact: true })).toBeEnabled();

  // The last event the server sent is the cancelled status and the subscription is over: generate_joke
  // never finished, its update never came, and the joke on screen stays partial.
  const raw = panel(page, "raw").getByTestId("raw-row");
  await expect(raw.last()).toHaveAttribute("data-mode", "status");
  await expect(raw.last()).toContainText("cancelled");
  await expect(panel(page, "updates").getByTestId("update-row")).toHaveCount(1);
  await expect(panel(page, "state").locator('li[data-key="joke"]')).toHaveCount(0);
  await expect(page.locator('.diagram g[data-node="generate_joke"]')).not.toHaveAttribute("data-state", "done");
  await saveScreenshot(page, testInfo, "cancelled-streaming");
});

test("cancel ends an interrupted run", async ({ page }, testInfo) => {
  await openPlayground(page);
  await pickGraph(page, "approval");
  await run(page);
  await expectStatus(page, "interrupted");
  await page.getByRole("button", { name: "Cancel", exact: true }).click();
  await expectStatus(page, "cancelled");
  await expect(page.getByRole("form", { name: "Resume the interrupted run" })).toHaveCount(0);
  await saveScreenshot(page, testInfo, "cancelled-interrupted");
});
