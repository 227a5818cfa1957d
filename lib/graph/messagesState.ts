// LangGraph.js's messages state: `messagesStateReducer` (alias `addMessages`) and `MessagesAnnotation`.
// New messages are appended, a message whose id is already in the list replaces it, a remove message
// deletes one (REMOVE_ALL_MESSAGES: everything before it), and message-likes ("text", [role, content],
// { role, content }, { type, content }) are coerced, as LangGraph.js coerces them.
//
// Which messages come out: with @langchain/core installed, exactly LangGraph.js's: @langchain/core
// message instances (plain objects and tuples become HumanMessage, AIMessage, ...; chunks become their
// whole class), so a state may mix instances and plain objects on the way in. Without @langchain/core
// (an optional peer, see langchain/optionalCore.ts), Rill's plain JSON messages (messages.ts).
import { randomUUID } from "node:crypto";
import { Annotation } from "./annotation";
import { coreMessages, isLangChainMessage, type CoreMessagesModule } from "./langchain/optionalCore";
import type { BaseMessage } from "./messages";
// Types only (erased at run time): with @langchain/core installed, the state holds its message instances.
import type { BaseMessage as LangChainBaseMessage } from "@langchain/core/messages";

export const REMOVE_ALL_MESSAGES = "__remove_all__";

/** Deletes the message with `id` (or every message, with REMOVE_ALL_MESSAGES) when returned in an update. */
export interface RemoveMessage {
  type: "remove";
  id: string;
  content?: string;
}

/** A @langchain/core message instance, by the fields the engine reads (the engine does not import its classes). */
export interface LangChainMessageLike {
  type: string;
  content?: unknown;
  id?: string | undefined;
}

export type MessageLike =
  | BaseMessage
  | RemoveMessage
  | LangChainMessageLike
  | string
  | [role: string, content: string]
  | { role: string; content: unknown; id?: string; tool_call_id?: string };
export type Messages = MessageLike | MessageLike[];

export type Message = BaseMessage | RemoveMessage;

const ROLE_TO_TYPE: Record<string, BaseMessage["type"]> = {
  user: "human",
  human: "human",
  assistant: "ai",
  ai: "ai",
  system: "system",
  developer: "system",
  tool: "tool",
};

// ---- with @langchain/core: LangGraph.js's coercion ----

const WHOLE_CLASS_BY_TYPE = ["human", "ai", "system", "tool", "function", "generic"] as const;

function toCoreMessage(core: CoreMessagesModule, value: MessageLike): Message {
  const message = core.coerceMessageLikeToMessage(value as Parameters<CoreMessagesModule["coerceMessageLikeToMessage"]>[0]);
  // (By its concat method: BaseMessageChunk.isInstance checks the prototype chain, which differs between core's builds.)
  if (!isChunk(message)) return message as unknown as Message;
  // A chunk (a streamed AIMessageChunk) is stored as its whole class, without the chunk-only fields.
  const type = message.getType();
  if (!(WHOLE_CLASS_BY_TYPE as readonly string[]).includes(type)) return message as unknown as Message;
  const fields: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(message)) {
    if (key !== "type" && key !== "tool_call_chunks" && !key.startsWith("lc_")) fields[key] = field;
  }
  const classes: Record<string, new (fields: never) => unknown> = {
    human: core.HumanMessage,
    ai: core.AIMessage,
    system: core.SystemMessage,
    tool: core.ToolMessage,
    function: core.FunctionMessage,
    generic: core.ChatMessage,
  };
  return new classes[type](fields as never) as Message;
}

function giveIdInPlace(message: Message): void {
  if (message.id !== undefined && message.id !== null) return;
  const id = randomUUID();
  (message as { id?: string }).id = id;
  const kwargs = (message as { lc_kwargs?: Record<string, unknown> }).lc_kwargs;
  if (kwargs) kwargs.id = id;
}

// ---- without @langchain/core: Rill's plain messages ----

function toPlainMessage(value: MessageLike): Message {
  if (typeof value === "string") return { type: "human", content: value, id: randomUUID() };
  if (Array.isArray(value)) return fromRole(value[0], value[1], undefined, undefined);
  if (typeof value === "object" && value !== null && "role" in value && !("type" in value)) {
    return fromRole(value.role, value.content as string, value.id, value.tool_call_id);
  }
  const message = value as Message;
  if (message.id) return message;
  if (isLangChainMessage(message)) {
    giveIdInPlace(message);
    return message;
  }
  return { ...message, id: randomUUID() } as Message;
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

// ---- the reducer ----

function coerceAll(values: MessageLike[]): Message[] {
  const core = coreMessages();
  const out: Message[] = new Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    // A message instance that has its id is kept as it is (the common case for the state's own list).
    if (isLangChainMessage(value) && value.id !== undefined && value.id !== null && (core === null || !isChunk(value))) out[i] = value as unknown as Message;
    else if (core !== null) {
      const message = toCoreMessage(core, value);
      giveIdInPlace(message);
      out[i] = message;
    } else out[i] = toPlainMessage(value);
  }
  return out;
}

/** One message-like as a message (LangChain's class when @langchain/core is there), keeping its id as it is (none stays none). */
export function coerceMessageKeepingId(value: MessageLike): Message {
  const core = coreMessages();
  if (isLangChainMessage(value) && (core === null || !isChunk(value))) return value as unknown as Message;
  if (core !== null) return toCoreMessage(core, value);
  if (typeof value === "string") return { type: "human", content: value };
  if (Array.isArray(value)) return fromRole(value[0], value[1], undefined, undefined);
  if (typeof value === "object" && value !== null && "role" in value && !("type" in value)) return fromRole(value.role, value.content as string, value.id, value.tool_call_id);
  return value as Message;
}

function isChunk(message: object): boolean {
  return typeof (message as { concat?: unknown }).concat === "function";
}

function isRemove(message: Message): boolean {
  return message.type === "remove";
}

// The lists this reducer returned, with where each id sits: every message in such a list is already
// coerced and has its id, so reducing it again (the state's own list on the left, every step) costs
// O(new messages) plus one array copy, not a coercion and an index of the whole conversation. A list and
// the lists reduced from it share one position map, in which an id's position never changes once set:
// a list holds an id exactly when the map places it there. An id that a sibling list (e.g. a fork)
// placed elsewhere gives the new list a fresh map of its own; so does a list whose length changed since
// it was returned (mutated in place). The branch's local view of a step and its commit append the same
// message at the same place, so both keep sharing.
const indexedLists = new WeakMap<readonly Message[], { positions: Map<string, number>; length: number }>();

function positionsOf(list: readonly Message[]): Map<string, number> {
  const positions = new Map<string, number>();
  for (let i = 0; i < list.length; i++) positions.set(list[i].id!, i);
  return positions;
}

export function messagesStateReducer(left: Messages, right: Messages): BaseMessage[] {
  const leftList = asList(left);
  const cached = indexedLists.get(leftList as Message[]);
  const reuse = cached !== undefined && cached.length === leftList.length;
  const current = reuse ? (leftList as Message[]) : coerceAll(leftList);
  const incoming = coerceAll(asList(right));
  let removeAllAt = -1;
  for (let i = 0; i < incoming.length; i++) {
    if (isRemove(incoming[i]) && incoming[i].id === REMOVE_ALL_MESSAGES) removeAllAt = i;
  }
  // As in LangGraph.js: what follows the last REMOVE_ALL_MESSAGES replaces the list as it is.
  if (removeAllAt >= 0) return incoming.slice(removeAllAt + 1) as BaseMessage[];
  const merged: Message[] = current.slice();
  let positions = reuse ? cached.positions : positionsOf(current);
  let shared = reuse;
  const removed = new Set<string>();
  for (const message of incoming) {
    const id = message.id!;
    const at = positions.get(id);
    if (at !== undefined && at < merged.length && merged[at].id === id) {
      if (isRemove(message)) removed.add(id);
      else {
        removed.delete(id);
        merged[at] = message;
      }
    } else {
      if (isRemove(message)) throw new Error(`Attempting to delete a message with an ID that doesn't exist ('${message.id}')`);
      if (shared && at !== undefined && at !== merged.length) {
        positions = positionsOf(merged);
        shared = false;
      }
      positions.set(id, merged.length);
      merged.push(message);
    }
  }
  if (removed.size > 0) return merged.filter((m) => !removed.has(m.id!)) as BaseMessage[];
  // Only lists whose ids are unique are indexed (a list from outside may repeat an id).
  if (shared || positions.size === merged.length) indexedLists.set(merged, { positions, length: merged.length });
  return merged as BaseMessage[];
}

// As in LangGraph.js, an array is always a list of messages: a lone [role, content] tuple must be wrapped ([[role, content]]).
function asList(value: Messages): MessageLike[] {
  return Array.isArray(value) ? (value as MessageLike[]) : [value as MessageLike];
}

export const addMessages = messagesStateReducer;

/**
 * `Annotation.Root({ messages })` with the messages reducer: spread its `.spec` into your own state. Typed as
 * LangGraph.js types it (@langchain/core's BaseMessage), which is what the state holds with core installed.
 */
export const MessagesAnnotation = Annotation.Root({
  messages: Annotation<LangChainBaseMessage[], Messages>({ reducer: messagesStateReducer as unknown as (a: LangChainBaseMessage[], b: Messages) => LangChainBaseMessage[], default: () => [] }),
});
