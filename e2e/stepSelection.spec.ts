// One step selected across the panels: moving the State scrubber to a step marks that step's node in the
// diagram, its tasks in the timeline and its updates; picking a timeline row or an update selects its
// step everywhere, the scrubber included; Latest selects none again.
import { expect, test } from "@playwright/test";
import { expectStatus, openPlayground, panel, pickGraph, run, saveScreenshot } from "./playground";

test("the scrubber's step marks its node, timeline rows and updates; a timeline row selects its step everywhere", async ({ page }, testInfo) => {
  await openPlayground(page);
  await pickGraph(page, "joke");
  await run(page);
  await expectStatus(page, "done", 60_000);
  const stateStep = page.getByTestId("state-step");
  await expect(stateStep).toHaveText("step 2 · latest");
  const diagramNode = (name: string) => page.locator(`.diagram [data-node="${name}"]`);
  // Nothing is marked while the run is followed.
  await expect(page.locator(".in-step, [data-in-step]")).toHaveCount(0);

  await panel(page, "state").getByRole("button", { name: "Previous state" }).click();
  await expect(stateStep).toHaveText("step 1");
  await expect(diagramNode("refine_topic")).toHaveAttribute("data-in-step", "true");
  await expect(diagramNode("generate_joke")).not.toHaveAttribute("data-in-step", /.*/);
  const task = (step: number) => panel(page, "timeline").locator(`[data-testid="timeline-task"][data-step="${step}"]`);
  const update = (step: number) => panel(page, "updates").locator(`[data-testid="update-row"][data-step="${step}"]`);
  await expect(task(1)).toHaveClass(/\bin-step\b/);
  await expect(task(2)).not.toHaveClass(/\bin-step\b/);
  await expect(update(1)).toHaveClass(/\bin-step\b/);
  await expect(update(2)).not.toHaveClass(/\bin-step\b/);
  await saveScreenshot(page, testInfo, "step-selection");

  // A timeline row picks its step everywhere.
  await task(2).click();
  await expect(stateStep).toHaveText("step 2 · latest");
  await expect(update(2)).toHaveClass(/\bin-step\b/);
  await expect(update(1)).not.toHaveClass(/\bin-step\b/);
  await expect(diagramNode("generate_joke")).toHaveAttribute("data-in-step", "true");
  // An update picks its step too.
  await update(1).click();
  await expect(stateStep).toHaveText("step 1");
  await expect(task(1)).toHaveClass(/\bin-step\b/);
  // Latest: back to following the run, nothing selected.
  await panel(page, "state").getByRole("button", { name: "Latest", exact: true }).click();
  await expect(stateStep).toHaveText("step 2 · latest");
  await expect(page.locator(".in-step, [data-in-step]")).toHaveCount(0);
});
