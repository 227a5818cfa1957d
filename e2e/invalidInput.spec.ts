// Bad input never reaches the server: invalid JSON and schema violations show inline, naming the field,
// and Run stays disabled until the input is fixed.
import { expect, test } from "@playwright/test";
import { jsonInput, openPlayground, pickGraph, saveScreenshot } from "./playground";

test("invalid input shows its error inline, naming the field", async ({ page }, testInfo) => {
  await openPlayground(page);
  await pickGraph(page, "joke");
  const editor = await jsonInput(page);
  const error = page.getByTestId("input-error");
  const runButton = page.getByRole("button", { name: "Run", exact: true });
  await expect(runButton).toBeEnabled();
  await expect(error).toHaveCount(0);

  await editor.fill('{\n  "topic": "ice cream",\n}');
  await expect(error).toContainText("Invalid JSON");
  await expect(error).toContainText("line 3");
  await expect(editor).toHaveAttribute("aria-invalid", "true");
  await expect(runButton).toBeDisabled();
  await saveScreenshot(page, testInfo, "invalid-json");

  await editor.fill('{ "topic": 42 }');
  await expect(error).toHaveText("topic: must be text (a JSON string), not a number");
  await expect(runButton).toBeDisabled();

  await editor.fill('{ "tpoic": "ice cream" }');
  await expect(error).toContainText("topic");

  await editor.fill('{ "topic": "ice cream", "extra": 1 }');
  await expect(error).toHaveText('Unknown field: "extra". This graph\'s input takes: topic.');
  await saveScreenshot(page, testInfo, "invalid-field");

  await page.getByRole("button", { name: "Example" }).click();
  await expect(error).toHaveCount(0);
  await expect(editor).toHaveAttribute("aria-invalid", "false");
  await expect(runButton).toBeEnabled();
});

test("input the server rejects is shown inline too, naming the field", async ({ page }, testInfo) => {
  await openPlayground(page);
  await pickGraph(page, "llm-joke");
  // Passes the JSON schema (three characters) but not the graph's zod schema, which trims first.
  await (await jsonInput(page)).fill('{ "topic": "   " }');
  const runButton = page.getByRole("button", { name: "Run", exact: true });
  await expect(runButton).toBeEnabled();
  await runButton.click();
  const error = page.getByTestId("input-error");
  await expect(error).toContainText("topic");
  await expect(error).toContainText("empty");
  await expect(page.getByTestId("run-status")).toHaveAttribute("data-status", "idle");
  await expect(page.getByTestId("run-link")).toHaveCount(0);
  await saveScreenshot(page, testInfo, "invalid-server-rejected");
});
