// Makes two runs of the same graph comparable: ids and timestamps differ from run to run (and between
// LangGraph.js and Rill), so each distinct id becomes a numbered placeholder in order of first
// appearance. The same id always maps to the same placeholder, so relations survive: a task_result
// still carries its task's id, a checkpoint's parentConfig still names the previous checkpoint, a
// subgraph namespace "child:<taskId>" still names the parent's task.

// uuid-shaped (task ids, checkpoint ids, run ids) and 32-hex (interrupt ids).
const ID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\b[0-9a-f]{32}\b/g;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

export class IdNormalizer {
  private readonly ids = new Map<string, string>();

  id(raw: string): string {
    let placeholder = this.ids.get(raw);
    if (placeholder === undefined) {
      placeholder = `<id${this.ids.size + 1}>`;
      this.ids.set(raw, placeholder);
    }
    return placeholder;
  }

  string(value: string): string {
    if (TIMESTAMP.test(value)) return "<timestamp>";
    return value.replace(ID, (raw) => this.id(raw));
  }

  /** A JSON copy of `value` with ids and timestamps replaced (object keys too). */
  value(value: unknown): unknown {
    if (typeof value === "string") return this.string(value);
    if (Array.isArray(value)) return value.map((item) => this.value(item));
    if (value !== null && typeof value === "object") {
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) {
        if (key === "callbacks" && isLangChainCallbackList(item)) continue;
        if (key.startsWith("__pregel_")) continue;
        out[this.string(key)] = this.value(item);
      }
      return out;
    }
    return value;
  }
}

/** What a JSON transport would carry: drops undefined fields and functions, turns class instances into plain objects. */
export function toJson(value: unknown): unknown {
  if (value === undefined) return undefined;
  return JSON.parse(JSON.stringify(value));
}

export function normalize(value: unknown): unknown {
  return new IdNormalizer().value(toJson(value));
}

// Intentional difference: when "messages" is streamed, LangGraph.js adds its StreamMessagesHandler to the
// run's config, and that callback object leaks into the config of "checkpoints"/"debug" payloads as
// `callbacks: [{lc: 1, type: "not_implemented", ...}]`. It is LangChain plumbing, not graph data, and
// Rill has no callback handlers (chat models report tokens to the task context), so it is dropped here.
function isLangChainCallbackList(value: unknown): boolean {
  return (
    Array.isArray(value) &&
    value.every((item) => item !== null && typeof item === "object" && (item as { lc?: unknown }).lc === 1)
  );
}

// Intentional difference: inside a subgraph, LangGraph.js's checkpoint configs carry its executor's private
// `configurable.__pregel_*` entries (the stream controller, abort signals, scratchpad, the checkpointer), which
// serialize to meaningless objects. They are implementation state, not checkpoint data; Rill has none.
