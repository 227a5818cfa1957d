// Threads in the playground (chat graph, offline model): the chat box continues the thread turn after
// turn; the threads list links each thread to its page, which shows its runs, state and history; from a
// past checkpoint "Fork from here" runs the form's input there, and "Edit state" writes values there first.
import { expect, test, type Page } from "@playwright/test";
import { expectStatus, jsonInput, openPlayground, pickGraph, run, saveScreenshot } from "./playground";

test.setTimeout(240_000);

const chat = (page: Page) => page.locator('[data-panel="chat"]');
const turns = (page: Page) => chat(page).getByTestId("chat-turn");

async function send(page: Page, text: string): Promise<void> {
  const before = await page.getByTestId("run-link").getAttribute("href");
  await chat(page).getByLabel("Message").fill(text);
  await chat(page).getByRole("button", { name: "Send" }).click();
  await expect(page.getByTestId("run-link")).not.toHaveAttribute("href", before!);
  await expectStatus(page, "done", 100_000);
}

async function openThreadSection(page: Page) {
  const section = page.getByTestId("thread-section");
  if ((await section.getAttribute("open")) === null) await section.locator("summary").click();
  await expect(page.getByTestId("thread-view")).toBeVisible();
  return page.getByTestId("thread-view");
}

async function setFormMessage(page: Page, text: string): Promise<void> {
  await (await jsonInput(page)).fill(JSON.stringify({ messages: [{ role: "user", content: text }] }));
}

test("the chat box continues the thread; the threads list opens the thread's page with its runs and history", async ({ page }, testInfo) => {
  await openPlayground(page);
  await pickGraph(page, "chat");
  await setFormMessage(page, "First turn: a joke about cats");
  await run(page);
  await expectStatus(page, "done", 100_000);
  await expect(turns(page)).toHaveCount(2);

  await send(page, "Second turn: and one about dogs");
  // The whole conversation of the thread: both turns, each answered.
  await expect(turns(page)).toHaveCount(4);
  await expect(turns(page).nth(0)).toHaveText("First turn: a joke about cats");
  await expect(turns(page).nth(2)).toHaveText("Second turn: and one about dogs");
  await expect(turns(page).nth(3)).toHaveAttribute("data-kind", "assistant");
  await saveScreenshot(page, testInfo, "chat-multi-turn");

  // The thread is listed; its page shows both runs, the latest state and the history.
  const threadId = await openThreadSection(page).then((v) => v.getAttribute("data-thread-id"));
  expect(threadId).toBeTruthy();
  await page.getByTestId("threads-list").locator("summary").click();
  const item = page.locator(`[data-testid="thread-item"][data-thread-id="${threadId}"]`);
  await expect(item).toContainText("chat");
  await expect(item).toHaveAttribute("data-status", "idle");
  await item.click();
  await expect(page).toHaveURL(new RegExp(`/threads/${threadId}$`));
  const view = page.getByTestId("thread-view");
  await expect(view.getByTestId("thread-run")).toHaveCount(2);
  await expect(view.getByTestId("checkpoint").first()).toBeVisible();
  expect(await view.getByTestId("checkpoint").count()).toBeGreaterThanOrEqual(4);
  await expect(view.getByTestId("thread-state")).toContainText("Second turn: and one about dogs");
  await expect(turns(page)).toHaveCount(4);
  await saveScreenshot(page, testInfo, "thread-page");

  // Back shows the run's page again, Forward the thread's.
  await page.goBack();
  await expect(page).not.toHaveURL(/\/threads\//);
  await expect(page.getByTestId("run-link")).toBeVisible();
  await page.goForward();
  await expect(page).toHaveURL(new RegExp(`/threads/${threadId}$`));
  await expect(page.getByTestId("thread-view").getByTestId("thread-run")).toHaveCount(2);

  // Loaded directly, the thread page shows the same; a thread the server does not have is a 404.
  await openPlayground(page, `/threads/${threadId}`);
  await expect(page.getByTestId("thread-view").getByTestId("thread-run")).toHaveCount(2);
  await expect(turns(page)).toHaveCount(4);
  const missing = await page.goto("/threads/no-such-thread");
  expect(missing?.status()).toBe(404);
  await expect(page.getByTestId("thread-view")).toHaveCount(0);
});

test("fork from a past checkpoint: the new run continues from there, not from the latest turn", async ({ page }, testInfo) => {
  await openPlayground(page);
  await pickGraph(page, "chat");
  await setFormMessage(page, "Turn one about owls");
  await run(page);
  await expectStatus(page, "done", 100_000);
  const afterTurnOne = await (await openThreadSection(page)).getByTestId("checkpoint").first().getAttribute("data-checkpoint-id");
  await send(page, "Turn two about whales");
  await expect(turns(page)).toHaveCount(4);

  // A step selected in the State scrubber marks its checkpoint in the thread's history.
  const view = await openThreadSection(page);
  await page.locator('[data-panel="state"]').getByRole("button", { name: "Previous state" }).click();
  const selected = view.locator('[data-testid="checkpoint"][data-selected]');
  await expect(selected).toHaveCount(1);
  const label = (await selected.locator("b").textContent()) ?? "";
  expect(label).toMatch(/^step \d+$/);
  await expect(page.getByTestId("thread-section").locator(":scope > summary")).toContainText(`${label} selected`);
  await expect(selected.getByRole("button", { name: "Fork from here" })).toBeEnabled();

  await setFormMessage(page, "Forked turn about foxes");
  await view.locator(`[data-checkpoint-id="${afterTurnOne}"]`).getByRole("button", { name: "Fork from here" }).click();
  await expectStatus(page, "done", 100_000);
  // Turn one, then the forked turn: turn two is not in this branch.
  await expect(turns(page)).toHaveCount(4);
  await expect(turns(page).nth(0)).toHaveText("Turn one about owls");
  await expect(turns(page).nth(2)).toHaveText("Forked turn about foxes");
  await expect(chat(page)).not.toContainText("Turn two about whales");
  // The thread lists the fork's run beside the other two.
  await expect(page.getByTestId("thread-view").getByTestId("thread-run")).toHaveCount(3);
  await saveScreenshot(page, testInfo, "thread-fork");
});

test("edit state at a checkpoint, then run on from the edited state", async ({ page }, testInfo) => {
  await openPlayground(page);
  await pickGraph(page, "chat");
  await setFormMessage(page, "Before the edit");
  await run(page);
  await expectStatus(page, "done", 100_000);

  await setFormMessage(page, "After the edit");
  const view = await openThreadSection(page);
  const latest = view.getByTestId("checkpoint").first();
  await latest.getByRole("button", { name: "Edit state" }).click();
  const editor = latest.getByLabel(/Values to write at this checkpoint/);
  await editor.fill("{ not json");
  await latest.getByRole("button", { name: "Save and run on" }).click();
  await expect(latest.getByRole("alert")).toContainText("Not JSON");
  await editor.fill(JSON.stringify({ messages: [{ role: "user", content: "Written into the state" }] }));
  await saveScreenshot(page, testInfo, "thread-edit-state");
  await latest.getByRole("button", { name: "Save and run on" }).click();
  await expectStatus(page, "done", 100_000);
  await expect(chat(page)).toContainText("Written into the state");
  const userTurns = chat(page).locator('[data-testid="chat-turn"][data-kind="user"]');
  await expect(userTurns).toHaveText(["Before the edit", "Written into the state", "After the edit"]);
  await expect(page.getByTestId("thread-view").getByTestId("thread-run")).toHaveCount(2);
});
