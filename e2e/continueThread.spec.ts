// "Continue from here": after "Edit state" (or a fork) the thread runs on from a checkpoint as it stands,
// with input null, in the joke graph (refine_topic -> generate_joke, no model). The edited topic reaches
// generate_joke; the form's input is neither sent nor replaced by the continued run's.
import { expect, test } from "@playwright/test";
import { expectStatus, jsonInput, openPlayground, pickGraph, run, saveScreenshot, stateValue } from "./playground";

test.setTimeout(180_000);

test("edit the state after refine_topic, then continue from the edited checkpoint: generate_joke runs on it", async ({ page }, testInfo) => {
  await openPlayground(page);
  await pickGraph(page, "joke");
  await (await jsonInput(page)).fill(JSON.stringify({ topic: "ice cream" }));
  const firstRun = await run(page);
  await expectStatus(page, "done", 60_000);
  await expect.poll(() => stateValue(page, "joke")).toBe("This is a joke about ice cream and cats");

  const section = page.getByTestId("thread-section");
  if ((await section.getAttribute("open")) === null) await section.locator("summary").click();
  const view = page.getByTestId("thread-view");
  const checkpoints = view.getByTestId("checkpoint");
  await expect(checkpoints).toHaveCount(4);
  // The last checkpoint ends the run: nothing to continue; the one after refine_topic has generate_joke next.
  await expect(checkpoints.first().getByRole("button", { name: "Continue from here" })).toBeDisabled();
  const afterRefine = checkpoints.filter({ hasText: "next: generate_joke" });
  await expect(afterRefine).toHaveCount(1);

  await afterRefine.getByRole("button", { name: "Edit state" }).click();
  await afterRefine.getByLabel(/Values to write at this checkpoint/).fill(JSON.stringify({ topic: "penguins" }));
  await afterRefine.getByRole("button", { name: "Save", exact: true }).click();

  // The write is a new checkpoint at the top, marked, with generate_joke still to run; no run started.
  const written = view.locator('[data-testid="checkpoint"][data-written]');
  await expect(written).toHaveCount(1);
  await expect(checkpoints).toHaveCount(5);
  await expect(checkpoints.first()).toHaveAttribute("data-written", "true");
  await expect(written).toContainText("update");
  await expect(written).toContainText("next: generate_joke");
  await expect(page).toHaveURL(new RegExp(`${firstRun}$`));
  await written.scrollIntoViewIfNeeded();
  await saveScreenshot(page, testInfo, "thread-continue-offered");

  await written.getByRole("button", { name: "Continue from here" }).click();
  await expect(page).not.toHaveURL(new RegExp(`${firstRun}$`));
  await expectStatus(page, "done", 60_000);
  // generate_joke ran on the edited state; refine_topic did not run again.
  await expect.poll(() => stateValue(page, "joke")).toBe("This is a joke about penguins");
  await expect.poll(() => stateValue(page, "topic")).toBe("penguins");
  const updates = page.locator('[data-panel="updates"]');
  await expect(updates).toContainText("generate_joke");
  await expect(updates).not.toContainText("refine_topic");
  // The thread lists both runs; the form kept its own input (the continued run had none); no Rerun.
  await expect(view.getByTestId("thread-run")).toHaveCount(2);
  await expect(await jsonInput(page)).toHaveValue(/"topic": ?"ice cream"/);
  await expect(page.getByTestId("rerun")).toHaveCount(0);
  await saveScreenshot(page, testInfo, "thread-continued");

  // A fork (the form's input from the first checkpoint) can be continued from any of its own checkpoints too.
  await (await jsonInput(page)).fill(JSON.stringify({ topic: "owls" }));
  await view.locator('[data-testid="checkpoint"]').filter({ hasText: "next: __start__" }).first().getByRole("button", { name: "Fork from here" }).click();
  await expectStatus(page, "done", 60_000);
  await expect.poll(() => stateValue(page, "joke")).toBe("This is a joke about owls and cats");
  const forkAfterRefine = view.getByTestId("checkpoint").filter({ hasText: "next: generate_joke" }).first();
  await forkAfterRefine.getByRole("button", { name: "Continue from here" }).click();
  await expectStatus(page, "done", 60_000);
  await expect(view.getByTestId("thread-run")).toHaveCount(4);
  await expect(updates).toContainText("generate_joke");
  await expect(updates).not.toContainText("refine_topic");
  await expect.poll(() => stateValue(page, "joke")).toBe("This is a joke about owls and cats");
});
