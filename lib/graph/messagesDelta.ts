// messagesDeltaReducer (LangGraph.js 1.7's): the batch reducer for a messages key held in a DeltaChannel.
// Each write is a message or a list of them; a message with a known id replaces it in place, a
// RemoveMessage drops its id (an unknown id is ignored), REMOVE_ALL_MESSAGES clears what came before, a
// message without an id is appended as it is. The result is the same however the writes are batched.
import type { BaseMessage } from "./messages";
import { REMOVE_ALL_MESSAGES, coerceMessageKeepingId, type Message, type MessageLike, type Messages } from "./messagesState";

export function messagesDeltaReducer(state: BaseMessage[], writes: Messages[]): BaseMessage[] {
  const result: Array<Message | null> = state.map((m) => coerceMessageKeepingId(m as MessageLike));
  const index = new Map<string, number>();
  for (let i = 0; i < result.length; i++) {
    const id = result[i]!.id;
    if (id !== undefined && id !== null) index.set(id, i);
  }
  for (const write of writes) {
    for (const item of Array.isArray(write) ? (write as MessageLike[]) : [write as MessageLike]) {
      const message = coerceMessageKeepingId(item);
      const id = message.id;
      const isRemove = message.type === "remove";
      if (isRemove && id === REMOVE_ALL_MESSAGES) {
        result.length = 0;
        index.clear();
      } else if (id === undefined || id === null) {
        result.push(message);
      } else if (isRemove) {
        const at = index.get(id);
        if (at !== undefined) {
          result[at] = null;
          index.delete(id);
        }
      } else {
        const at = index.get(id);
        if (at !== undefined) result[at] = message;
        else {
          index.set(id, result.length);
          result.push(message);
        }
      }
    }
  }
  return result.filter((m): m is Message => m !== null) as BaseMessage[];
}
