"use client";
// Secondary panels (state, updates, timeline, custom, raw, diagram) follow the run at most every
// `intervalMs` while it streams fast; the token panel and the run bar follow every frame. A frame then
// re-renders the newest tokens plus, every few frames, the lists around them, so one frame's work stays
// small when thousands of events a second arrive. Nothing is dropped: a paced view is the same mutable
// run with older counters, and it catches up at the interval, on any status change and when idle.
import { useEffect, useReducer, useRef } from "react";
import type { RunView } from "./liveRunStore";

export function usePacedView(view: RunView, intervalMs: number): RunView {
  const shown = useRef<{ view: RunView; at: number }>({ view, at: 0 });
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  const now = typeof performance === "undefined" ? 0 : performance.now();
  const current = shown.current;
  const due = now - current.at >= intervalMs;
  if (view.run !== current.view.run || view.status !== current.view.status || view.failure !== current.view.failure || due) {
    shown.current = { view, at: now };
  }
  const behind = shown.current.view !== view;
  useEffect(() => {
    if (!behind) return;
    // Events stopped arriving before the interval passed: show what came.
    const timer = setTimeout(rerender, intervalMs);
    return () => clearTimeout(timer);
  }, [behind, view, intervalMs]);
  return shown.current.view;
}
