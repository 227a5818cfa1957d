"use client";
// Secondary panels (state, updates, timeline, custom, raw, diagram) follow the run through
// pacePanels (see panelPacing.ts): at most one of them moves per render, each at most every
// `intervalMs` while the run streams fast; the token panel and the run bar follow every frame. Nothing
// is dropped: a paced view is the same mutable run with older counters. When events stop arriving,
// a timer renders again until every panel has caught up.
import { useEffect, useReducer, useRef } from "react";
import type { RunView } from "./liveRunStore";
import { initialShown, pacePanels, type PanelSlice, type ShownView } from "./panelPacing";

export type { PanelSlice } from "./panelPacing";

export function usePacedViews<K extends string>(view: RunView, slices: Readonly<Record<K, PanelSlice>>, intervalMs: number): Record<K, RunView> {
  const shown = useRef<Record<K, ShownView> | null>(null);
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  shown.current ??= initialShown(view, Object.keys(slices) as K[]);
  const now = typeof performance === "undefined" ? 0 : performance.now();
  const { retryInMs } = pacePanels(shown.current, view, slices, now, intervalMs);

  useEffect(() => {
    if (retryInMs === null) return;
    const timer = setTimeout(rerender, retryInMs);
    return () => clearTimeout(timer);
  });

  const result = {} as Record<K, RunView>;
  for (const key of Object.keys(slices) as K[]) result[key] = shown.current[key].view;
  return result;
}
