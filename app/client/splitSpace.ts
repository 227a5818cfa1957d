// How a list and the detail pane under it share a panel: the list keeps the height its rows need (down to
// 40% of the panel when it has more), and the detail gets all the rest, so a short list never leaves a
// small detail pane under empty space. Only a panel with a detail open gets these (nothing when unused).
import type { CSSProperties } from "react";

export interface SplitSpace {
  className: string;
  style: CSSProperties;
}

const PLAIN: SplitSpace = { className: "split", style: {} };

/**
 * `listHeight`: the list's content in px (rows × row height); `fixedHeight`: anything else in the split
 * that does not shrink (an axis, a toolbar). With no detail open, the list takes the whole panel.
 */
export function splitSpace(detailOpen: boolean, listHeight: number, fixedHeight = 0): SplitSpace {
  if (!detailOpen) return PLAIN;
  return { className: "split has-detail", style: { "--list-h": `${Math.max(0, Math.round(listHeight))}px`, "--split-fixed": `${fixedHeight}px` } };
}
