// The diagram, laid out by dagre: a loop's self-edge is drawn and labelled with how often the run took it,
// each node shows its task count, a Send fan-out shows its count, clicking a node filters the panels, and
// the drawing is centred with nothing cut off at 1280x800.
import { expect, test, type Page } from "@playwright/test";
import { expectStatus, openPlayground, panel, pickGraph, run, saveScreenshot } from "./playground";

/** Every node and label of the diagram lies inside the SVG's box, and the SVG is centred in its section. */
async function fitsAndCentred(page: Page): Promise<{ outside: string[]; offCentre: number }> {
  return page.evaluate(() => {
    const svg = document.querySelector(".diagram svg") as SVGSVGElement;
    const box = svg.getBoundingClientRect();
    const outside = [...svg.querySelectorAll("g[data-node], .gedge-label")]
      .filter((g) => {
        const r = g.getBoundingClientRect();
        return r.left < box.left - 0.5 || r.right > box.right + 0.5 || r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5;
      })
      .map((g) => g.getAttribute("data-node") ?? "label");
    const holder = svg.parentElement!.getBoundingClientRect();
    const sidebar = document.querySelector(".sidebar")!.getBoundingClientRect();
    if (box.right > sidebar.right || box.left < sidebar.left) outside.push("svg");
    return { outside, offCentre: Math.abs(box.left - holder.left - (holder.right - box.right)) };
  });
}

test("a loop: self-edge labelled with its count, node counts, click a node to filter", async ({ page }, testInfo) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await openPlayground(page);
  await pickGraph(page, "refine-loop");
  const selfLoop = page.locator('.diagram [data-edge="draft->draft"]');
  await expect(selfLoop.locator("path")).toHaveAttribute("d", /C/);
  await expect(selfLoop.getByTestId("edge-label")).toHaveText("if");
  await run(page);
  await expectStatus(page, "done");
  await expect(page.locator('.diagram g[data-node="draft"]')).toHaveAttribute("data-count", "3");
  await expect(page.locator('.diagram g[data-node="draft"]').getByTestId("node-count")).toHaveText("3");
  await expect(selfLoop.getByTestId("edge-label")).toHaveText("×2");
  await expect(page.locator('.diagram [data-edge="draft->polish"]').getByTestId("edge-label")).toHaveText("×1");
  const fit = await fitsAndCentred(page);
  expect(fit.outside).toEqual([]);
  expect(fit.offCentre).toBeLessThan(4);
  // The panels fill the space beside the sidebar (the run-error slot above them takes none).
  for (const id of ["state", "updates", "tokens", "timeline"] as const) expect((await panel(page, id).boundingBox())!.height).toBeGreaterThan(200);

  await page.getByRole("button", { name: /^polish, ran 1×/ }).click();
  await expect(page.getByTestId("node-filter")).toContainText("polish");
  const rows = panel(page, "updates").getByTestId("update-row");
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText("polish");
  await expect(panel(page, "timeline").locator('[data-testid="timeline-task"]')).toHaveCount(1);
  await saveScreenshot(page, testInfo, "diagram-loop-filtered");
  await page.getByTestId("node-filter").getByRole("button", { name: "Show all" }).click();
  await expect(rows).toHaveCount(4);
});

test("a Send fan-out shows its count", async ({ page }, testInfo) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await openPlayground(page);
  await pickGraph(page, "parallel-jokes");
  await run(page);
  await expectStatus(page, "done", 100_000);
  await expect(page.locator('.diagram [data-edge="plan_subtopics->write_joke"]').getByTestId("edge-label")).toHaveText("Send ×3");
  await expect(page.locator('.diagram g[data-node="write_joke"]')).toHaveAttribute("data-count", "3");
  const fit = await fitsAndCentred(page);
  expect(fit.outside).toEqual([]);
  await saveScreenshot(page, testInfo, "diagram-send");
});
