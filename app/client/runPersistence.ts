// What survives a reload: the events this tab received for a run, saved to sessionStorage when the page
// is hidden or unloaded (not per event: serializing per token would cost more than the run). After the
// reload the page restores them and asks the server only for what follows the last id. When nothing
// was saved (another tab, storage full, a crash before pagehide) the page replays the run from the
// server's log instead; either way the store drops any event at or before the last applied id, so
// nothing is shown twice.
import type { WireRunEvent } from "./wireTypes";
import type { RunData } from "./runStore";

const PREFIX = "rill:run:";
const FORMAT = 1;
/** sessionStorage holds about 5 MB per origin; leave room for other runs and keys. */
export const MAX_SAVED_CHARS = 3_000_000;

export type SavedEvent = readonly [id: string, event: WireRunEvent, receivedAt: number];

interface SavedRun {
  format: number;
  runId: string;
  lastEventId: string | null;
  events: SavedEvent[];
}

export function savedRunKey(runId: string): string {
  return PREFIX + runId;
}

/** Saves the run's events; returns false when they would not fit (the reload then replays from the server). */
export function saveRun(storage: Storage, run: RunData): boolean {
  if (!run.runId) return false;
  const saved: SavedRun = {
    format: FORMAT,
    runId: run.runId,
    lastEventId: run.lastEventId,
    events: run.events.map((e) => [e.id, e.event, e.receivedAt] as const),
  };
  const text = JSON.stringify(saved);
  const key = savedRunKey(run.runId);
  if (text.length > MAX_SAVED_CHARS) {
    storage.removeItem(key);
    return false;
  }
  try {
    storage.setItem(key, text);
    return true;
  } catch {
    storage.removeItem(key);
    return false;
  }
}

/** Reads and forgets what was saved for `runId`; null when nothing usable was saved. */
export function takeSavedRun(storage: Storage, runId: string): SavedEvent[] | null {
  const key = savedRunKey(runId);
  const text = storage.getItem(key);
  if (text === null) return null;
  storage.removeItem(key);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isSavedRun(parsed) || parsed.runId !== runId) return null;
  return parsed.events;
}

function isSavedRun(value: unknown): value is SavedRun {
  if (typeof value !== "object" || value === null) return false;
  if (!("format" in value) || value.format !== FORMAT) return false;
  if (!("runId" in value) || typeof value.runId !== "string") return false;
  if (!("events" in value) || !Array.isArray(value.events)) return false;
  return value.events.every(
    (e: unknown) => Array.isArray(e) && e.length === 3 && typeof e[0] === "string" && Array.isArray(e[1]) && typeof e[1][0] === "string" && typeof e[2] === "number",
  );
}
