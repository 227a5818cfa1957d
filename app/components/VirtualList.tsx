"use client";
// A fixed-row-height virtual list: only the rows in view (plus a few) are in the DOM, so ten thousand
// entries cost what thirty do. With `follow`, it keeps the newest row in view while the user is at the
// bottom, and stops following as soon as they scroll up.
//
// Following never reads layout during React's commit (that would force a synchronous layout per list
// per frame): rows are chosen from the row count, and the scroll position is pinned from a
// ResizeObserver on the content, which runs after the browser's own layout for the frame.
//
// A render creates at most NEW_ROWS_PER_RENDER rows it did not already show (see rowBudget.ts) and
// renders again, in a task of its own, for the rest: a screen of new rows is spread over a few tasks.
import { memo, useEffect, useLayoutEffect, useReducer, useRef, useState, type ReactNode } from "react";
import { followBottom, type BottomFollower } from "../client/followBottom";
import { chooseRows } from "../client/rowBudget";

const NEW_ROWS_PER_RENDER = 12;

interface VirtualListProps {
  count: number;
  rowHeight: number;
  renderRow: (index: number) => ReactNode;
  /** Accessible name of the list. */
  label: string;
  follow?: boolean;
  overscan?: number;
  /** Scrolls this row into view when it changes. */
  revealIndex?: number | null;
  /**
   * What row `index` shows, as a value compared with Object.is: its entry when entries never change, or
   * a string of the fields that do. A row on screen renders again only when its version or
   * `listVersion` changes, so a list that follows new entries renders just the new rows. Without it
   * every row renders whenever the list does.
   */
  rowVersion?: (index: number) => unknown;
  /** What every row shows besides its own entry (the selection, a format): all rows render when it changes. */
  listVersion?: unknown;
}

interface Viewport {
  top: number;
  height: number;
}

export function VirtualList({ count, rowHeight, renderRow, label, follow = false, overscan = 4, revealIndex = null, rowVersion, listVersion }: VirtualListProps) {
  const ref = useRef<HTMLDivElement>(null);
  const inner = useRef<HTMLDivElement>(null);
  const [viewport, setViewport] = useState<Viewport>({ top: 0, height: 0 });
  const follower = useRef<BottomFollower | null>(null);
  const shownRows = useRef<ReadonlySet<number>>(new Set());
  const shownFirst = useRef(0);
  const [, fillIn] = useReducer((n: number) => n + 1, 0);
  const total = count * rowHeight;

  useLayoutEffect(() => {
    const el = ref.current;
    const content = inner.current;
    if (!el || !content) return;
    // The observer's first callback (after this frame's layout) gives the first size; reading it here,
    // during React's commit, would force a layout of the page for each list that mounts.
    const sizes = new ResizeObserver(() => {
      const top = el.scrollTop;
      const height = el.clientHeight;
      setViewport((prev) => (prev.top === top && prev.height === height ? prev : { top, height }));
    });
    sizes.observe(el);
    follower.current = follow ? followBottom(el, content, rowHeight / 2) : null;
    return () => {
      sizes.disconnect();
      follower.current?.disconnect();
      follower.current = null;
    };
  }, [follow, rowHeight]);

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el || revealIndex === null || revealIndex < 0) return;
    const top = revealIndex * rowHeight;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + rowHeight > el.scrollTop + el.clientHeight) el.scrollTop = top + rowHeight - el.clientHeight;
  }, [revealIndex, rowHeight]);

  const onScroll = () => {
    const el = ref.current;
    if (!el) return;
    const top = el.scrollTop;
    const height = el.clientHeight;
    setViewport((prev) => (prev.top === top && prev.height === height ? prev : { top, height }));
  };

  // While following, show the rows at the bottom now, not a frame later after the scroll event.
  const height = viewport.height || 600;
  const following = follow && (follower.current?.following ?? true);
  const top = following ? Math.max(0, total - height) : viewport.top;
  const first = Math.max(0, Math.floor(top / rowHeight) - overscan);
  const last = Math.min(count, Math.ceil((top + height) / rowHeight) + overscan);
  // Rows are keyed by index: a row keeps its position (top) and content while the list follows new
  // entries, so a render adds the new rows and drops the old ones, and the rows in between are not
  // touched in the DOM (keyed by slot, every row on screen would be rewritten and laid out again).
  const choice = chooseRows({ first, last }, shownRows.current, NEW_ROWS_PER_RENDER, following || first >= shownFirst.current);
  const rows: ReactNode[] = [];
  for (const i of choice.indices) {
    rows.push(<Row key={i} index={i} rowHeight={rowHeight} versioned={rowVersion !== undefined} version={rowVersion?.(i)} listVersion={listVersion} render={renderRow} />);
  }
  useLayoutEffect(() => {
    shownRows.current = new Set(choice.indices);
    shownFirst.current = first;
  });
  // The rows left out: a render of this list alone, in its own task (not in the frame that just ran).
  useEffect(() => {
    if (!choice.deferred) return;
    const timer = setTimeout(fillIn, 0);
    return () => clearTimeout(timer);
  });
  return (
    <div ref={ref} className="vlist" onScroll={onScroll} role="list" aria-label={label} aria-rowcount={count}>
      <div ref={inner} className="vlist-inner" style={{ height: total }}>
        {rows}
      </div>
    </div>
  );
}

interface RowProps {
  index: number;
  rowHeight: number;
  versioned: boolean;
  version: unknown;
  listVersion: unknown;
  render: (index: number) => ReactNode;
}

// `render` is a new closure on every list render; what it draws for this index is what `version` says.
const Row = memo(
  function Row({ index, rowHeight, render }: RowProps) {
    return (
      <div className="vlist-row" role="listitem" style={{ top: index * rowHeight, height: rowHeight }}>
        {render(index)}
      </div>
    );
  },
  (a, b) => b.versioned && a.index === b.index && a.rowHeight === b.rowHeight && Object.is(a.version, b.version) && Object.is(a.listVersion, b.listVersion),
);
