// Helpers the specs share: drive the playground as a person would (pick, type, press) and read what it
// shows. Screenshots go to e2e/artifacts/<name>.png and are attached to the test report.
import { expect, type Page, type TestInfo } from "@playwright/test";
import { mkdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const ARTIFACTS = fileURLToPath(new URL("./artifacts/", import.meta.url));

export async function saveScreenshot(page: Page, testInfo: TestInfo, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = `${ARTIFACTS}${name}.png`;
  await page.screenshot({ path });
  await testInfo.attach(name, { path, contentType: "image/png" });
  return path;
}

export type Mode = "values" | "updates" | "custom" | "messages" | "debug";

export async function openPlayground(page: Page, path = "/"): Promise<void> {
  await page.goto(path);
  await expect(page.getByTestId("connection")).toHaveAttribute("data-status", "connected");
  await expect(graphPicker(page)).toBeEnabled();
}

/** The input's JSON editor: switches the input from the schema form to the JSON view when needed. */
export async function jsonInput(page: Page) {
  const editor = page.getByLabel("Input (JSON)");
  if (!(await editor.isVisible())) await page.getByRole("button", { name: "JSON", exact: true }).click();
  await expect(editor).toBeVisible();
  return editor;
}

export function graphPicker(page: Page) {
  return page.getByRole("combobox", { name: "Graph" });
}

export async function pickGraph(page: Page, graphId: string): Promise<void> {
  await graphPicker(page).selectOption(graphId);
}

export async function setModes(page: Page, modes: readonly Mode[]): Promise<void> {
  for (const mode of ["values", "updates", "custom", "messages", "debug"] as const) {
    const box = page.getByRole("checkbox", { name: mode, exact: true });
    if (modes.includes(mode)) await box.check();
    else await box.uncheck();
  }
}

export async function run(page: Page): Promise<string> {
  await page.getByRole("button", { name: "Run", exact: true }).click();
  const link = page.getByTestId("run-link");
  await expect(link).toBeVisible();
  const href = await link.getAttribute("href");
  expect(href).toMatch(/^\/runs\/.+/);
  await expect(page).toHaveURL(new RegExp(`${href}$`));
  return href!;
}

export function status(page: Page) {
  return page.getByTestId("run-status");
}

export async function expectStatus(page: Page, value: string, timeout?: number): Promise<void> {
  await expect(status(page)).toHaveAttribute("data-status", value, timeout ? { timeout } : undefined);
}

export function panel(page: Page, id: "state" | "updates" | "tokens" | "timeline" | "custom" | "raw") {
  return page.locator(`[data-panel="${id}"]`);
}

/** The status and the number of tokens on screen, read in one go (no race between the two). */
export async function tokenSnapshot(page: Page): Promise<{ status: string | null; tokens: number; text: string }> {
  return page.evaluate(() => ({
    status: document.querySelector('[data-testid="run-status"]')?.getAttribute("data-status") ?? null,
    tokens: document.querySelectorAll('[data-panel="tokens"] [data-token]').length,
    text: [...document.querySelectorAll('[data-panel="tokens"] [data-testid="message-text"]')].map((p) => p.textContent ?? "").join("\n"),
  }));
}

/** The value of a top-level key in the State panel's tree (latest state unless scrubbed). */
export async function stateValue(page: Page, key: string): Promise<string> {
  const entry = panel(page, "state").locator(`li[data-key="${key}"] .json-str`).first();
  const text = (await entry.textContent()) ?? "";
  return text.replace(/^"|"$/g, "");
}

/** Clicks the raw panel's "Export JSONL" and reads the downloaded file: its text and its tuples, in order. */
export async function exportedJsonl(page: Page): Promise<{ text: string; events: Array<[string, unknown]> }> {
  const download = page.waitForEvent("download");
  await panel(page, "raw").getByRole("button", { name: "Export JSONL" }).click();
  const text = readFileSync(await (await download).path(), "utf8");
  const events = text.trim().split("\n").map((line) => JSON.parse(line) as [string, unknown]);
  return { text, events };
}
