// A reload in the middle of a run restores what the tab had and resumes after the last event id: the
// joke on screen at the end is exactly the joke in the state, every token once.
import { expect, test } from "@playwright/test";
import { expectStatus, openPlayground, panel, pickGraph, run, saveScreenshot, stateValue, tokenSnapshot, exportedJsonl } from "./playground";

test("reload mid-run resumes from the last event with no duplicate token", async ({ page }, testInfo) => {
  await openPlayground(page);
  await pickGraph(page, "llm-joke");
  const href = await run(page);
  await expect.poll(async () => {
    const s = await tokenSnapshot(page);
    return s.tokens >= 3 && s.status === "running";
  }).toBe(true);
  const before = await tokenSnapshot(page);

  await page.reload();
  await expect(page).toHaveURL(new RegExp(`${href}$`));
  // Restored from this tab's storage, then resumed after the last event it had.
  const note = page.getByTestId("resume-note");
  await expect(note).toContainText(/restored \d+ events after reload, resumed after .+:\d+/);
  const afterReload = await tokenSnapshot(page);
  expect(afterReload.tokens).toBeGreaterThanOrEqual(before.tokens);
  expect(afterReload.text.startsWith(before.text)).toBe(true);

  await expectStatus(page, "done");
  const final = await tokenSnapshot(page);
  expect(final.text).toBe(await stateValue(page, "joke"));

  // Every event exactly once: the exported log has strictly increasing sequence numbers... and as many
  // message chunks as tokens on screen.
  const { events: lines } = await exportedJsonl(page);
  const chunks = lines.filter((l) => l[0] === "messages" && (l[1] as [{ content: string }])[0].content !== "");
  expect(chunks.length).toBe(final.tokens);
  expect(lines.filter((l) => l[0] === "metadata")).toHaveLength(1);
  await saveScreenshot(page, testInfo, "reload-resumed");
});

test("opening a run URL with nothing saved replays it from the server", async ({ page, context }, testInfo) => {
  await openPlayground(page);
  await pickGraph(page, "joke");
  const href = await run(page);
  await expectStatus(page, "done");
  const fresh = await context.newPage();
  await fresh.goto(href);
  await expectStatus(fresh, "done");
  await expect(fresh.getByTestId("resume-note")).toHaveCount(0);
  await expect(panel(fresh, "updates").getByTestId("update-row")).toHaveCount(2);
  expect(await stateValue(fresh, "joke")).toBe("This is a joke about ice cream and cats");
  await saveScreenshot(fresh, testInfo, "replayed-finished-run");
});

test("an unknown run id says so", async ({ page }, testInfo) => {
  // The server has no such run: the page is a 404 (no run view, no status pill).
  const response = await page.goto("/runs/run_00000000000000000000000000000000");
  expect(response?.status()).toBe(404);
  await expect(page.getByText("could not be found")).toBeVisible();
  await expect(page.getByTestId("run-status")).toHaveCount(0);
  await saveScreenshot(page, testInfo, "unknown-run");
});
