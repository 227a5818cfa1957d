// Character classes for the offline model's hand-written prompt scanners, the same sets as JavaScript's
// regex classes, so the scanners read text exactly as the patterns they replace did. Each scanner walks
// its text once (no backtracking), so its cost is linear in the text it is given.

/** `\s`: JavaScript's whitespace and line terminators. */
export function isSpace(code: number): boolean {
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  if (code < 0xa0) return false;
  return (
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

/** Line terminators: what `.` does not match and where `$` (with the m flag) stops. */
export function isLineBreak(code: number): boolean {
  return code === 0x0a || code === 0x0d || code === 0x2028 || code === 0x2029;
}

/** `\d` */
export function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

/** `[A-Za-z]` */
export function isAsciiLetter(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}

/** `\w`: ASCII letters, digits and `_` (what `\b` separates). */
export function isWordChar(code: number): boolean {
  return isAsciiLetter(code) || isDigit(code) || code === 0x5f;
}

export interface Word {
  /** The word as written. */
  text: string;
  start: number;
  end: number;
}

/** The words of `text` (maximal runs of `\w`, as `\b\w+\b` finds them), in order. */
export function* wordsOf(text: string): Generator<Word> {
  let i = 0;
  while (i < text.length) {
    if (!isWordChar(text.charCodeAt(i))) {
      i++;
      continue;
    }
    const start = i;
    while (i < text.length && isWordChar(text.charCodeAt(i))) i++;
    yield { text: text.slice(start, i), start, end: i };
  }
}

/** True when `text[from, to)` is not empty and all whitespace (what `\s+` between two words needs). */
export function isSpaceBetween(text: string, from: number, to: number): boolean {
  if (to <= from) return false;
  for (let i = from; i < to; i++) if (!isSpace(text.charCodeAt(i))) return false;
  return true;
}
