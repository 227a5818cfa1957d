// A detail pane uses the room its list leaves: opened under a short list (the seed graph's two tasks or
// updates), it starts right under the last row and reaches the panel's bottom, at 1280x800 and 1440x900;
// under a list longer than the panel, the list keeps at least 40% and the detail the rest.
import { expect, test, type Locator, type Page } from "@playwright/test";
import { expectStatus, jsonInput, openPlayground, panel, pickGraph, run, saveScreenshot } from "./playground";

async function boxes(page: Page, panelId: "timeline" | "updates") {
  const body = panel(page, panelId).locator(".panel-body");
  const detail = panel(page, panelId).getByRole("region", { name: "Selected entry" });
  const rows = panel(page, panelId).locator(".vlist-inner");
  const [b, d, r] = await Promise.all([body, detail, rows].map((l: Locator) => l.boundingBox()));
  return { body: b!, detail: d!, rows: r! };
}

for (const [width, height] of [[1280, 800], [1440, 900]] as const) {
  test(`a detail pane takes the room under a short list, ${width}x${height}`, async ({ page }, testInfo) => {
    await page.setViewportSize({ width, height });
    await openPlayground(page);
    await pickGraph(page, "joke");
    await run(page);
    await expectStatus(page, "done", 60_000);
    await panel(page, "timeline").getByTestId("timeline-task").first().click();
    await panel(page, "updates").getByTestId("update-row").first().click();
    for (const id of ["timeline", "updates"] as const) {
      const { body, detail, rows } = await boxes(page, id);
      // Right under the rows (the timeline's axis above them), down to the panel's bottom edge.
      expect(Math.abs(detail.y - (rows.y + rows.height))).toBeLessThanOrEqual(2);
      expect(Math.abs(detail.y + detail.height - (body.y + body.height))).toBeLessThanOrEqual(2);
      expect(detail.height).toBeGreaterThan(body.height * 0.5);
    }
    await saveScreenshot(page, testInfo, `detail-panes-${width}x${height}`);
  });
}

test("under a list longer than its panel, the list keeps 40% and the detail the rest", async ({ page }) => {
  await openPlayground(page);
  await pickGraph(page, "refine-loop");
  await (await jsonInput(page)).fill(JSON.stringify({ topic: "ice cream", rounds: 20 }));
  await run(page);
  await expectStatus(page, "done", 60_000);
  const timeline = panel(page, "timeline");
  // 21 tasks of 26 px: more than the panel holds.
  await expect(timeline.locator(".vlist")).toHaveAttribute("aria-rowcount", "21");
  await timeline.getByTestId("timeline-task").first().click();
  const { body, detail } = await boxes(page, "timeline");
  const list = (await timeline.locator(".vlist").boundingBox())!;
  expect(list.height).toBeGreaterThanOrEqual(body.height * 0.4 - 2 - 22);
  expect(detail.height).toBeLessThanOrEqual(body.height * 0.6 + 2);
});
