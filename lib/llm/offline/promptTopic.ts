// The subject of a prompt, as the offline model reads it: "a joke about ice cream" → "ice cream".
// Hand-written scans (each character looked at a bounded number of times), in place of the patterns
//   /\b(?:about|on|regarding|of|for)\s+([^.?!,;:\n]+)/i   and   /^["'“”‘’\s]+|["'“”‘’\s.?!:;]+$/g
// whose backtracking made a prompt like "about x" + 160,000 spaces + "y" take quadratic time.
import { isSpace, isWordChar } from "./textScan";

const TOPIC_MARKERS = ["about", "on", "regarding", "of", "for"];
/** Where a topic's clause ends. */
const CLAUSE_END = new Set([...".?!,;:\n"]);
const QUOTES = new Set([..."\"'“”‘’"]);
const TRAILING_PUNCTUATION = new Set([...".?!:;"]);
const MAX_SUBJECT_CHARS = 60;

/** X in "… about X", "… of X", "… on X", up to the end of that clause; the first such phrase decides. */
export function topicOf(prompt: string): string | undefined {
  for (let i = 0; i < prompt.length; i++) {
    if (i > 0 && isWordChar(prompt.charCodeAt(i - 1))) continue; // a marker starts a word
    const marker = TOPIC_MARKERS.find((m) => startsWithIgnoringCase(prompt, i, m));
    if (marker === undefined) continue;
    const spaceStart = i + marker.length;
    let spaceEnd = spaceStart;
    while (spaceEnd < prompt.length && isSpace(prompt.charCodeAt(spaceEnd))) spaceEnd++;
    if (spaceEnd === spaceStart) continue; // "onion", "often": not a marker followed by a space
    if (spaceEnd < prompt.length && !CLAUSE_END.has(prompt[spaceEnd]!)) {
      let clauseEnd = spaceEnd;
      while (clauseEnd < prompt.length && !CLAUSE_END.has(prompt[clauseEnd]!)) clauseEnd++;
      return cleanSubject(prompt.slice(spaceEnd, clauseEnd)) || undefined;
    }
    // Only spaces follow before the clause ends ("about  ."): a topic of spaces, i.e. none, unless those
    // spaces are all line breaks past the first, which cannot start a topic; then look further on.
    for (let j = spaceStart + 1; j < spaceEnd; j++) if (prompt[j] !== "\n") return undefined;
  }
  return undefined;
}

/** `text` without surrounding quotes, spaces and final punctuation, inner whitespace runs as one space, at most 60 characters. */
export function cleanSubject(text: string): string {
  let start = 0;
  while (start < text.length && (isSpace(text.charCodeAt(start)) || QUOTES.has(text[start]!))) start++;
  let end = text.length;
  while (end > start) {
    const last = text[end - 1]!;
    if (!isSpace(last.charCodeAt(0)) && !QUOTES.has(last) && !TRAILING_PUNCTUATION.has(last)) break;
    end--;
  }
  let cleaned = "";
  for (let i = start; i < end && cleaned.length <= MAX_SUBJECT_CHARS; ) {
    if (isSpace(text.charCodeAt(i))) {
      while (i < end && isSpace(text.charCodeAt(i))) i++;
      cleaned += " ";
    } else {
      cleaned += text[i];
      i++;
    }
  }
  return cleaned.length > MAX_SUBJECT_CHARS ? `${cleaned.slice(0, MAX_SUBJECT_CHARS).trimEnd()}…` : cleaned;
}

/** `text.slice(at).startsWith(word)`, ignoring ASCII case, without copying. `word` is lower-case ASCII. */
function startsWithIgnoringCase(text: string, at: number, word: string): boolean {
  if (at + word.length > text.length) return false;
  for (let k = 0; k < word.length; k++) {
    const code = text.charCodeAt(at + k);
    const lower = code >= 0x41 && code <= 0x5a ? code + 0x20 : code;
    if (lower !== word.charCodeAt(k)) return false;
  }
  return true;
}
