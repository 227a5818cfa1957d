// "messages" mode for messages a node returns without streaming them (LangGraph.js's
// StreamMessagesHandler rules): messages found in a node's input are marked as seen; after the node,
// every message in its output (a value, or an element of an array value, or inside a Command's
// update) whose id was not seen is streamed once, with the task's metadata.
import { isCommand } from "../command";
import { isLangChainMessage } from "../langchain/optionalCore";
import type { StreamedMessage } from "../messages";
import type { MessageMetadata } from "../types";
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

/** LangGraph.js's metadata for a message a node returned: the node run's tags and name, then the task's metadata. */
function outputMetadata(task: Task): MessageMetadata {
  const callerTags = task.loop.run.config.tags;
  const tags = [`graph:step:${task.step}`];
  if (callerTags !== undefined) tags.push(...callerTags);
  return { tags, name: task.name, ...task.metadata } as MessageMetadata;
}

export function emitOutputMessages(task: Task, output: unknown): void {
  const seen = task.loop.run.seenMessageIds;
  let index = 0;
  let metadata: MessageMetadata | undefined;
  // LangGraph.js names unnamed output messages after the node's callback run, an id of its own (not the task's).
  let nodeRunId: string | undefined;
  const emit = (value: unknown) => {
    if (!isMessageLike(value)) return;
    const outputIndex = index++;
    if (value.id !== undefined && value.id !== null && seen.has(value.id)) return;
    let message = value;
    if (!value.id) {
      // LangGraph.js's ids for unnamed output messages; a LangChain instance gets it in place, as there.
      nodeRunId ??= task.loop.run.ids.next();
      const id = value.type === "tool" ? `run-${nodeRunId}-tool-${(value as { tool_call_id?: string }).tool_call_id}` : `run-${nodeRunId}-out-${outputIndex}`;
      if (isLangChainMessage(value)) {
        (value as { id?: string }).id = id;
        value.lc_kwargs.id = id;
      } else message = { ...value, id } as StreamedMessage;
    }
    seen.add(message.id!);
    task.loop.emit("messages", [message, (metadata ??= outputMetadata(task))]);
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
