// List rows show one line, cut off by CSS. The browser still shapes and lays out every character of
// a row's text, so text longer than any row can show is cut here first (a run's state can be kilobytes).
const MAX_ROW_CHARS = 400;

export function clipLine(text: string, max = MAX_ROW_CHARS): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
