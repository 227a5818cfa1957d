// What the offline model says to a request. Deterministic: the reply depends only on the messages and tools,
// so tests and demos see the same text every time. It recognises a few kinds of prompt — a joke request,
// "pick the best of these numbered items", "list N subtopics of X", a greeting, a tool's result — and answers
// anything else with a short, honest generic answer.
//
// It reads only the start of the prompt (promptWindow: the first 16 Ki characters, whitespace runs
// collapsed), with scans whose cost is linear in what they read, so no request can make it work harder
// than reading its body once. The patterns still used here are literal alternatives (or anchored at the
// start), which cannot backtrack beyond the length of one of their words.
import type { OfflineChatRequest, OfflineMessage, OfflineTool } from "./chatRequest";
import { hashString } from "./hashString";
import { jokeAbout } from "./jokes";
import { numberedItems } from "./numberedItems";
import { promptWindow } from "./promptWindow";
import { cleanSubject, topicOf } from "./promptTopic";
import { isSpaceBetween, wordsOf } from "./textScan";
import { planToolCall } from "./toolCallPlanner";

export type OfflineReply =
  | { type: "text"; text: string }
  | { type: "tool_calls"; calls: Array<{ name: string; arguments: string }> };

export function composeReply(request: OfflineChatRequest): OfflineReply {
  const last = request.messages[request.messages.length - 1];
  if (last.role === "tool") return { type: "text", text: summarizeToolResult(request.messages) };

  const text = lastUserText(request.messages);
  const prompt = promptWindow(text);
  const tool = chooseTool(request, prompt);
  if (tool) return { type: "tool_calls", calls: [{ name: tool.name, arguments: planToolCall(tool, prompt) }] };
  return { type: "text", text: answer(prompt, text) };
}

function lastUserText(messages: OfflineMessage[]): string {
  for (let i = messages.length - 1; i >= 0; i--) if (messages[i].role === "user") return messages[i].text;
  return messages[messages.length - 1].text;
}

// Calls a tool only when asked: tool_choice names it or requires one, or the prompt mentions a tool's name
// or says to use a tool. A model that calls tools on every turn would make agent loops never end.
function chooseTool(request: OfflineChatRequest, prompt: string): OfflineTool | undefined {
  const { tools, toolChoice } = request;
  if (tools.length === 0 || toolChoice === "none") return undefined;
  if (typeof toolChoice === "object") return tools.find((t) => t.name === toolChoice.name) ?? tools[0];
  const lower = prompt.toLowerCase();
  const named = tools.find((t) => lower.includes(t.name.toLowerCase()) || lower.includes(t.name.toLowerCase().replace(/_/g, " ")));
  if (named) return named;
  if (toolChoice === "required" || asksToUseATool(prompt)) return tools[0];
  return undefined;
}

const TOOL_VERBS = new Set(["use", "call", "invoke"]);
const SENTENCE_END = new Set([".", "?", "!"]);

/** "use a tool", "call the search tool", "invoke tools": a verb, then "tool(s)" later in the same sentence. */
function asksToUseATool(prompt: string): boolean {
  let verbSeen = false;
  let scanned = 0;
  for (const word of wordsOf(prompt)) {
    for (; scanned < word.start; scanned++) if (SENTENCE_END.has(prompt[scanned]!)) verbSeen = false;
    scanned = word.end;
    const lower = word.text.toLowerCase();
    if (verbSeen && (lower === "tool" || lower === "tools")) return true;
    if (TOOL_VERBS.has(lower)) verbSeen = true;
  }
  return false;
}

// The latest results are shown, at most this many (each cut at 300 characters), however many a request has.
const MAX_TOOL_RESULTS_SHOWN = 20;

function summarizeToolResult(messages: OfflineMessage[]): string {
  let first = messages.length;
  while (first > 0 && messages[first - 1].role === "tool") first--;
  const shownFrom = Math.max(first, messages.length - MAX_TOOL_RESULTS_SHOWN);
  const results = messages.slice(shownFrom).map((m) => {
    const result = m.text.trim();
    return result.length > 300 ? `${result.slice(0, 300)}…` : result;
  });
  if (shownFrom > first) results.unshift(`(${shownFrom - first} earlier results not shown)`);
  return `Here is what the tool returned:\n\n${results.join("\n")}\n\nLet me know if you want me to dig deeper. 🔍`;
}

/** `prompt` is the window the model reads; `text` the whole prompt, which picks among canned answers. */
function answer(prompt: string, text: string): string {
  const joke = /\b(jokes?|puns?|one-liners?|funny)\b/i.test(prompt);
  const topic = topicOf(prompt);
  if (/\b(best|funniest|pick|choose|select)\b/i.test(prompt)) {
    const picked = pickNumbered(prompt, text);
    if (picked) return picked;
  }
  const listed = listSubtopics(prompt);
  if (listed) return listed;
  if (joke) return jokeAbout(topic ?? "life");
  if (/^\s*(hi|hello|hey|good (morning|afternoon|evening))\b/i.test(prompt)) {
    return "Hello! I'm Rill's offline model: I answer deterministically, with no API key and no network. Ask me for a joke about anything! 👋";
  }
  const subject = topic ?? subjectOf(prompt);
  return (
    `Here's a short answer about ${subject}:\n\n` +
    `1. Start with the basics: what ${subject} is and where it shows up.\n` +
    `2. Look at one concrete example before generalising.\n` +
    `3. Weigh the trade-offs before you decide.\n\n` +
    "(Answered by Rill's offline model; set OPENAI_API_KEY or OPENAI_BASE_URL to use a real one.)"
  );
}

function subjectOf(prompt: string): string {
  const lineEnd = prompt.indexOf("\n");
  const firstLine = lineEnd === -1 ? prompt : prompt.slice(0, lineEnd);
  const stripped = firstLine.replace(/^\s*(please\s+)?(what|who|why|how|explain|describe|tell me|define)\b(\s+(is|are|do|does|can|to|i|we|me))*\s*/i, "");
  return cleanSubject(stripped) || "your question";
}

// "Pick the best joke: 1. … 2. …" → one of the numbered items, chosen by hash of the whole prompt.
function pickNumbered(prompt: string, text: string): string | undefined {
  const items = numberedItems(prompt);
  if (items.length < 2) return undefined;
  const chosen = items[hashString(text.trim()) % items.length];
  return `Number ${chosen.n} is the best:\n\n${chosen.text}\n\nIt has the tightest setup and the most surprising punchline. 🏆`;
}

const NUMBER_WORDS: Record<string, number> = { two: 2, three: 3, four: 4, five: 5, six: 6 };
const FACETS = [
  "The history of",
  "The science of",
  "Fans of",
  "Everyday mishaps with",
  "The future of",
  "A day in the life of",
  "Competitions involving",
  "The economics of",
];

// "List 3 subtopics of X" → three lines, one subtopic each, no numbering.
function listSubtopics(prompt: string): string | undefined {
  const asked = subtopicCount(prompt);
  if (asked === undefined) return undefined;
  const count = Math.min(Number(asked) || NUMBER_WORDS[asked.toLowerCase()] || 3, FACETS.length);
  const topic = topicOf(prompt) ?? "life";
  const start = hashString(topic) % FACETS.length;
  const lines: string[] = [];
  for (let i = 0; i < count; i++) lines.push(`${FACETS[(start + i) % FACETS.length]} ${topic}`);
  return lines.join("\n");
}

const LIST_NOUNS = new Set(["subtopics", "topics", "angles", "aspects", "themes", "ideas"]);

/** The N of "3 subtopics", "five fun ideas": a number, at most one word, then a list noun, spaces between. */
function subtopicCount(prompt: string): string | undefined {
  const words = [...wordsOf(prompt)];
  for (let i = 0; i < words.length; i++) {
    const number = words[i];
    if (!isAllDigits(number.text) && !Object.hasOwn(NUMBER_WORDS, number.text.toLowerCase())) continue;
    for (let next = i + 1; next <= i + 2 && next < words.length; next++) {
      if (!isSpaceBetween(prompt, words[next - 1].end, words[next].start)) break;
      if (LIST_NOUNS.has(words[next].text.toLowerCase())) return number.text;
    }
  }
  return undefined;
}

function isAllDigits(word: string): boolean {
  for (let i = 0; i < word.length; i++) if (word.charCodeAt(i) < 0x30 || word.charCodeAt(i) > 0x39) return false;
  return true;
}
