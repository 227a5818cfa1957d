// The seed's graph (refine_topic -> generate_joke) fills every panel with what the streaming guide prints,
// and its LLM version fills the token panel with the guide's metadata.
import { expect, test } from "@playwright/test";
import { expectStatus, openPlayground, panel, pickGraph, run, saveScreenshot, setModes, stateValue, exportedJsonl, jsonInput } from "./playground";

test("the seed graph fills every panel with the seed's outputs", async ({ page }, testInfo) => {
  await openPlayground(page);
  await pickGraph(page, "joke");
  await expect(await jsonInput(page)).toHaveValue(/"topic": "ice cream"/);
  await expect(page.locator("#graph-description")).toContainText("refine_topic");
  await setModes(page, ["values", "updates", "custom", "messages", "debug"]);
  await run(page);
  await expectStatus(page, "done");

  // State: the latest values, three states (input, after each step), the last step changed "joke".
  const state = panel(page, "state");
  expect(await stateValue(page, "topic")).toBe("ice cream and cats");
  expect(await stateValue(page, "joke")).toBe("This is a joke about ice cream and cats");
  await expect(state.getByTestId("changed-key")).toHaveText(["joke"]);
  await expect(state.getByTestId("step-writer")).toHaveText(["generate_joke"]);
  const scrubber = state.getByRole("slider", { name: /Step/ });
  await expect(scrubber).toHaveAttribute("max", "2");
  await scrubber.fill("0");
  await expect(state.getByTestId("state-step")).toHaveText("input");
  expect(await stateValue(page, "topic")).toBe("ice cream");
  await expect(state.locator('li[data-key="joke"]')).toHaveCount(0);
  await expect(state.getByTestId("step-writer")).toHaveCount(0);
  await scrubber.fill("1");
  await expect(state.getByTestId("changed-key")).toHaveText(["topic"]);
  await expect(state.getByTestId("step-writer")).toHaveText(["refine_topic"]);
  await scrubber.fill("2");

  // Updates: the seed's two chunks, in order, with step and node.
  const updates = panel(page, "updates").getByTestId("update-row");
  await expect(updates).toHaveCount(2);
  await expect(updates.nth(0)).toContainText("step 1");
  await expect(updates.nth(0)).toContainText("refine_topic");
  await expect(updates.nth(0)).toContainText('{"topic":"ice cream and cats"}');
  await expect(updates.nth(1)).toContainText("step 2");
  await expect(updates.nth(1)).toContainText('{"joke":"This is a joke about ice cream and cats"}');

  // Custom: what generate_joke wrote.
  const custom = panel(page, "custom").getByTestId("custom-row");
  await expect(custom).toHaveCount(1);
  await expect(custom).toContainText('{"custom_key":"Writing custom data while generating a joke"}');
  await expect(custom).toContainText("generate_joke");

  // Debug timeline: two tasks, one per step, done; clicking one shows its triggers, input and result.
  const tasks = panel(page, "timeline").getByTestId("timeline-task");
  await expect(tasks).toHaveCount(2);
  await expect(tasks.nth(0)).toHaveAttribute("data-node", "refine_topic");
  await expect(tasks.nth(1)).toHaveAttribute("data-node", "generate_joke");
  await expect(tasks.nth(0)).toHaveAttribute("data-state", "done");
  await tasks.nth(1).click();
  const detail = panel(page, "timeline").getByRole("region", { name: "Selected entry" });
  await expect(detail).toContainText("generate_joke · step 2");
  await expect(detail).toContainText("ice cream and cats");
  await expect(detail).toContainText("This is a joke about ice cream and cats");

  // Graph diagram: both nodes done.
  for (const node of ["refine_topic", "generate_joke"]) {
    await expect(page.locator(`.diagram g[data-node="${node}"]`)).toHaveAttribute("data-state", "done");
  }

  // Raw: the tuples as the seed prints them (Python dicts after "Stream mode: ...").
  const raw = panel(page, "raw");
  // The list draws only the rows in view (it follows the newest): scroll it to its start, then its end.
  const rawList = raw.getByRole("list", { name: "Events as received" });
  await rawList.evaluate((list) => (list.scrollTop = 0));
  const updatesRaw = raw.locator('[data-testid="raw-row"][data-mode="updates"]');
  await expect(updatesRaw.nth(0)).toContainText("Stream mode: updates");
  await expect(updatesRaw.nth(0)).toContainText("{'refine_topic': {'topic': 'ice cream and cats'}}");
  await rawList.evaluate((list) => (list.scrollTop = list.scrollHeight));
  await expect(raw.locator('[data-testid="raw-row"][data-mode="custom"]')).toContainText("{'custom_key': 'Writing custom data while generating a joke'}");
  await raw.getByRole("button", { name: "json", exact: true }).click();
  await expect(updatesRaw.filter({ hasText: "generate_joke" })).toContainText('["updates",{"generate_joke":{"joke":"This is a joke about ice cream and cats"}}]');

  // Export: JSONL, one tuple per line, exactly as received: metadata first, the seed's updates among them.
  const { events: lines } = await exportedJsonl(page);
  expect(lines[0]![0]).toBe("metadata");
  expect(lines.filter((l) => l[0] === "updates")).toEqual([
    ["updates", { refine_topic: { topic: "ice cream and cats" } }],
    ["updates", { generate_joke: { joke: "This is a joke about ice cream and cats" } }],
  ]);
  expect(lines.filter((l) => l[0] === "values").map((l) => l[1])).toEqual([
    { topic: "ice cream" },
    { topic: "ice cream and cats" },
    { topic: "ice cream and cats", joke: "This is a joke about ice cream and cats" },
  ]);

  await saveScreenshot(page, testInfo, "seed-joke-all-panels");
});

test("a single mode prints bare chunks, as the seed's single-mode loop does", async ({ page }, testInfo) => {
  await openPlayground(page);
  await pickGraph(page, "joke");
  await setModes(page, ["updates"]);
  await run(page);
  await expectStatus(page, "done");
  const rows = panel(page, "raw").locator('[data-testid="raw-row"][data-mode="updates"]');
  await expect(rows).toHaveText(["{'refine_topic': {'topic': 'ice cream and cats'}}", "{'generate_joke': {'joke': 'This is a joke about ice cream and cats'}}"]);
  // Without values, debug or messages nothing tells the step: the updates are numbered instead.
  await expect(panel(page, "updates").getByTestId("update-row").nth(0)).toContainText("#1");
  await expect(panel(page, "state")).toContainText("Turn on values");
  await saveScreenshot(page, testInfo, "seed-joke-updates-only");
});

test("the seed's LLM graph fills the token panel, grouped per message with the seed's metadata", async ({ page }, testInfo) => {
  await openPlayground(page);
  await pickGraph(page, "llm-joke");
  await run(page);
  await expectStatus(page, "done");
  const message = panel(page, "tokens").getByTestId("message");
  await expect(message).toHaveCount(1);
  await expect(message).toHaveAttribute("data-node", "generate_joke");
  await expect(message).toContainText("step 2");
  const joke = await stateValue(page, "joke");
  expect(joke.length).toBeGreaterThan(10);
  await expect(message.getByTestId("message-text")).toHaveText(joke);
  await message.getByText("metadata").click();
  for (const text of ["langgraph_step", "langgraph_node", "langgraph_triggers", "langgraph_checkpoint_ns", "ls_model_name"]) {
    await expect(message).toContainText(text);
  }
  await saveScreenshot(page, testInfo, "seed-llm-joke-tokens");
});
