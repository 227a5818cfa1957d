// How the Raw panel prints a received event. "seed" prints as the streaming guide's Python does:
// `Stream mode: updates` then the chunk as a Python dict for a list of modes, the bare chunk for one
// mode. "json" is the tuple exactly as it crossed the wire, one JSON line each (what the export holds).
import type { WireRunEvent } from "./wireTypes";
import { clipLine } from "./clipLine";
import { pythonRepr } from "./pythonRepr";

export type RawFormat = "seed" | "json";

const SERVER_EVENTS = new Set(["metadata", "status", "error"]);

export function isServerEvent(event: WireRunEvent): boolean {
  return SERVER_EVENTS.has(event[0]);
}

/** " in writers_room:<taskId>" for an event from inside a subgraph (`[mode, chunk, namespace]`), else "". */
export function namespaceOf(event: WireRunEvent): string {
  return event.length === 3 ? ` in ${event[2].join("|")}` : "";
}

const cache = { seed: new WeakMap<WireRunEvent, string>(), json: new WeakMap<WireRunEvent, string>() };

/** The chunk line of an event in `format` as a row shows it (clipped, see clipLine), cached per event. */
export function formatChunk(event: WireRunEvent, format: RawFormat): string {
  const hit = cache[format].get(event);
  if (hit !== undefined) return hit;
  const text = clipLine(format === "json" ? JSON.stringify(event) : pythonRepr(event[1]));
  cache[format].set(event, text);
  return text;
}

/** The whole log as text, for copying: what the seed would print, or JSONL. */
export function formatLog(events: ReadonlyArray<{ event: WireRunEvent }>, format: RawFormat, singleMode: boolean): string {
  if (format === "json") return events.map((e) => JSON.stringify(e.event)).join("\n") + "\n";
  const lines: string[] = [];
  for (const { event } of events) {
    if (isServerEvent(event)) continue;
    if (singleMode) lines.push(pythonRepr(event[1]));
    else lines.push(`Stream mode: ${event[0]}${namespaceOf(event)}`, pythonRepr(event[1]), "", "");
  }
  return lines.join("\n") + "\n";
}

export function toJsonl(events: ReadonlyArray<{ event: WireRunEvent }>): string {
  return formatLog(events, "json", false);
}
