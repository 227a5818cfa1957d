// What the runs list shows of each run: its input in a few words, when it started, and which runs to
// list (the newest, plus every interrupted run even when it is older than those, so a run waiting for
// input is always reachable).
import type { RouterOutputs } from "./trpcClient";

export type RunListItem = RouterOutputs["runs"]["list"][number];

/** How many characters of a run's input a list row shows. */
export const INPUT_SUMMARY_CHARS = 80;

/** A run's input on one line: `topic: "ice cream"` for an object's keys, else its JSON, cut to `max` characters. */
export function summarizeInput(input: unknown, max = INPUT_SUMMARY_CHARS): string {
  if (input === undefined || input === null) return "no input";
  let text = "";
  if (typeof input === "object" && !Array.isArray(input)) {
    for (const [key, value] of Object.entries(input)) {
      text += `${text === "" ? "" : ", "}${key}: ${JSON.stringify(value) ?? "undefined"}`;
      if (text.length > max) break; // the rest would be cut off anyway
    }
    if (text === "") text = "{}";
  } else {
    text = JSON.stringify(input) ?? String(input);
  }
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** When a run started, as a list shows it: the time of day for today's runs, else the date and time. */
export function formatRunTime(iso: string, now: Date = new Date()): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  const time = `${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}`;
  const sameDay = at.getFullYear() === now.getFullYear() && at.getMonth() === now.getMonth() && at.getDate() === now.getDate();
  return sameDay ? time : `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())} ${time}`;
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/**
 * The runs the list shows, newest first: the recent ones and the interrupted ones (which `runs.list`
 * may hold beyond the recent limit), each once.
 */
export function mergeRunLists(recent: readonly RunListItem[], interrupted: readonly RunListItem[]): RunListItem[] {
  const byId = new Map<string, RunListItem>();
  for (const run of recent) byId.set(run.runId, run);
  for (const run of interrupted) if (!byId.has(run.runId)) byId.set(run.runId, run);
  return [...byId.values()].sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
}
