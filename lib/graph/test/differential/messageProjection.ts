// "messages" mode is the one place where Rill differs from LangGraph.js on purpose: LangGraph.js streams
// LangChain message class instances (serialized as `{lc, type: "constructor", kwargs}`), Rill streams
// plain JSON objects (lib/graph/messages.ts) so a token crosses a WebSocket unchanged. Model-specific
// metadata (ls_*, tags, versions) belongs to the chat model, not the engine. So for message tuples the
// test compares what the engine is responsible for: the message kind, the content sequence, which
// chunks share an id (ids become "<message N>"), and the engine's metadata: every langgraph_* field and
// checkpoint_ns. Every other chunk of the stream is compared whole.
import type { Projection } from "./record";

/** Where the `[message, metadata]` tuple sits in a chunk, by how the stream was called. */
export type MessageStreamShape =
  | "single" //            streamMode: "messages"                  -> [message, metadata]
  | "modes" //             streamMode: [..., "messages"]           -> [mode, payload]
  | "subgraphs" //         streamMode: "messages", subgraphs: true -> [namespace, [message, metadata]]
  | "subgraphs-modes"; //  both                                    -> [namespace, mode, payload]

export function messageProjection(shape: MessageStreamShape): Projection {
  return (chunks) => {
    const messageIds = new Map<unknown, string>();
    const tuple = (value: unknown): unknown => {
      const [message, metadata] = value as [Record<string, unknown>, Record<string, unknown>];
      const { kind, content, id } = messageFields(message);
      if (!messageIds.has(id)) messageIds.set(id, `<message ${messageIds.size + 1}>`);
      return { kind, content, id: messageIds.get(id), metadata: engineMetadata(metadata) };
    };
    return chunks.map((chunk) => {
      const c = chunk as unknown[];
      switch (shape) {
        case "single":
          return tuple(c);
        case "modes":
          return c[0] === "messages" ? [c[0], tuple(c[1])] : c;
        case "subgraphs":
          return [c[0], tuple(c[1])];
        case "subgraphs-modes":
          return c[1] === "messages" ? [c[0], c[1], tuple(c[2])] : c;
      }
    });
  };
}

/** Reads a message whether it is a LangChain instance, its serialized `{lc, kwargs}` form (the reference files), or Rill's plain object. */
function messageFields(message: Record<string, unknown>): { kind: unknown; content: unknown; id: unknown } {
  if (message.lc === 1 && message.type === "constructor") {
    const kwargs = message.kwargs as Record<string, unknown>;
    return { kind: (message.id as string[]).at(-1), content: kwargs.content, id: kwargs.id };
  }
  const kind = message.constructor === Object ? message.type : message.constructor.name;
  return { kind, content: message.content, id: message.id };
}

function engineMetadata(metadata: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(metadata).sort()) {
    if (key.startsWith("langgraph_") || key === "checkpoint_ns") out[key] = metadata[key];
  }
  return out;
}
