// Inside a subgraph: the playground asks for subgraph events, so the subgraph graph's writers_room is no
// longer an opaque box. Its nodes brainstorm and pick appear in the timeline under the writers_room task,
// in Updates and Custom labelled with their namespace (writers_room:<taskId>), and in the diagram inside
// the writers_room box, where they count, light up and filter the panels like any node.
import { expect, test } from "@playwright/test";
import { expectStatus, openPlayground, panel, pickGraph, run, saveScreenshot } from "./playground";

test("the subgraph graph's inner nodes in the timeline, Updates and the diagram", async ({ page }, testInfo) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await openPlayground(page);
  await pickGraph(page, "subgraph");
  // Before any run the diagram draws writers_room open, with its own nodes inside.
  const room = page.locator('.diagram [data-subgraph="writers_room"]');
  await expect(room.locator('g[data-node="writers_room/brainstorm"]')).toBeVisible();
  await expect(room.locator('g[data-node="writers_room/pick"]')).toBeVisible();
  await expect(room.locator('[data-edge="writers_room/brainstorm->writers_room/pick"]')).toHaveCount(1);

  await run(page);
  await expectStatus(page, "done");

  // The timeline: brainstorm and pick right under writers_room, with its namespace.
  const tasks = panel(page, "timeline").getByTestId("timeline-task");
  await expect(tasks).toHaveCount(5);
  const order = await tasks.evaluateAll((rows) => rows.map((r) => `${r.getAttribute("data-node")}${r.getAttribute("data-namespace") ? ` @ ${r.getAttribute("data-namespace")}` : ""}`));
  const roomTask = order[1]!;
  expect(roomTask).toBe("writers_room");
  const ns = (await tasks.nth(2).getAttribute("data-namespace"))!;
  expect(ns).toMatch(/^writers_room:[0-9a-f-]+$/);
  expect(order).toEqual(["refine_topic", "writers_room", `brainstorm @ ${ns}`, `pick @ ${ns}`, "generate_joke"]);
  await expect(tasks.nth(2)).toHaveAttribute("aria-label", new RegExp(`^Step 2, brainstorm in ${ns}, done`));

  // Updates: five, the inner two labelled with their namespace.
  const updates = panel(page, "updates").getByTestId("update-row");
  await expect(updates).toHaveCount(5);
  await expect(updates.nth(1)).toContainText("brainstorm");
  await expect(updates.nth(1).locator(`[data-namespace="${ns}"]`)).toHaveText("writers_room ›");
  await expect(updates.nth(2)).toContainText("pick");
  await expect(updates.nth(2)).toContainText("ice cream and cats at the vet");
  await expect(updates.nth(2).locator(`[data-namespace="${ns}"]`)).toBeVisible();
  await expect(updates.nth(3).locator("[data-namespace]")).toHaveCount(0);
  // Custom: pick's writer, attributed to pick inside writers_room.
  const custom = panel(page, "custom").getByTestId("custom-row");
  await expect(custom).toHaveCount(1);
  await expect(custom.first()).toContainText("pick");
  await expect(custom.first().locator(`[data-namespace="${ns}"]`)).toBeVisible();

  // The diagram: inner nodes ran once each and are done.
  for (const inner of ["brainstorm", "pick"]) {
    const node = room.locator(`g[data-node="writers_room/${inner}"]`);
    await expect(node).toHaveAttribute("data-state", "done");
    await expect(node).toHaveAttribute("data-count", "1");
  }
  await expect(page.locator('.diagram g[data-node="writers_room"]')).toHaveAttribute("data-count", "1");
  // ...and the subgraph's own edge counts, from its own steps.
  await expect(room.locator('[data-edge="writers_room/brainstorm->writers_room/pick"]')).toHaveAttribute("data-taken", "1");
  await saveScreenshot(page, testInfo, "subgraphs");

  // Clicking an inner node filters the panels to it; the subgraph's own node takes its inner nodes too.
  await page.getByRole("button", { name: /^writers_room\/pick, ran 1×/ }).click();
  await expect(updates).toHaveCount(1);
  await expect(updates.first()).toContainText("pick");
  await expect(tasks).toHaveCount(1);
  // (its name in the box picks it: the middle of the box is its own nodes)
  await page.getByRole("button", { name: /^subgraph writers_room, ran 1×/ }).locator(".gsubgraph-title").click();
  await expect(updates).toHaveCount(3);
  await expect(tasks).toHaveCount(3);
  await page.getByTestId("node-filter").getByRole("button", { name: "Show all" }).click();
  await expect(updates).toHaveCount(5);

  // Closed, writers_room is one node again (its tooltip names the inner nodes); + opens it.
  await page.getByRole("button", { name: "Close subgraph writers_room" }).click();
  await expect(page.locator('.diagram g[data-node="writers_room/pick"]')).toHaveCount(0);
  await expect(page.locator('.diagram g[data-node="writers_room"] > title')).toContainText("subgraph: brainstorm, pick");
  await page.getByRole("button", { name: "Open subgraph writers_room" }).click();
  await expect(page.locator('.diagram g[data-node="writers_room/pick"]')).toHaveAttribute("data-state", "done");
});
