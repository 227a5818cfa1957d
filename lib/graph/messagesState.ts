// LangGraph.js's messages state: `messagesStateReducer` (alias `addMessages`) and `MessagesAnnotation`,
// for Rill's plain JSON messages. New messages are appended, a message whose id is already in the list
// replaces it, `{ type: "remove", id }` deletes one (REMOVE_ALL_MESSAGES: all), and message-likes
// ("text", [role, content], { role, content }) become messages with ids, as LangGraph.js coerces them.
import { randomUUID } from "node:crypto";
import { Annotation } from "./annotation";
import type { BaseMessage } from "./messages";

export const REMOVE_ALL_MESSAGES = "__remove_all__";

/** Deletes the message with `id` (or every message, with REMOVE_ALL_MESSAGES) when returned in an update. */
export interface RemoveMessage {
  type: "remove";
  id: string;
  content?: string;
}

export type MessageLike = BaseMessage | RemoveMessage | string | [role: string, content: string] | { role: string; content: string; id?: string; tool_call_id?: string };
export type Messages = MessageLike | MessageLike[];

const ROLE_TO_TYPE: Record<string, BaseMessage["type"]> = {
  user: "human",
  human: "human",
  assistant: "ai",
  ai: "ai",
  system: "system",
  developer: "system",
  tool: "tool",
};

function coerce(value: MessageLike): BaseMessage | RemoveMessage {
  if (typeof value === "string") return { type: "human", content: value, id: randomUUID() };
  if (Array.isArray(value)) return fromRole(value[0], value[1], undefined, undefined);
  if (typeof value === "object" && value !== null && "role" in value && !("type" in value)) {
    return fromRole(value.role, value.content, value.id, value.tool_call_id);
  }
  const message = value as BaseMessage | RemoveMessage;
  if (message.id) return message;
  // A LangChain message instance keeps its class: give it an id in place, as LangGraph.js does.
  if (Object.getPrototypeOf(message) !== Object.prototype) {
    (message as { id?: string }).id = randomUUID();
    return message;
  }
  return { ...message, id: randomUUID() } as BaseMessage;
}

function fromRole(role: string, content: string, id: string | undefined, toolCallId: string | undefined): BaseMessage {
  const type = ROLE_TO_TYPE[role];
  if (!type) throw new Error(`Unable to coerce message from role "${role}": expected user, assistant, system, developer or tool`);
  const messageId = id ?? randomUUID();
  if (type === "ai") return { type, content, id: messageId, tool_calls: [] };
  if (type === "tool") {
    if (!toolCallId) throw new Error("A tool message needs tool_call_id");
    return { type, content, id: messageId, tool_call_id: toolCallId };
  }
  return { type, content, id: messageId };
}

export function messagesStateReducer(left: Messages, right: Messages): BaseMessage[] {
  const current = asList(left).map(coerce);
  const incoming = asList(right).map(coerce);
  let merged: Array<BaseMessage | RemoveMessage> = [...current];
  const index = new Map<string, number>();
  merged.forEach((m, i) => index.set(m.id!, i));
  const removed = new Set<string>();
  for (const message of incoming) {
    if (message.type === "remove") {
      if (message.id === REMOVE_ALL_MESSAGES) {
        merged = [];
        index.clear();
        removed.clear();
        continue;
      }
      if (!index.has(message.id)) throw new Error(`Attempting to delete a message with an ID that doesn't exist ('${message.id}')`);
      removed.add(message.id);
      continue;
    }
    const at = index.get(message.id!);
    if (at !== undefined) {
      merged[at] = message;
      removed.delete(message.id!);
    } else {
      index.set(message.id!, merged.length);
      merged.push(message);
    }
  }
  return merged.filter((m) => !removed.has(m.id!)) as BaseMessage[];
}

function asList(value: Messages): MessageLike[] {
  return Array.isArray(value) && !isRoleTuple(value) ? (value as MessageLike[]) : [value as MessageLike];
}

function isRoleTuple(value: unknown[]): boolean {
  return value.length === 2 && typeof value[0] === "string" && typeof value[1] === "string" && value[0] in ROLE_TO_TYPE;
}

export const addMessages = messagesStateReducer;

/** `Annotation.Root({ messages })` with the messages reducer: spread its `.spec` into your own state. */
export const MessagesAnnotation = Annotation.Root({
  messages: Annotation<BaseMessage[], Messages>({ reducer: messagesStateReducer, default: () => [] }),
});
