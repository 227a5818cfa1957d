// How much of a prompt the offline model reads. Its answers depend on a few phrases ("a joke about X",
// "pick the best", "list 3 subtopics of X", a numbered list), which sit near the start of any prompt it is
// meant to answer, so it reads only the first PROMPT_WINDOW_CHARS characters, after collapsing each run of
// whitespace to one character. Whatever a client sends, the work of reading a prompt is then bounded: one
// pass over the text up to the window's end (and over any whitespace before it), then scans of at most
// 16 Ki characters.
import { isLineBreak, isSpace } from "./textScan";

export const PROMPT_WINDOW_CHARS = 16 * 1024;

/**
 * The start of `text` as the offline model reads it: leading and trailing whitespace dropped, each inner
 * run of whitespace replaced by "\n" when it breaks a line and by " " otherwise, cut after `limit`
 * characters (never inside a surrogate pair).
 */
export function promptWindow(text: string, limit = PROMPT_WINDOW_CHARS): string {
  const parts: string[] = [];
  let length = 0;
  let i = 0;
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  while (i < text.length && length < limit) {
    const start = i;
    while (i < text.length && !isSpace(text.charCodeAt(i))) i++;
    if (i > start) {
      const run = text.slice(start, Math.min(i, start + limit - length));
      parts.push(run);
      length += run.length;
      if (length >= limit) break;
    }
    let breaksLine = false;
    while (i < text.length && isSpace(text.charCodeAt(i))) {
      if (isLineBreak(text.charCodeAt(i))) breaksLine = true;
      i++;
    }
    if (i < text.length) {
      parts.push(breaksLine ? "\n" : " ");
      length += 1;
    }
  }
  let window = parts.join("");
  const last = window.charCodeAt(window.length - 1);
  if (window.length >= limit && last >= 0xd800 && last <= 0xdbff) window = window.slice(0, -1);
  return window.trimEnd();
}
