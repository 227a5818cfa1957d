// Run events go on the wire as JSON. @langchain/core message instances would serialize to LangChain's
// `{ lc: 1, type: "constructor", id: [...], kwargs }` envelope; the LangGraph Agent Server sends them as
// plain objects instead (`{ ...message.toDict().data, type }`: content, id, name, tool_calls, tool_call_id,
// status, usage_metadata, ...), and so does Rill, so every client sees one shape whichever kind of message
// the graph used. One deliberate difference: a streamed chunk keeps type "AIMessageChunk" (as Rill's own
// chunks, the playground and the Python Agent Server have it) where toDict says "ai".
//
// Events without message instances cost one extra substring scan of their JSON.
//
// A tool's error ("tools" mode's on_tool_error) is an Error instance, which JSON.stringify writes as {}:
// it goes as { ...its own fields, name, message }, as LangGraph's API serializes errors.

const LANGCHAIN_ENVELOPE = '"lc":1,"type":"constructor"';

interface DictSerializable {
  toDict(): { type: string; data: Record<string, unknown> };
  concat?: unknown;
}

function isDictSerializable(value: unknown): value is DictSerializable {
  return value !== null && typeof value === "object" && typeof (value as DictSerializable).toDict === "function";
}

function agentServerShape(this: Record<string, unknown>, key: string, value: unknown): unknown {
  const raw = this[key];
  if (!isDictSerializable(raw)) return value;
  const { type, data } = raw.toDict();
  const isChunk = typeof raw.concat === "function" && Array.isArray(data.tool_call_chunks);
  return { ...data, type: isChunk && type === "ai" ? "AIMessageChunk" : type };
}

/** An Error as the wire shows it (its own enumerable fields, then its name and message). */
function plainError(error: Error): Record<string, unknown> {
  return { ...error, name: error.name, message: error.message };
}

/** A "tools" event whose error is an Error, with the error made plain (a copy); any other event as it is. */
function withPlainToolError(event: unknown): unknown {
  if (!Array.isArray(event) || event[0] !== "tools") return event;
  const chunk = event[1] as { event?: unknown; error?: unknown } | null;
  if (chunk === null || typeof chunk !== "object" || chunk.event !== "on_tool_error" || !(chunk.error instanceof Error)) return event;
  const copy = event.slice();
  copy[1] = { ...chunk, error: plainError(chunk.error) };
  return copy;
}

/** The event's JSON, with message instances in the Agent Server's plain shape and a tool's Error as plain fields. */
export function stringifyRunEvent(event: unknown): string {
  event = withPlainToolError(event);
  const json = JSON.stringify(event);
  if (json === undefined || !json.includes(LANGCHAIN_ENVELOPE)) return json;
  return JSON.stringify(event, agentServerShape);
}
