// A Send fan-out's messages say which task wrote them (its subtopic), and every card still streaming
// shows the typing cursor, not just the last one.
import { expect, test } from "@playwright/test";
import { expectStatus, openPlayground, panel, pickGraph, run, saveScreenshot } from "./playground";

test("parallel messages are labelled by task and each live card has a cursor", async ({ page }, testInfo) => {
  await openPlayground(page);
  await pickGraph(page, "parallel-jokes");
  await run(page);
  const cards = panel(page, "tokens").locator('[data-testid="message"][data-node="write_joke"]');
  // The three write_joke tasks stream at once: at some point more than one card is live.
  await expect.poll(() => panel(page, "tokens").locator('[data-testid="message"][data-live] .cursor').count(), { timeout: 60_000 }).toBeGreaterThan(1);
  await saveScreenshot(page, testInfo, "parallel-live-cursors");
  await expectStatus(page, "done", 100_000);
  await expect(cards).toHaveCount(3);
  const labels = await cards.evaluateAll((els) => els.map((el) => el.getAttribute("aria-label") ?? ""));
  const sends = labels.map((label) => /send (\d) · subtopic: .+/.exec(label)?.[1]).sort();
  expect(sends).toEqual(["1", "2", "3"]);
  await expect(panel(page, "tokens").locator(".cursor")).toHaveCount(0);
});
