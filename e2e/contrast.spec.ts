// Readable in both themes: every piece of text on the page (after a run, panels full) has a contrast of at
// least 4.5:1 against what is behind it (WCAG AA), computed from the styles the browser applied; body text
// (every piece of text: paragraphs, code, rows, chips, counts, buttons, the diagram's labels) is at
// least 13 px, detail panes open or not, in the chat view too; no panel head is cut off; picker labels are not doubled; the token
// panel's header is not cut off.
import { expect, test, type Page } from "@playwright/test";
import { expectStatus, graphPicker, openPlayground, pickGraph, saveScreenshot } from "./playground";

interface Finding {
  text: string;
  ratio: number;
  color: string;
  background: string;
}

/** Text elements whose contrast against their backdrop is under 4.5:1 (disabled controls are exempt). */
async function lowContrast(page: Page): Promise<Finding[]> {
  return page.evaluate(() => {
    const parse = (value: string): [number, number, number, number] | null => {
      const rgb = /rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)/.exec(value);
      if (rgb) return [Number(rgb[1]), Number(rgb[2]), Number(rgb[3]), rgb[4] === undefined ? 1 : Number(rgb[4])];
      const srgb = /color\(srgb ([\d.e-]+) ([\d.e-]+) ([\d.e-]+)(?: \/ ([\d.]+))?\)/.exec(value);
      if (srgb) return [Number(srgb[1]) * 255, Number(srgb[2]) * 255, Number(srgb[3]) * 255, srgb[4] === undefined ? 1 : Number(srgb[4])];
      return null;
    };
    const over = (top: number[], below: number[]) => [0, 1, 2].map((i) => top[i]! * top[3]! + below[i]! * (1 - top[3]!));
    const backdrop = (el: Element): number[] => {
      const layers: number[][] = [];
      for (let node: Element | null = el; node; node = node.parentElement) {
        const c = parse(getComputedStyle(node).backgroundColor);
        if (c && c[3] > 0) {
          layers.push(c);
          if (c[3] >= 1) break;
        }
      }
      let color = [255, 255, 255];
      for (const layer of layers.reverse()) color = over(layer, color);
      return color;
    };
    const luminance = (c: number[]) => {
      const [r, g, b] = c.map((v) => {
        const s = v / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
    };
    const findings: Array<{ text: string; ratio: number; color: string; background: string }> = [];
    for (const el of document.querySelectorAll("body *")) {
      if (el.closest("svg, script, style, [disabled], option")) continue;
      const own = [...el.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim() !== "").map((n) => n.textContent!.trim()).join(" ");
      if (!own) continue;
      const rect = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      if (rect.width === 0 || rect.height === 0 || style.visibility === "hidden" || style.display === "none") continue;
      const fg = parse(style.color);
      if (!fg) continue;
      const bg = backdrop(el);
      const color = over(fg, bg);
      const [a, b] = [luminance(color), luminance(bg)];
      const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
      if (ratio < 4.5) findings.push({ text: own.slice(0, 40), ratio: Math.round(ratio * 100) / 100, color: style.color, background: `rgb(${bg.map(Math.round).join(", ")})` });
    }
    return findings;
  });
}

/**
 * Text under 13 px anywhere on the page: every element with text of its own (body text, code and rows,
 * muted hints, chips, counts, buttons), and the diagram's labels as drawn (their size times the SVG's
 * scale: a diagram wider than the sidebar is scaled down to fit, this run's is not).
 */
async function smallText(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    for (const el of document.querySelectorAll("body *")) {
      if (el.closest("script, style, option, title")) continue;
      if (el.closest("svg") && !(el instanceof SVGTextElement)) continue;
      const own = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim() !== "");
      const field = el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement;
      if (!own && !field) continue;
      const rect = el.getBoundingClientRect();
      if (rect.width === 0 || rect.height === 0) continue;
      const scale = el instanceof SVGTextElement ? (el.getScreenCTM()?.a ?? 1) : 1;
      const size = Math.round(Number.parseFloat(getComputedStyle(el).fontSize) * scale * 100) / 100;
      if (size < 13) found.push(`${el.tagName.toLowerCase()}.${el.className}: ${size}px "${(el.textContent ?? "").trim().slice(0, 30)}"`);
    }
    return found;
  });
}

/** Panel heads whose title, count or buttons are cut off or pushed out of the head. */
async function cutPanelHeads(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll(".panel-head")].flatMap((head) => {
      const right = head.getBoundingClientRect().right;
      return [...head.querySelectorAll("h2, .count, button")]
        .filter((el) => el.scrollWidth > el.clientWidth + 1 || el.getBoundingClientRect().right > right + 0.5)
        .map((el) => `${(head.parentElement as HTMLElement).dataset.panel}: ${el.textContent}`);
    }),
  );
}

for (const theme of ["dark", "light"] as const) {
  test(`text contrast at least 4.5:1 and all text at least 13 px, ${theme} theme`, async ({ page }, testInfo) => {
    await page.emulateMedia({ colorScheme: theme });
    await openPlayground(page);
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(background).toBe(theme === "dark" ? "rgb(11, 14, 20)" : "rgb(244, 246, 249)");
    expect(await lowContrast(page)).toEqual([]);
    await pickGraph(page, "llm-joke");
    await page.getByRole("button", { name: "Run", exact: true }).click();
    await expectStatus(page, "done", 100_000);
    expect(await lowContrast(page)).toEqual([]);
    expect(await smallText(page)).toEqual([]);
    expect(await cutPanelHeads(page)).toEqual([]);
    // The detail panes too: an update and a task opened.
    await page.getByTestId("update-row").first().click();
    await page.getByTestId("timeline-task").first().click();
    expect(await lowContrast(page)).toEqual([]);
    expect(await smallText(page)).toEqual([]);
    await saveScreenshot(page, testInfo, `contrast-${theme}`);
    // The chat view too: bubbles, a tool call, a tool result.
    await pickGraph(page, "tool-agent");
    await page.getByRole("button", { name: "Run", exact: true }).click();
    await expectStatus(page, "done", 100_000);
    await expect(page.getByTestId("chat-tool-result")).toBeVisible();
    expect(await lowContrast(page)).toEqual([]);
    expect(await smallText(page)).toEqual([]);
  });
}

test("picker labels are not doubled, and the token panel's header is not cut off", async ({ page }) => {
  await openPlayground(page);
  const labels = await graphPicker(page).locator("option").allTextContents();
  expect(labels.length).toBeGreaterThan(3);
  for (const label of labels) expect(label).not.toMatch(/\)\s*\(/);
  await pickGraph(page, "llm-joke");
  await page.getByRole("button", { name: "Run", exact: true }).click();
  await expectStatus(page, "done", 100_000);
  const cut = await page.locator('[data-panel="tokens"] .panel-head').evaluate((head) =>
    [...head.querySelectorAll("h2, .count, button")].filter((el) => el.scrollWidth > el.clientWidth + 1).map((el) => el.textContent),
  );
  expect(cut).toEqual([]);
});
