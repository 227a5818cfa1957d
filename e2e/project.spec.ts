// A langgraph.json project served by Rill with reload on: the picker lists its graphs, marks the one that
// did not load with its error, and follows an edit of a graph file without a page reload.
import { writeFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { expectStatus, graphPicker, openPlayground, pickGraph, run, stateValue, jsonInput } from "./playground";
import { e2eProject, projectPort, storyGraph } from "./serverUnderTest";

test("a project's graphs in the picker; a broken one shows its error; an edit reaches the diagram without a reload", async ({ page }) => {
  const { graphFile } = e2eProject();
  await openPlayground(page, `http://127.0.0.1:${projectPort}/`);
  await expect(graphPicker(page).locator("option")).toHaveText(["Story", "Studio", "broken — not loaded"]);

  await pickGraph(page, "broken");
  await expect(page.locator("#graph-description")).toContainText("Not loaded: its module threw at import: this graph fails at import");

  await pickGraph(page, "story");
  await expect(page.locator("#graph-description")).toHaveText("A story graph from a langgraph.json");
  await expect(await jsonInput(page)).toHaveValue(/"text": "once"/);
  const first = await run(page);
  await expectStatus(page, "done");
  expect(await stateValue(page, "text")).toBe("once draft");
  await expect(page.locator('.diagram g[data-node="polish"]')).toHaveCount(0);

  await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
  writeFileSync(graphFile, storyGraph(["draft", "polish"]));
  await expect(page.locator('.diagram g[data-node="polish"]')).toHaveCount(1);
  expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
  await page.getByRole("button", { name: "Run", exact: true }).click();
  await expect(page.getByTestId("run-link")).not.toHaveAttribute("href", first);
  await expectStatus(page, "done");
  await expect.poll(() => stateValue(page, "text")).toBe("once draft polish");
});
