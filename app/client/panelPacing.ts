// Which run view each secondary panel shows, decided once per page render (usePacedViews is the React
// side). At most one panel moves to the newest view per render, panel renders are a share of
// `intervalMs` apart, and a panel moves at most once per `intervalMs` while the run streams fast, so no
// frame pays for several panels. A status change or a failure makes every panel due at once, but they
// still move one at a time (a run ending used to re-render all six in one frame: the longest task of a
// 10,000-token run). A new run (a reset, or a restore after reload) moves them all at once: a reset is
// empty, and a restore happens once.
import type { RunView } from "./liveRunStore";

/** What a panel shows from a view: it needs rendering only when this differs between two views. */
export type PanelSlice = (view: RunView) => readonly unknown[];

export interface ShownView {
  view: RunView;
  /** When the panel last rendered new content (ms, any monotonic clock). */
  at: number;
}

export interface PacingDecision<K extends string> {
  shown: Record<K, ShownView>;
  /** How long to wait before rendering again to let the panels still behind catch up; null: none is. */
  retryInMs: number | null;
}

export function initialShown<K extends string>(view: RunView, keys: readonly K[]): Record<K, ShownView> {
  const shown = {} as Record<K, ShownView>;
  for (const key of keys) shown[key] = { view, at: Number.NEGATIVE_INFINITY };
  return shown;
}

/** Moves `shown` (in place) towards `view` and says when to look again. */
export function pacePanels<K extends string>(
  shown: Record<K, ShownView>,
  view: RunView,
  slices: Readonly<Record<K, PanelSlice>>,
  now: number,
  intervalMs: number,
): PacingDecision<K> {
  const keys = Object.keys(slices) as K[];
  // Panel renders are at least this far apart, whichever panels they are: six panels share the
  // interval, and a run's first second (every panel's first content, with the page's code still cold)
  // is spread over several frames instead of six in a row.
  const spacing = intervalMs / keys.length;
  let lastAt = Number.NEGATIVE_INFINITY;
  let due: K | null = null;
  let dueUrgent = false;
  for (const key of keys) {
    const current = shown[key];
    if (current.view.run === view.run) lastAt = Math.max(lastAt, current.at);
    if (current.view === view) continue;
    if (view.run !== current.view.run) {
      shown[key] = { view, at: now };
      continue;
    }
    const urgent = statusMoved(current.view, view);
    if (!urgent && sameSlice(slices[key], current.view, view)) {
      // Nothing new for this panel: keep the time it last rendered, so new content shows at once.
      shown[key] = { view, at: current.at };
      continue;
    }
    if (!urgent && now - current.at < intervalMs) continue;
    // Urgent panels first, then the one that has waited longest.
    if (due === null || (urgent && !dueUrgent) || (urgent === dueUrgent && current.at < shown[due].at)) {
      due = key;
      dueUrgent = urgent;
    }
  }
  // (A millisecond of slack: timers fire on whole milliseconds.)
  if (due !== null && now - lastAt >= spacing - 1) {
    shown[due] = { view, at: now };
    lastAt = now;
  }

  // When the next panel still behind may move: its interval over (at once, if urgent), and a spacing
  // after the last panel render.
  let retryInMs: number | null = null;
  for (const key of keys) {
    const current = shown[key];
    if (current.view === view) continue;
    const readyAt = Math.max(statusMoved(current.view, view) ? now : current.at + intervalMs, lastAt + spacing);
    const wait = Math.max(0, readyAt - now);
    retryInMs = retryInMs === null ? wait : Math.min(retryInMs, wait);
  }
  return { shown, retryInMs };
}

function statusMoved(a: RunView, b: RunView): boolean {
  return a.status !== b.status || a.failure !== b.failure;
}

function sameSlice(slice: PanelSlice, a: RunView, b: RunView): boolean {
  const x = slice(a);
  const y = slice(b);
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) return false;
  return true;
}
