// The input as a form from the graph's JSON schema: a field per property with its description, limits
// and default; it edits the same JSON as the JSON view, and a bad value is named in plain words.
import { expect, test } from "@playwright/test";
import { expectStatus, jsonInput, openPlayground, pickGraph, run, saveScreenshot, stateValue } from "./playground";

test("the schema form: fields with descriptions, defaults and limits, the JSON view a toggle away", async ({ page }, testInfo) => {
  await openPlayground(page);
  await pickGraph(page, "refine-loop");
  const form = page.getByTestId("schema-form");
  const topic = form.getByLabel("topic", { exact: true });
  const rounds = form.getByLabel("rounds", { exact: true });
  await expect(topic).toHaveValue("ice cream");
  await expect(rounds).toHaveValue("3");
  await expect(rounds).toHaveAttribute("placeholder", "3");
  await expect(rounds).toHaveAttribute("max", "20");
  await expect(form.getByTestId("field-description").first()).toHaveText("What the joke is about · 1 to 200 characters");
  await expect(form.getByTestId("field-description").nth(1)).toHaveText("How many drafts before polishing · 1 to 20, a whole number · default 3");
  await saveScreenshot(page, testInfo, "schema-form");

  await rounds.fill("25");
  await expect(page.getByTestId("input-error")).toHaveText("rounds: must be at most 20");
  await expect(rounds).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByRole("button", { name: "Run", exact: true })).toBeDisabled();
  await rounds.fill("2");
  await topic.fill("robots");

  // The JSON view shows what the form wrote, and edits there show in the form.
  const editor = await jsonInput(page);
  await expect(editor).toHaveValue(/"topic": "robots",\s*"rounds": 2/);
  await editor.fill('{ "topic": "cats", "rounds": 1 }');
  await page.getByRole("button", { name: "JSON", exact: true }).click();
  await expect(topic).toHaveValue("cats");
  await expect(rounds).toHaveValue("1");
  await run(page);
  await expectStatus(page, "done");
  expect(await stateValue(page, "topic")).toContain("cats");
});
