// The conversation of a run whose state holds messages (a `messages` array, as MessagesAnnotation and
// createReactAgent keep it): the state's messages as chat turns, then the messages still streaming that
// the state does not hold yet (the assistant's reply growing token by token, a tool's result). Pure: the
// chat view receives the turns, it does not read the run.
import type { MessageGroup } from "./runStore";

export interface ChatToolCall {
  id: string | null;
  name: string;
  /** The arguments as JSON text (streamed calls: as far as they have arrived). */
  args: string;
}

export type ChatTurn =
  | { kind: "user" | "system"; key: string; text: string }
  | {
      kind: "assistant";
      key: string;
      text: string;
      toolCalls: ChatToolCall[];
      /** Still streaming: the tokens of the message (the text grows with them). */
      group: MessageGroup | null;
    }
  | { kind: "tool"; key: string; text: string; name: string | null; toolCallId: string | null; failed: boolean };

type Kind = "user" | "assistant" | "tool" | "system";

const KINDS: Record<string, Kind> = {
  human: "user",
  user: "user",
  HumanMessage: "user",
  HumanMessageChunk: "user",
  ai: "assistant",
  assistant: "assistant",
  AIMessage: "assistant",
  AIMessageChunk: "assistant",
  tool: "tool",
  ToolMessage: "tool",
  ToolMessageChunk: "tool",
  system: "system",
  developer: "system",
  SystemMessage: "system",
};

type Fields = Record<string, unknown>;

function isObject(value: unknown): value is Fields {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A message's own fields and kind: plain (`type` or `role`) or LangChain's serialized envelope. */
function readMessage(value: unknown): { kind: Kind; fields: Fields } | null {
  if (!isObject(value)) return null;
  if (value.lc === 1 && value.type === "constructor" && Array.isArray(value.id) && isObject(value.kwargs)) {
    const kind = KINDS[String(value.id[value.id.length - 1])];
    return kind ? { kind, fields: value.kwargs } : null;
  }
  const kind = KINDS[String(value.type ?? value.role ?? "")];
  return kind ? { kind, fields: value } : null;
}

/** A message's content as text: a string, or the text parts of a content array (others named). */
export function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return content === undefined || content === null ? "" : JSON.stringify(content);
  return content
    .map((part) => (typeof part === "string" ? part : isObject(part) ? (typeof part.text === "string" ? part.text : `[${String(part.type ?? "part")}]`) : ""))
    .join("");
}

function argsText(args: unknown): string {
  return typeof args === "string" ? args : JSON.stringify(args ?? {});
}

/** Tool calls of a complete AI message: `tool_calls`, else OpenAI's `additional_kwargs.tool_calls`. */
function toolCallsOf(fields: Fields): ChatToolCall[] {
  if (Array.isArray(fields.tool_calls) && fields.tool_calls.length > 0) {
    return fields.tool_calls.filter(isObject).map((c) => ({ id: typeof c.id === "string" ? c.id : null, name: String(c.name ?? "?"), args: argsText(c.args) }));
  }
  const extra = isObject(fields.additional_kwargs) ? fields.additional_kwargs.tool_calls : undefined;
  if (!Array.isArray(extra)) return [];
  return extra.filter(isObject).map((c) => {
    const fn = isObject(c.function) ? c.function : {};
    return { id: typeof c.id === "string" ? c.id : null, name: String(fn.name ?? "?"), args: argsText(fn.arguments) };
  });
}

/** The state's messages, when the state holds a `messages` array; else null (not a chat graph). */
export function stateMessages(values: unknown): readonly unknown[] | null {
  return isObject(values) && Array.isArray(values.messages) ? values.messages : null;
}

/** Tool calls streamed in chunks, merged by their index (name and argument fragments in order). */
export function streamedToolCalls(group: MessageGroup): ChatToolCall[] {
  const calls = new Map<number, ChatToolCall>();
  for (const chunk of group.toolCallChunks) {
    const index = chunk.index ?? 0;
    let call = calls.get(index);
    if (!call) calls.set(index, (call = { id: null, name: "", args: "" }));
    if (chunk.id) call.id = chunk.id;
    if (chunk.name) call.name += chunk.name;
    if (chunk.args) call.args += chunk.args;
  }
  return [...calls.values()];
}

/** Turns of state messages, by message: a state's messages keep their turns (and chat rows) while tokens stream. */
const stateTurns = new WeakMap<object, ChatTurn | null>();

function turnOfState(message: unknown, index: number): ChatTurn | null {
  if (typeof message !== "object" || message === null) return null;
  let turn = stateTurns.get(message);
  if (turn === undefined) stateTurns.set(message, (turn = readTurn(message, index)));
  return turn;
}

function readTurn(message: object, index: number): ChatTurn | null {
  const read = readMessage(message);
  if (!read) return null;
  const { kind, fields } = read;
  const key = typeof fields.id === "string" ? fields.id : `state-${index}`;
  const text = contentText(fields.content);
  if (kind === "assistant") return { kind, key, text, toolCalls: toolCallsOf(fields), group: null };
  if (kind === "tool") {
    return {
      kind,
      key,
      text,
      name: typeof fields.name === "string" ? fields.name : null,
      toolCallId: typeof fields.tool_call_id === "string" ? fields.tool_call_id : null,
      failed: fields.status === "error",
    };
  }
  return { kind, key, text };
}

function turnOfGroup(group: MessageGroup): ChatTurn | null {
  if (group.type === "AIMessageChunk" || group.type === "ai") {
    return { kind: "assistant", key: group.id, text: "", toolCalls: streamedToolCalls(group), group };
  }
  if (group.type === "tool") return { kind: "tool", key: group.id, text: group.tokens.join(""), name: null, toolCallId: null, failed: false };
  return null;
}

/**
 * The conversation: the newest state's messages (`messages`: null when the run streamed no state), then
 * the streamed messages that state does not hold, in order. `after` is the event index of that state:
 * only messages streamed after it are looked at (a scan from the newest back, so a long run costs what
 * changed since its last state, not its length).
 */
export function chatTranscript(messages: readonly unknown[] | null, groups: readonly MessageGroup[], after: number): ChatTurn[] {
  const turns: ChatTurn[] = [];
  const held = new Set<string>();
  if (messages) {
    messages.forEach((message, i) => {
      const turn = turnOfState(message, i);
      if (!turn) return;
      turns.push(turn);
      held.add(turn.key);
    });
  }
  let first = groups.length;
  while (first > 0 && groups[first - 1]!.lastEventIndex > after) first--;
  for (let i = first; i < groups.length; i++) {
    const group = groups[i]!;
    if (held.has(group.id)) continue;
    const turn = turnOfGroup(group);
    if (turn) turns.push(turn);
  }
  return turns;
}

/** Whether a graph's input JSON schema takes `messages` (a chat graph, before any state has arrived). */
export function schemaTakesMessages(schema: unknown): boolean {
  return isObject(schema) && isObject(schema.properties) && "messages" in schema.properties;
}
