// The URL decides what the page shows: Back and Forward bring each run's page, /runs/<id> restores the
// run's own input and modes, another graph clears the old run (Back brings it again), and a run the
// server does not have is a 404.
import { expect, test } from "@playwright/test";
import { expectStatus, graphPicker, openPlayground, pickGraph, run, saveScreenshot, setModes, jsonInput } from "./playground";

test("Back and Forward show the page of their URL", async ({ page }, testInfo) => {
  await openPlayground(page);
  await pickGraph(page, "joke");
  const jokeRun = await run(page);
  await expectStatus(page, "done");

  // Another graph: the old run leaves the screen and the URL goes back to "/".
  await pickGraph(page, "refine-loop");
  await expect(page).toHaveURL(/\/$/);
  await expectStatus(page, "idle");
  await expect(page.getByRole("heading", { name: "Graph · refine-loop" })).toBeVisible();
  const loopRun = await run(page);
  await expectStatus(page, "done");

  await page.goBack();
  await expect(page).toHaveURL(/\/$/);
  await expectStatus(page, "idle");
  await page.goBack();
  await expect(page).toHaveURL(new RegExp(`${jokeRun}$`));
  await expect(page.getByTestId("run-link")).toHaveAttribute("href", jokeRun);
  await expectStatus(page, "done");
  await expect(graphPicker(page)).toHaveValue("joke");
  await expect(page.getByRole("heading", { name: "Graph · joke" })).toBeVisible();
  await saveScreenshot(page, testInfo, "back-to-joke");

  await page.goForward();
  await page.goForward();
  await expect(page).toHaveURL(new RegExp(`${loopRun}$`));
  await expect(page.getByTestId("run-link")).toHaveAttribute("href", loopRun);
  await expect(graphPicker(page)).toHaveValue("refine-loop");
});

test("/runs/<id> shows the run's own input and modes", async ({ page, browser }, testInfo) => {
  await openPlayground(page);
  await pickGraph(page, "joke");
  await page.getByLabel("topic", { exact: true }).fill("robots");
  await setModes(page, ["values", "updates"]);
  const href = await run(page);
  await expectStatus(page, "done");

  const other = await browser.newPage();
  await openPlayground(other, href);
  await expectStatus(other, "done");
  await expect(graphPicker(other)).toHaveValue("joke");
  await expect(other.getByLabel("topic", { exact: true })).toHaveValue("robots");
  await expect(await jsonInput(other)).toHaveValue(/"topic": "robots"/);
  for (const mode of ["values", "updates"]) await expect(other.getByRole("checkbox", { name: mode, exact: true })).toBeChecked();
  for (const mode of ["custom", "messages", "debug"]) await expect(other.getByRole("checkbox", { name: mode, exact: true })).not.toBeChecked();
  await saveScreenshot(other, testInfo, "run-page-own-input");
  await other.close();
});

test("a run the server does not have answers 404", async ({ page }) => {
  const response = await page.goto("/runs/does-not-exist");
  expect(response?.status()).toBe(404);
  await expect(page.getByTestId("run-status")).toHaveCount(0);
});
