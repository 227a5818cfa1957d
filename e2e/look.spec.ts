// Usable by keyboard at 1280x800, in dark and light: every control is reachable with Tab and labelled,
// a run starts from the keyboard, and the theme toggle switches and is remembered.
import { expect, test } from "@playwright/test";
import { expectStatus, openPlayground, pickGraph, saveScreenshot } from "./playground";

test("keyboard only: reach the controls by Tab and run with Ctrl+Enter", async ({ page }, testInfo) => {
  await openPlayground(page);
  await pickGraph(page, "refine-loop");
  const reached: string[] = [];
  for (let i = 0; i < 20; i++) {
    await page.keyboard.press("Tab");
    reached.push(
      await page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        if (!el) return "";
        const labelled = el.getAttribute("aria-label") ?? (el.id ? document.querySelector(`label[for="${el.id}"]`)?.textContent : null) ?? el.closest("label")?.textContent ?? el.textContent;
        return (labelled ?? "").trim();
      }),
    );
  }
  for (const name of ["Graph", "topic", "values", "debug", "Run"]) expect(reached).toContain(name);
  expect(reached.every((name) => name.length > 0)).toBe(true);

  await page.getByLabel("topic", { exact: true }).focus();
  await page.keyboard.press("Control+Enter");
  await expectStatus(page, "done");
  await saveScreenshot(page, testInfo, "loop-dark-1280x800");
});

test("light and dark themes, remembered across reloads", async ({ page }, testInfo) => {
  await openPlayground(page);
  await page.getByRole("button", { name: "Switch to light theme" }).click();
  await expect(page.locator("html")).toHaveAttribute("data-theme", "light");
  const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  expect(bg).toBe("rgb(244, 246, 249)");
  await page.reload();
  await expect(page.locator("html")).toHaveAttribute("data-theme", "light");
  await pickGraph(page, "parallel-jokes");
  await page.getByRole("button", { name: "Run", exact: true }).click();
  await expectStatus(page, "done", 100_000);
  await saveScreenshot(page, testInfo, "parallel-light-1280x800");
});
