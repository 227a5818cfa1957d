// The chat view of a graph whose state holds messages (tool-agent: createReactAgent with a weather
// tool): the user's message, the model's tool call with its arguments, the tool's result, then the answer
// streaming into the assistant's bubble token by token; the tokens view is one click away, and graphs
// without messages have no chat.
import { expect, test } from "@playwright/test";
import { expectStatus, openPlayground, panel, pickGraph, run, saveScreenshot } from "./playground";

test("a message graph's run reads as a chat: tool call, tool result, and the answer streaming into its bubble", async ({ page }, testInfo) => {
  await openPlayground(page);
  await pickGraph(page, "tool-agent");
  await run(page);
  const chat = page.locator('[data-panel="chat"]');
  await expect(chat).toBeVisible();
  const turns = chat.getByTestId("chat-turn");
  await expect(turns.first()).toHaveAttribute("data-kind", "user");
  await expect(turns.first()).toHaveText("Use the weather tool for Paris");
  const call = chat.getByTestId("chat-tool-call");
  await expect(call).toHaveAttribute("data-tool", "weather");
  await expect(call).toContainText('{"city":"Paris"}');
  await expect(chat.getByTestId("chat-tool-result")).toHaveText("Paris: 18 °C, light rain, wind 12 km/h");

  // The answer streams: its bubble is live (the cursor) and its text grows.
  const live = chat.locator('[data-kind="assistant"][data-live]');
  await expect(live).toHaveCount(1);
  const text = live.getByTestId("chat-assistant-text");
  const before = ((await text.textContent()) ?? "").length;
  await expect.poll(async () => ((await text.textContent()) ?? "").length).toBeGreaterThan(before);
  await saveScreenshot(page, testInfo, "chat-streaming");

  await expectStatus(page, "done", 100_000);
  await expect(live).toHaveCount(0);
  await expect(turns).toHaveCount(4);
  await expect(turns.last()).toHaveAttribute("data-kind", "assistant");
  await expect(turns.last()).toContainText("Paris: 18 °C, light rain, wind 12 km/h");
  await saveScreenshot(page, testInfo, "chat");

  // The raw tokens are one click away, and back.
  await chat.getByRole("button", { name: "tokens", exact: true }).click();
  await expect(panel(page, "tokens").getByTestId("message").first()).toBeVisible();
  await panel(page, "tokens").getByRole("button", { name: "chat", exact: true }).click();
  await expect(chat.getByTestId("chat-turn")).toHaveCount(4);
});

test("a graph without messages in its state has no chat view", async ({ page }) => {
  await openPlayground(page);
  await pickGraph(page, "joke");
  await run(page);
  await expectStatus(page, "done", 60_000);
  await expect(panel(page, "tokens")).toBeVisible();
  await expect(page.getByRole("group", { name: "Show tokens or chat" })).toHaveCount(0);
  await expect(page.locator('[data-panel="chat"]')).toHaveCount(0);
});
