// "messages" mode for messages a node returns without streaming them (LangGraph.js's
// StreamMessagesHandler rules): messages found in a node's input are marked as seen; after the node,
// every message in its output (a value, or an element of an array value, or inside a Command's
// update) whose id was not seen is streamed once, with the task's metadata.
import { isCommand } from "../command";
import type { StreamedMessage } from "../messages";
import type { Task } from "./task";

const MESSAGE_TYPES = new Set(["ai", "human", "system", "tool", "AIMessageChunk", "developer", "function", "generic"]);

export function isMessageLike(value: unknown): value is StreamedMessage {
  if (value === null || typeof value !== "object") return false;
  const type = (value as { type?: unknown }).type;
  return typeof type === "string" && MESSAGE_TYPES.has(type) && "content" in value;
}

export function markInputMessagesSeen(input: unknown, seen: Set<string>): void {
  if (input === null || typeof input !== "object") return;
  for (const value of Object.values(input)) {
    if (isMessageLike(value)) {
      if (value.id) seen.add(value.id);
    } else if (Array.isArray(value)) {
      for (const item of value) if (isMessageLike(item) && item.id) seen.add(item.id);
    }
  }
}

export function emitOutputMessages(task: Task, output: unknown): void {
  const seen = task.loop.run.seenMessageIds;
  let index = 0;
  const emit = (value: unknown) => {
    if (!isMessageLike(value)) return;
    if (value.id !== undefined && value.id !== null && seen.has(value.id)) return;
    const message = value.id ? value : ({ ...value, id: `run-${task.id}-out-${index}` } as StreamedMessage);
    index++;
    seen.add(message.id!);
    task.loop.emit("messages", [message, task.metadata]);
  };
  const visit = (out: unknown): void => {
    if (isCommand(out)) visit(out.update);
    else if (isMessageLike(out)) emit(out);
    else if (Array.isArray(out)) {
      const commands = out.some(isCommand);
      for (const item of out) (commands ? visit : emit)(item);
    } else if (out !== null && typeof out === "object") {
      for (const value of Object.values(out)) {
        if (Array.isArray(value)) visit(value);
        else emit(value);
      }
    }
  };
  visit(output);
}
