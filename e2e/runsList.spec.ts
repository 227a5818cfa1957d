// The recent runs in the sidebar: each run with its status, graph, input and time, newest first; a run
// opens from the list; Rerun starts the shown run again; an interrupted run stays listed and marked.
// Other specs run on the same server at the same time, so the list is read by run id, not by position alone.
import { expect, test, type Page } from "@playwright/test";
import { expectStatus, graphPicker, openPlayground, pickGraph, run, saveScreenshot } from "./playground";

function runItem(page: Page, href: string) {
  return page.getByTestId("runs-list").locator(`[data-testid="run-item"][href="${href}"]`);
}

/** Where each run stands in the list (0 is the top). */
async function listOrder(page: Page): Promise<string[]> {
  return page.getByTestId("run-item").evaluateAll((items) => items.map((a) => a.getAttribute("href") ?? ""));
}

test("the runs list shows both runs, opens the older one, and Rerun puts a new run on top", async ({ page }, testInfo) => {
  await openPlayground(page);
  await pickGraph(page, "joke");
  await page.getByLabel("topic", { exact: true }).fill("penguins");
  const jokeRun = await run(page);
  await expectStatus(page, "done");

  await pickGraph(page, "refine-loop");
  const loopRun = await run(page);
  await expectStatus(page, "done");

  // Both runs are listed with their graph, status and input; the newer one above the older.
  const joke = runItem(page, jokeRun);
  const loop = runItem(page, loopRun);
  await expect(joke).toHaveAttribute("data-status", "done");
  await expect(loop).toHaveAttribute("data-status", "done");
  await expect(joke).toContainText("joke");
  await expect(joke).toContainText('topic: "penguins"');
  await expect(joke.locator("time")).toHaveText(/^\d\d:\d\d:\d\d$/);
  await expect(loop).toContainText("refine-loop");
  await expect(loop).toHaveAttribute("aria-current", "page");
  let order = await listOrder(page);
  expect(order.indexOf(loopRun)).toBeLessThan(order.indexOf(jokeRun));
  await saveScreenshot(page, testInfo, "runs-list");

  // The older run opens from the list, in this page, with its own graph and input.
  await joke.click();
  await expect(page).toHaveURL(new RegExp(`${jokeRun}$`));
  await expect(page.getByTestId("run-link")).toHaveAttribute("href", jokeRun);
  await expectStatus(page, "done");
  await expect(graphPicker(page)).toHaveValue("joke");
  await expect(page.getByLabel("topic", { exact: true })).toHaveValue("penguins");
  await expect(joke).toHaveAttribute("aria-current", "page");

  // Rerun: a new run of the same graph and input, listed above both.
  await page.getByTestId("rerun").click();
  await expect(page.getByTestId("run-link")).not.toHaveAttribute("href", jokeRun);
  const rerun = await page.getByTestId("run-link").getAttribute("href");
  expect(rerun).toMatch(/^\/runs\/.+/);
  await expect(page).toHaveURL(new RegExp(`${rerun}$`));
  await expectStatus(page, "done");
  await expect(graphPicker(page)).toHaveValue("joke");
  const rerunItem = runItem(page, rerun!);
  await expect(rerunItem).toHaveAttribute("data-status", "done");
  await expect(rerunItem).toContainText('topic: "penguins"');
  order = await listOrder(page);
  expect(order.indexOf(rerun!)).toBeGreaterThanOrEqual(0);
  expect(order.indexOf(rerun!)).toBeLessThan(order.indexOf(loopRun));
  expect(order.indexOf(loopRun)).toBeLessThan(order.indexOf(jokeRun));
  await saveScreenshot(page, testInfo, "runs-list-rerun");

  // At 800 px the run comes first and the list follows the controls, still within reach.
  await page.setViewportSize({ width: 800, height: 800 });
  await rerunItem.scrollIntoViewIfNeeded();
  await expect(rerunItem).toBeInViewport();
  await saveScreenshot(page, testInfo, "runs-list-800");
});

test("an interrupted run stays in the list, marked, and opens with its resume form", async ({ page }, testInfo) => {
  await openPlayground(page);
  await pickGraph(page, "approval");
  const waiting = await run(page);
  await expectStatus(page, "interrupted");
  await expect(runItem(page, waiting)).toHaveAttribute("data-status", "interrupted");

  // Leave it for another graph: the interrupted run is still listed and says it needs input.
  await pickGraph(page, "joke");
  await expectStatus(page, "idle");
  const item = runItem(page, waiting);
  await expect(item).toContainText("needs input");
  await expect(page.getByTestId("runs-waiting")).toBeVisible();

  await item.click();
  await expect(page).toHaveURL(new RegExp(`${waiting}$`));
  await expectStatus(page, "interrupted");
  await expect(page.getByRole("form", { name: "Resume the interrupted run" })).toBeVisible();
  await expect(page.getByTestId("rerun")).toBeDisabled();
  await saveScreenshot(page, testInfo, "runs-list-interrupted");
});
