// The subject of a prompt, as the offline model reads it: "a joke about ice cream" → "ice cream".

/** X in "… about X", "… of X", "… on X", up to the end of that clause. */
export function topicOf(prompt: string): string | undefined {
  const match = /\b(?:about|on|regarding|of|for)\s+([^.?!,;:\n]+)/i.exec(prompt);
  return match ? cleanSubject(match[1]) || undefined : undefined;
}

export function cleanSubject(text: string): string {
  const cleaned = text.replace(/^["'“”‘’\s]+|["'“”‘’\s.?!:;]+$/g, "").replace(/\s+/g, " ");
  return cleaned.length > 60 ? `${cleaned.slice(0, 60).trimEnd()}…` : cleaned;
}

