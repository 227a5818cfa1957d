// Splits text the way a BPE tokenizer roughly does, so the offline model streams realistic deltas:
// words carry their leading space (" did"), punctuation stands alone or in short runs ("!", "\"p"),
// newlines come as their own tokens, each emoji is a token, and long or rare words break into
// sub-word pieces ("purr" + "-f" + "ect"). Deterministic: the same text always gives the same tokens.

// Mirrors the GPT-2 family pre-tokenizer: contractions, optional space + letters, optional space + digits,
// optional space + a run of symbols, line breaks (as one token, like "\n\n"), other whitespace runs.
const PRE_TOKEN = /'(?:s|t|re|ve|m|ll|d)| ?\p{L}+| ?\p{N}{1,3}| ?[^\s\p{L}\p{N}]+|\s*[\r\n]+|\s+(?!\S)|\s+/gu;
const PICTOGRAPH = /\p{Extended_Pictographic}(?:\p{Emoji_Modifier}|\uFE0F|\u200D\p{Extended_Pictographic})*/gu;

// Words short enough (or common enough) to be one token. Longer ones are cut into pieces.
const WHOLE_WORD_MAX = 7;

export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  for (const piece of text.match(PRE_TOKEN) ?? []) {
    if (/\p{Extended_Pictographic}/u.test(piece)) {
      splitPictographs(piece, tokens);
    } else if (/^ ?\p{L}+$/u.test(piece) && piece.trim().length > WHOLE_WORD_MAX) {
      splitLongWord(piece, tokens);
    } else {
      tokens.push(piece);
    }
  }
  return tokens;
}

/** Number of tokens `text` makes, for usage accounting. */
export function countTokens(text: string): number {
  return tokenize(text).length;
}

function splitPictographs(piece: string, out: string[]): void {
  let last = 0;
  for (const match of piece.matchAll(PICTOGRAPH)) {
    const start = match.index ?? 0;
    const before = piece.slice(last, start);
    // A lone leading space rides with the emoji (" 🍦"), as it does with words.
    if (before === " ") {
      out.push(before + match[0]);
      last = start + match[0].length;
      continue;
    }
    if (before !== "") out.push(before);
    out.push(match[0]);
    last = start + match[0].length;
  }
  if (last < piece.length) out.push(piece.slice(last));
}

// Cuts a long word into a head of up to 6 characters (space included) and tails of up to 4: close
// enough to how BPE splits rare words, and stable across runs.
function splitLongWord(piece: string, out: string[]): void {
  const head = piece.startsWith(" ") ? 6 : 5;
  out.push(piece.slice(0, head));
  for (let i = head; i < piece.length; i += 4) out.push(piece.slice(i, i + 4));
}
