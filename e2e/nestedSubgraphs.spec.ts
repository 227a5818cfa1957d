// A subgraph inside a subgraph (the e2e project's studio graph: writers_room runs brainstorm -> critics,
// and critics is itself a graph, review -> score) is drawn as LangGraph's xray drawings draw it: each
// subgraph node open as a box holding its own nodes, two levels deep, laid out by dagre; a run lights up and
// counts the innermost nodes, and each box closes and opens on its own.
import { expect, test } from "@playwright/test";
import { expectStatus, openPlayground, panel, pickGraph, run, saveScreenshot } from "./playground";
import { projectPort } from "./serverUnderTest";

test("nested subgraphs: the inner subgraph's nodes drawn inside its box inside the outer box, lit and counted by a run", async ({ page }, testInfo) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await openPlayground(page, `http://127.0.0.1:${projectPort}/`);
  await pickGraph(page, "studio");
  const diagram = page.locator(".diagram");
  const room = diagram.locator('[data-subgraph="writers_room"]');
  const critics = room.locator('[data-subgraph="writers_room/critics"]');
  await expect(room.locator('g[data-node="writers_room/brainstorm"]')).toBeVisible();
  await expect(critics.locator('g[data-node="writers_room/critics/review"]')).toBeVisible();
  await expect(critics.locator('g[data-node="writers_room/critics/score"]')).toBeVisible();
  await expect(critics.locator('[data-edge="writers_room/critics/review->writers_room/critics/score"]')).toHaveCount(1);
  await expect(room.locator('[data-edge="writers_room/brainstorm->writers_room/critics"]')).toHaveCount(1);

  // Drawn inside: the inner box lies within the outer box, and each node within its box.
  const box = async (selector: string) => (await diagram.locator(selector).first().boundingBox())!;
  const outer = await box('[data-subgraph="writers_room"] > g[data-node="writers_room"] > rect');
  const inner = await box('[data-subgraph="writers_room/critics"] > g[data-node="writers_room/critics"] > rect');
  const review = await box('g[data-node="writers_room/critics/review"] > rect');
  const within = (a: { x: number; y: number; width: number; height: number }, b: typeof a) =>
    a.x >= b.x - 0.5 && a.y >= b.y - 0.5 && a.x + a.width <= b.x + b.width + 0.5 && a.y + a.height <= b.y + b.height + 0.5;
  expect(within(inner, outer)).toBe(true);
  expect(within(review, inner)).toBe(true);

  await run(page);
  await expectStatus(page, "done");
  for (const key of ["writers_room/brainstorm", "writers_room/critics/review", "writers_room/critics/score", "write"]) {
    const node = diagram.locator(`g[data-node="${key}"]`);
    await expect(node).toHaveAttribute("data-state", "done");
    await expect(node).toHaveAttribute("data-count", "1");
  }
  await expect(critics.locator('[data-edge="writers_room/critics/review->writers_room/critics/score"]')).toHaveAttribute("data-taken", "1");
  // The innermost nodes' updates carry both levels of namespace.
  const updates = panel(page, "updates").getByTestId("update-row");
  const scoreRow = updates.filter({ has: page.locator(".chip-node", { hasText: /^score$/ }) });
  await expect(scoreRow.locator("[data-namespace]")).toHaveText("writers_room › critics ›");
  await diagram.scrollIntoViewIfNeeded();
  await saveScreenshot(page, testInfo, "nested-subgraphs");

  // Clicking the inner subgraph filters the panels to it: its own update (in writers_room) and its two nodes'.
  await page.getByRole("button", { name: /^subgraph writers_room\/critics, ran 1×/ }).locator(".gsubgraph-title").click();
  await expect(updates.locator(".chip-node")).toHaveText(["review", "score", "critics"]);
  await page.getByTestId("node-filter").getByRole("button", { name: "Show all" }).click();

  // Closing the inner box leaves the outer one open; closing the outer hides both levels.
  await page.getByRole("button", { name: "Close subgraph writers_room/critics" }).click();
  await expect(diagram.locator('g[data-node="writers_room/critics/review"]')).toHaveCount(0);
  await expect(diagram.locator('g[data-node="writers_room/critics"] > title')).toContainText("subgraph: review, score");
  await expect(diagram.locator('g[data-node="writers_room/brainstorm"]')).toBeVisible();
  await page.getByRole("button", { name: "Close subgraph writers_room" }).click();
  await expect(diagram.locator('g[data-node="writers_room/brainstorm"]')).toHaveCount(0);
  await page.getByRole("button", { name: "Open subgraph writers_room" }).click();
  await expect(diagram.locator('g[data-node="writers_room/critics"]')).toHaveAttribute("data-state", "done");
  await expect(diagram.locator('g[data-node="writers_room/critics/review"]')).toHaveCount(0);
});
