"use client";
// Secondary panels (state, updates, timeline, custom, raw, diagram) follow the run at most every
// `intervalMs` while it streams fast, and at most one of them per frame; the token panel and the run
// bar follow every frame. A frame then renders the newest tokens plus one list around them, so no frame
// pays for every panel at once when thousands of events a second arrive. Nothing is dropped: a paced
// view is the same mutable run with older counters. A panel whose slice did not move is brought up to
// date for free (its props are unchanged, so it does not render); a new run, a status change or a
// failure updates every panel at once; and when events stop, the panels still behind catch up.
import { useEffect, useReducer, useRef } from "react";
import type { RunView } from "./liveRunStore";

/** What a panel shows from a view: it needs rendering only when this differs between two views. */
export type PanelSlice = (view: RunView) => readonly unknown[];

interface Shown {
  view: RunView;
  at: number;
}

export function usePacedViews<K extends string>(view: RunView, slices: Readonly<Record<K, PanelSlice>>, intervalMs: number): Record<K, RunView> {
  const shown = useRef<Record<K, Shown> | null>(null);
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  const now = typeof performance === "undefined" ? 0 : performance.now();
  const keys = Object.keys(slices) as K[];
  if (shown.current === null) {
    shown.current = {} as Record<K, Shown>;
    for (const key of keys) shown.current[key] = { view, at: 0 };
  }
  const panels = shown.current;

  let due: K | null = null;
  for (const key of keys) {
    const current = panels[key];
    if (current.view === view) continue;
    if (view.run !== current.view.run || view.status !== current.view.status || view.failure !== current.view.failure) {
      panels[key] = { view, at: now };
    } else if (sameSlice(slices[key], current.view, view)) {
      // Nothing new for this panel: keep the time it last rendered, so new content shows at once.
      panels[key] = { view, at: current.at };
    } else if (now - current.at >= intervalMs && (due === null || current.at < panels[due].at)) {
      due = key;
    }
  }
  if (due !== null) panels[due] = { view, at: now };

  const behind = keys.some((key) => panels[key].view !== view);
  useEffect(() => {
    if (!behind) return;
    // Events stopped arriving (or a panel is waiting its turn): render again so the panels catch up.
    const timer = setTimeout(rerender, intervalMs / keys.length);
    return () => clearTimeout(timer);
  }, [behind, view, intervalMs, keys.length]);

  const result = {} as Record<K, RunView>;
  for (const key of keys) result[key] = panels[key].view;
  return result;
}

function sameSlice(slice: PanelSlice, a: RunView, b: RunView): boolean {
  const x = slice(a);
  const y = slice(b);
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) return false;
  return true;
}
