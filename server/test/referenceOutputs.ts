// LangGraph.js's recorded outputs (/work/shared/reference) and the normalization that makes runs
// comparable: ids (task, checkpoint, interrupt, message ids) become <id1>, <id2>, ... in order of first
// appearance — so two ids that must be equal still must be — and timestamps become <timestamp>.
import { readFileSync } from "node:fs";
import path from "node:path";

export const REFERENCE_DIR = process.env.RILL_REFERENCE_DIR ?? "/work/shared/reference";

export function readReference(name: string): unknown[] {
  const text = readFileSync(path.join(REFERENCE_DIR, `${name}.jsonl`), "utf8");
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as unknown)
    .filter((value) => !(typeof value === "object" && value !== null && "__stream_error__" in value));
}

const ID_PATTERN = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{32}|run-.+)$/i;

export function normalize(value: unknown, ids: Map<string, string> = new Map()): unknown {
  if (typeof value === "string") {
    if (!ID_PATTERN.test(value)) return value;
    let alias = ids.get(value);
    if (!alias) {
      alias = `<id${ids.size + 1}>`;
      ids.set(value, alias);
    }
    return alias;
  }
  if (Array.isArray(value)) return value.map((item) => normalize(item, ids));
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      out[key] = key === "timestamp" && typeof item === "string" ? "<timestamp>" : normalize(item, ids);
    }
    return out;
  }
  return value;
}

/**
 * Leaves out what only a checkpointer adds or changes: "checkpoints" tuples and debug "checkpoint" events.
 * The references were recorded without one; on the server every graph runs with the server's checkpointer
 * (as on LangGraph's server), so those events carry a thread and checkpoint ids the recording has not.
 * Applied to both sides; every other chunk is still compared exactly.
 */
export function withoutCheckpointEvents<T>(items: T[], tupled: boolean): T[] {
  return items.filter((item) => {
    const [mode, chunk] = tupled ? (item as unknown as [string, unknown]) : ["debug", item];
    if (mode === "checkpoints") return false;
    return !(mode === "debug" && (chunk as { type?: string } | null)?.type === "checkpoint");
  });
}
