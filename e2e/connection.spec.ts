// The connection indicator follows the network, and a run streaming through a network drop ends with
// every token exactly once (wsLink resubscribes with the last event id; the store drops overlaps).
import { expect, test } from "@playwright/test";
import { expectStatus, openPlayground, pickGraph, run, saveScreenshot, stateValue, tokenSnapshot, exportedJsonl } from "./playground";

test("offline and back: the indicator says so and the run resumes without duplicates", async ({ page, context }, testInfo) => {
  await openPlayground(page);
  const indicator = page.getByTestId("connection");
  await expect(indicator).toHaveText("Connected");
  await pickGraph(page, "llm-joke");
  await run(page);
  await expect.poll(async () => (await tokenSnapshot(page)).tokens).toBeGreaterThan(0);

  await context.setOffline(true);
  await expect(indicator).toHaveAttribute("data-status", "offline");
  await saveScreenshot(page, testInfo, "connection-offline");
  await context.setOffline(false);
  await expect(indicator).toHaveAttribute("data-status", "connected");

  await expectStatus(page, "done");
  const final = await tokenSnapshot(page);
  expect(final.text).toBe(await stateValue(page, "joke"));
  const { events: lines } = await exportedJsonl(page);
  expect(lines.filter((l) => l[0] === "metadata")).toHaveLength(1);
  expect(lines.filter((l) => l[0] === "status" && (l[1] as { status: string }).status === "done")).toHaveLength(1);
  expect(lines.filter((l) => l[0] === "messages" && (l[1] as [{ content: string }])[0].content !== "")).toHaveLength(final.tokens);
});
