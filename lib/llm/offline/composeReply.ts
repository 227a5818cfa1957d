// What the offline model says to a request. Deterministic: the reply depends only on the messages and tools,
// so tests and demos see the same text every time. It recognises a few kinds of prompt — a joke request,
// "pick the best of these numbered items", "list N subtopics of X", a greeting, a tool's result — and answers
// anything else with a short, honest generic answer.
import type { OfflineChatRequest, OfflineMessage, OfflineTool } from "./chatRequest";
import { hashString } from "./hashString";
import { jokeAbout } from "./jokes";
import { cleanSubject, topicOf } from "./promptTopic";
import { planToolCall } from "./toolCallPlanner";

export type OfflineReply =
  | { type: "text"; text: string }
  | { type: "tool_calls"; calls: Array<{ name: string; arguments: string }> };

export function composeReply(request: OfflineChatRequest): OfflineReply {
  const last = request.messages[request.messages.length - 1];
  if (last.role === "tool") return { type: "text", text: summarizeToolResult(request.messages) };

  const prompt = lastUserText(request.messages);
  const tool = chooseTool(request, prompt);
  if (tool) return { type: "tool_calls", calls: [{ name: tool.name, arguments: planToolCall(tool, prompt) }] };
  return { type: "text", text: answer(prompt) };
}

function lastUserText(messages: OfflineMessage[]): string {
  for (let i = messages.length - 1; i >= 0; i--) if (messages[i].role === "user") return messages[i].text.trim();
  return messages[messages.length - 1].text.trim();
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
  if (toolChoice === "required" || /\b(use|call|invoke)\b[^.?!]*\btools?\b/i.test(prompt)) return tools[0];
  return undefined;
}

function summarizeToolResult(messages: OfflineMessage[]): string {
  const results: string[] = [];
  for (let i = messages.length - 1; i >= 0 && messages[i].role === "tool"; i--) results.unshift(messages[i].text.trim());
  const shown = results.map((r) => (r.length > 300 ? `${r.slice(0, 300)}…` : r)).join("\n");
  return `Here is what the tool returned:\n\n${shown}\n\nLet me know if you want me to dig deeper. 🔍`;
}

function answer(prompt: string): string {
  const joke = /\b(jokes?|puns?|one-liners?|funny)\b/i.test(prompt);
  const topic = topicOf(prompt);
  if (/\b(best|funniest|pick|choose|select)\b/i.test(prompt)) {
    const picked = pickNumbered(prompt);
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
  const firstLine = prompt.split("\n")[0];
  const stripped = firstLine.replace(/^\s*(please\s+)?(what|who|why|how|explain|describe|tell me|define)\b(\s+(is|are|do|does|can|to|i|we|me))*\s*/i, "");
  return cleanSubject(stripped) || "your question";
}

// "Pick the best joke: 1. … 2. …" → one of the numbered items, chosen by hash of the prompt.
function pickNumbered(prompt: string): string | undefined {
  const items = [...prompt.matchAll(/^\s*(?:[A-Za-z]+\s+)?(\d+)\s*[.):]\s+(.+)$/gm)].map((m) => ({ n: m[1], text: m[2].trim() }));
  if (items.length < 2) return undefined;
  const chosen = items[hashString(prompt) % items.length];
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
  const match = /\b(\d+|two|three|four|five|six)\s+(?:\w+\s+)?(subtopics|topics|angles|aspects|themes|ideas)\b/i.exec(prompt);
  if (!match) return undefined;
  const count = Math.min(Number(match[1]) || NUMBER_WORDS[match[1].toLowerCase()] || 3, FACETS.length);
  const topic = topicOf(prompt) ?? "life";
  const start = hashString(topic) % FACETS.length;
  const lines: string[] = [];
  for (let i = 0; i < count; i++) lines.push(`${FACETS[(start + i) % FACETS.length]} ${topic}`);
  return lines.join("\n");
}
