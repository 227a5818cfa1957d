// An interrupt as controls: the question reads as words in the form and in Updates, a yes/no question
// gets Approve and Reject, broken JSON is refused, Run waits while the run does, and after the resume
// every panel numbers the steps as the engine does.
import { expect, test } from "@playwright/test";
import { expectStatus, openPlayground, panel, pickGraph, run, saveScreenshot, stateValue } from "./playground";

test("approve an interrupt; steps agree across panels after the resume", async ({ page }, testInfo) => {
  await openPlayground(page);
  await pickGraph(page, "approval");
  await run(page);
  await expectStatus(page, "interrupted");
  const question = 'Approve topic "ice cream and cats"?';
  await expect(panel(page, "updates").getByTestId("update-question")).toHaveText(question);
  await expect(page.getByRole("button", { name: "Run", exact: true })).toBeDisabled();
  await expect(page.getByTestId("run-blocked")).toContainText("waiting for input");

  const form = page.getByRole("form", { name: "Resume the interrupted run" });
  // What the run waits for is on screen without scrolling (1280x800).
  expect((await form.getByRole("button", { name: "Approve" }).boundingBox())!.y).toBeLessThan(800 - 40);
  const value = form.getByLabel("Or resume with");
  await value.fill('{"approved": tru');
  await expect(form.getByRole("alert")).toContainText("Not valid JSON");
  await expect(form.getByRole("button", { name: "Resume" })).toBeDisabled();
  await saveScreenshot(page, testInfo, "interrupt-controls");

  await form.getByRole("button", { name: "Approve" }).click();
  await expectStatus(page, "done");
  expect(await stateValue(page, "joke")).toBe("This is a joke about ice cream and cats (approved=yes)");
  await expect(page.getByRole("button", { name: "Run", exact: true })).toBeEnabled();

  // review ran in step 2 (interrupted, then resumed): every panel says so.
  const reviewUpdate = panel(page, "updates").getByTestId("update-row").filter({ hasText: "review" });
  await expect(reviewUpdate).toHaveCount(1);
  await expect(reviewUpdate).toContainText("step 2");
  await expect(panel(page, "updates").getByTestId("update-row").filter({ hasText: "generate_joke" })).toContainText("step 3");
  const reviewTask = panel(page, "timeline").locator('[data-testid="timeline-task"][data-node="review"]');
  await expect(reviewTask).toHaveCount(1);
  await expect(reviewTask).toHaveAttribute("aria-label", /^Step 2, review, done/);
  await expect(panel(page, "timeline").locator('[data-testid="timeline-task"][data-node="generate_joke"]')).toHaveAttribute("aria-label", /^Step 3, generate_joke/);
  // input + three steps: no state that changes nothing.
  await expect(panel(page, "state").getByTestId("state-step")).toContainText("step 3");
  await saveScreenshot(page, testInfo, "approved-steps");
});

test("reject an interrupt", async ({ page }) => {
  await openPlayground(page);
  await pickGraph(page, "approval");
  await run(page);
  await expectStatus(page, "interrupted");
  await page.getByRole("form", { name: "Resume the interrupted run" }).getByRole("button", { name: "Reject" }).click();
  await expectStatus(page, "done");
  expect(await stateValue(page, "joke")).toBe("This is a joke about ice cream and cats (approved=no)");
});
