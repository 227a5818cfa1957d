// A second tab on /runs/<id> joins the run live: it sees what the first tab sees, from the start, and
// what happens next reaches both.
import { expect, test, type Page } from "@playwright/test";
import { expectStatus, openPlayground, pickGraph, run, saveScreenshot, stateValue, tokenSnapshot, exportedJsonl } from "./playground";

async function exportedLog(page: Page): Promise<string> {
  return (await exportedJsonl(page)).text;
}

test("a second tab on /runs/<id> joins the live run; resuming there finishes it in both", async ({ page, context }, testInfo) => {
  await openPlayground(page);
  await pickGraph(page, "approval");
  const href = await run(page);
  await expectStatus(page, "interrupted");

  // The run is paused but live: the second tab joins it and sees the same question.
  const second = await context.newPage();
  await second.goto(href);
  await expectStatus(second, "interrupted");
  await expect(second.getByRole("combobox", { name: "Graph" })).toHaveValue("approval");
  const form = second.getByRole("form", { name: "Resume the interrupted run" });
  await expect(form.getByTestId("interrupt-question")).toHaveText('Approve topic "ice cream and cats"?');
  await saveScreenshot(second, testInfo, "second-tab-joined");

  // Resumed from the second tab, the run finishes in both: the first tab's subscription carries on.
  await form.getByLabel("Resume with").fill('"from the second tab"');
  await form.getByRole("button", { name: "Resume" }).click();
  await expectStatus(second, "done");
  await expectStatus(page, "done");
  expect(await stateValue(page, "joke")).toBe("This is a joke about ice cream and cats (approved=from the second tab)");
  expect(await exportedLog(second)).toBe(await exportedLog(page));
});

test("a second tab opened mid-stream ends with the same tokens and the same log", async ({ page, context }, testInfo) => {
  await openPlayground(page);
  await pickGraph(page, "llm-joke");
  const href = await run(page);
  await expect.poll(async () => (await tokenSnapshot(page)).tokens).toBeGreaterThan(0);

  const second = await context.newPage();
  await second.goto(href);
  await expect(second.getByRole("combobox", { name: "Graph" })).toHaveValue("llm-joke");
  await expectStatus(page, "done");
  await expectStatus(second, "done");
  const [a, b] = [await tokenSnapshot(page), await tokenSnapshot(second)];
  expect(b.text).toBe(a.text);
  expect(b.tokens).toBe(a.tokens);
  expect(await exportedLog(second)).toBe(await exportedLog(page));
  await saveScreenshot(second, testInfo, "second-tab-same-run");
});
