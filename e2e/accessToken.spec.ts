// A server started with named tokens (RILL_TOKEN=alice:…,bob:…): the playground asks for a token, runs
// graphs once it has one (HTTP calls and the worker's WebSocket both carry it), keeps it for the tab
// across a reload, and another identity's tab cannot open the run.
import { expect, test } from "@playwright/test";
import { expectStatus, graphPicker, pickGraph, run, saveScreenshot, setModes, status, stateValue } from "./playground";
import { startRillServer, type StartedServer } from "./serverUnderTest";

test.describe.configure({ mode: "serial" });

let server: StartedServer;
test.beforeAll(async () => {
  server = await startRillServer({ RILL_TOKEN: "alice:alice-e2e-secret,bob:bob-e2e-secret", RILL_OFFLINE_DELAY_MS: "20" });
});
test.afterAll(async () => {
  await server?.stop();
});

test("the playground asks for the token, then runs graphs as its identity", async ({ page, browser }, testInfo) => {
  await page.goto(`${server.url}/`);
  const control = page.getByTestId("token-control");
  await expect(control).toHaveAttribute("data-state", "needed");
  await expect(page.getByRole("alert").filter({ hasText: "requires RILL_TOKEN" })).toBeVisible();
  await saveScreenshot(page, testInfo, "token-needed");

  const field = page.getByRole("textbox", { name: "Access token" });
  await field.fill("not-a-token");
  await page.getByRole("button", { name: "Use", exact: true }).click();
  await expect(control).toHaveAttribute("data-state", "refused");

  await field.fill("alice-e2e-secret");
  await page.getByRole("button", { name: "Use", exact: true }).click();
  await expect(control).toHaveAttribute("data-state", "set");
  await expect(graphPicker(page)).toBeEnabled();
  await expect(page.getByTestId("connection")).toHaveAttribute("data-status", "connected");
  await pickGraph(page, "llm-joke");
  await setModes(page, ["values", "updates", "messages"]);
  const href = await run(page);
  await expectStatus(page, "done");
  expect(await stateValue(page, "joke")).toContain("cat");
  await saveScreenshot(page, testInfo, "token-set-run-done");

  // A reload keeps the tab's token and rejoins the run.
  await page.reload();
  await expect(control).toHaveAttribute("data-state", "set");
  await expectStatus(page, "done");

  // Bob, in a tab of his own, cannot see alice's run: it is as if it did not exist.
  const bobContext = await browser.newContext();
  const bob = await bobContext.newPage();
  await bob.goto(`${server.url}${href}`);
  await bob.getByRole("textbox", { name: "Access token" }).fill("bob-e2e-secret");
  await bob.getByRole("button", { name: "Use", exact: true }).click();
  await expect(bob.getByTestId("token-control")).toHaveAttribute("data-state", "set");
  await expect(bob.getByTestId("run-failure")).toContainText(`run "${href.slice("/runs/".length)}" not found`);
  await expect(status(bob)).toHaveAttribute("data-status", "idle");
  await saveScreenshot(bob, testInfo, "token-other-identity");
  await bobContext.close();

  // "Forget" drops the token: the tab is refused again.
  await page.getByRole("button", { name: "Forget", exact: true }).click();
  await expect(control).toHaveAttribute("data-state", "needed");
});
