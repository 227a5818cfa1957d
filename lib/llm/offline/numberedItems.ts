// The numbered items of a prompt ("1. …", "2) …", "Joke 3: …"), one per line, read by a single pass over
// each line. Replaces the pattern /^\s*(?:[A-Za-z]+\s+)?(\d+)\s*[.):]\s+(.+)$/gm, whose leading `\s*`
// could run across every following blank line at each line start (quadratic in the number of lines).
import { isAsciiLetter, isDigit, isLineBreak, isSpace } from "./textScan";

export interface NumberedItem {
  /** The number as written ("3"). */
  n: string;
  text: string;
}

const ITEM_PUNCTUATION = new Set([".", ")", ":"]);

/** Lines of the form `[word ]<number>[ ](.|)|:) <text>`, in order. */
export function numberedItems(text: string): NumberedItem[] {
  const items: NumberedItem[] = [];
  let lineStart = 0;
  while (lineStart <= text.length) {
    let lineEnd = lineStart;
    while (lineEnd < text.length && !isLineBreak(text.charCodeAt(lineEnd))) lineEnd++;
    const item = itemOf(text, lineStart, lineEnd);
    if (item) items.push(item);
    lineStart = lineEnd + 1;
  }
  return items;
}

function itemOf(text: string, start: number, end: number): NumberedItem | undefined {
  let i = skipSpaces(text, start, end);
  // An optional word before the number ("Joke 3: …"), followed by a space.
  if (i < end && isAsciiLetter(text.charCodeAt(i))) {
    while (i < end && isAsciiLetter(text.charCodeAt(i))) i++;
    const afterWord = skipSpaces(text, i, end);
    if (afterWord === i) return undefined;
    i = afterWord;
  }
  const numberStart = i;
  while (i < end && isDigit(text.charCodeAt(i))) i++;
  if (i === numberStart) return undefined;
  const n = text.slice(numberStart, i);
  i = skipSpaces(text, i, end);
  if (i >= end || !ITEM_PUNCTUATION.has(text[i]!)) return undefined;
  i++;
  // At least one space, then at least one more character of the line.
  if (i >= end || !isSpace(text.charCodeAt(i)) || i + 1 >= end) return undefined;
  return { n, text: text.slice(i + 1, end).trim() };
}

function skipSpaces(text: string, from: number, end: number): number {
  let i = from;
  while (i < end && isSpace(text.charCodeAt(i))) i++;
  return i;
}
