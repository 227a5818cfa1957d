// interrupt(): the run pauses, the form shows what the node asked, and resuming with a value finishes
// the run on the same subscription, with the value in the state.
import { expect, test } from "@playwright/test";
import { expectStatus, openPlayground, panel, pickGraph, run, saveScreenshot, stateValue } from "./playground";

test("the interrupt form resumes a run", async ({ page }, testInfo) => {
  await openPlayground(page);
  await pickGraph(page, "approval");
  await run(page);
  await expectStatus(page, "interrupted");
  const form = page.getByRole("form", { name: "Resume the interrupted run" });
  await expect(form.getByTestId("interrupt-question")).toHaveText('Approve topic "ice cream and cats"?');
  await expect(panel(page, "updates").getByTestId("update-row").last()).toContainText("interrupt");
  await expect(page.locator('.diagram g[data-node="review"]')).toHaveAttribute("data-state", "interrupted");
  await saveScreenshot(page, testInfo, "interrupted");

  const value = form.getByLabel("Resume with");
  await value.fill("sure thing");
  await expect(form).toContainText("Not JSON: sent as the text string.");
  await value.fill('"yes"');
  await expect(form).toContainText("Sent as JSON.");
  await form.getByRole("button", { name: "Resume" }).click();

  await expectStatus(page, "done");
  await expect(form).toHaveCount(0);
  expect(await stateValue(page, "joke")).toBe("This is a joke about ice cream and cats (approved=yes)");
  await expect(page.locator('.diagram g[data-node="generate_joke"]')).toHaveAttribute("data-state", "done");
  await saveScreenshot(page, testInfo, "resumed");
});
