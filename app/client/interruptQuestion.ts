// What an interrupt asks, in words: LangGraph's interrupt(value) takes any value, and graphs usually pass
// a string or an object with a question in it. Shared by the resume form and the Updates panel.

const QUESTION_KEYS = ["question", "message", "prompt", "query"] as const;

/** The question an interrupt's value asks, or null when it holds none in words. */
export function interruptQuestion(value: unknown): string | null {
  if (typeof value === "string") return value;
  if (typeof value !== "object" || value === null || Array.isArray(value)) return null;
  for (const key of QUESTION_KEYS) {
    const text = (value as Record<string, unknown>)[key];
    if (typeof text === "string") return text;
  }
  return null;
}

/** The interrupt's value without its question (what else it carries), or null when nothing else. */
export function interruptDetails(value: unknown): Record<string, unknown> | null {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return null;
  const question = interruptQuestion(value);
  const rest = Object.entries(value).filter(([key, v]) => !(v === question && (QUESTION_KEYS as readonly string[]).includes(key)));
  return rest.length > 0 ? Object.fromEntries(rest) : null;
}

const YES_NO_START = /^(approve|accept|allow|confirm|continue|proceed|ok|okay|should|shall|do|does|did|is|are|was|can|could|may|will|would|keep|use|send|publish|go ahead)\b/i;

/** True when the question reads as a yes/no question ("Approve topic "x"?", "Should I continue?"). */
export function asksYesNo(question: string | null): boolean {
  if (question === null) return false;
  const text = question.trim();
  return text.endsWith("?") && YES_NO_START.test(text) && !/\bor\b/i.test(text);
}

/** One line for a list row: each interrupt's question, or its value as JSON when it has none. */
export function interruptSummary(interrupts: unknown, json: (value: unknown) => string): string {
  if (!Array.isArray(interrupts)) return json(interrupts);
  return interrupts
    .map((entry) => {
      const value = typeof entry === "object" && entry !== null && "value" in entry ? (entry as { value: unknown }).value : entry;
      return interruptQuestion(value) ?? json(value);
    })
    .join(" · ");
}

export type ResumeText = { ok: true; value: unknown; asJson: boolean } | { ok: false; message: string };

/**
 * What the resume box sends: JSON when it parses, plain text when it is plainly words. Text that starts
 * like JSON (an object, an array, a quoted string, a number) but does not parse is refused: that is a
 * typo, not an answer.
 */
export function parseResumeText(text: string): ResumeText {
  try {
    return { ok: true, value: JSON.parse(text), asJson: true };
  } catch (error) {
    const trimmed = text.trim();
    if (trimmed === "") return { ok: false, message: "Enter a value to resume with." };
    if (/^[[{"\d-]/.test(trimmed)) {
      const reason = error instanceof Error ? error.message : String(error);
      return { ok: false, message: `Not valid JSON (${reason}). Fix it, or write plain words to send them as text.` };
    }
    return { ok: true, value: text, asJson: false };
  }
}
