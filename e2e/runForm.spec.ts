// The run form and the run bar say what is going on: no modes is refused, the whole run error can be
// read, a run with no tokens says so, and at 800 px wide the run comes first on the page.
import { expect, test } from "@playwright/test";
import { expectStatus, openPlayground, panel, pickGraph, run, saveScreenshot, setModes, jsonInput } from "./playground";

test("turning off every mode is refused with a message", async ({ page }) => {
  await openPlayground(page);
  await setModes(page, []);
  await expect(page.getByTestId("modes-error")).toContainText("at least one stream mode");
  await expect(page.getByRole("button", { name: "Run", exact: true })).toBeDisabled();
  await setModes(page, ["updates"]);
  await expect(page.getByTestId("modes-error")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Run", exact: true })).toBeEnabled();
});

test("a run-level error can be read whole", async ({ page }, testInfo) => {
  await openPlayground(page);
  await pickGraph(page, "refine-loop");
  await page.getByText("Run config").click();
  await page.getByLabel("Recursion limit").fill("5");
  await (await jsonInput(page)).fill('{ "topic": "ice cream", "rounds": 10 }');
  await run(page);
  await expectStatus(page, "error");
  const detail = page.getByTestId("run-error-detail");
  await detail.getByText("Read the whole error").click();
  const whole = detail.locator("pre");
  await expect(whole).toBeVisible();
  await expect(whole).toContainText("GraphRecursionError");
  // Shown whole: nothing clipped in the box.
  const clipped = await whole.evaluate((el) => el.scrollWidth > el.clientWidth + 1);
  expect(clipped).toBe(false);
  const full = (await whole.textContent()) ?? "";
  expect(full.length).toBeGreaterThan(60);
  await saveScreenshot(page, testInfo, "run-error-whole");
});

test("the tokens panel says when a run had no tokens", async ({ page }) => {
  await openPlayground(page);
  await pickGraph(page, "joke");
  await run(page);
  await expectStatus(page, "done");
  await expect(panel(page, "tokens")).toContainText("This run streamed no tokens");
});

test("at 800 px wide the run's panels come first", async ({ page }, testInfo) => {
  await page.setViewportSize({ width: 800, height: 800 });
  await openPlayground(page);
  await pickGraph(page, "joke");
  await run(page);
  await expectStatus(page, "done");
  const bar = await page.getByTestId("run-status").boundingBox();
  expect(bar).not.toBeNull();
  expect(bar!.y).toBeLessThan(800);
  const state = await panel(page, "state").boundingBox();
  expect(state!.y).toBeLessThan(800);
  await saveScreenshot(page, testInfo, "narrow-800");
});
