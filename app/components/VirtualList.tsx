"use client";
// A fixed-row-height virtual list: only the rows in view (plus a few) are in the DOM, so ten thousand
// entries cost what thirty do. With `follow`, it keeps the newest row in view while the user is at the
// bottom, and stops following as soon as they scroll up.
import { useLayoutEffect, useRef, useState, type ReactNode } from "react";

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
}

export function VirtualList({ count, rowHeight, renderRow, label, follow = false, overscan = 6, revealIndex = null }: VirtualListProps) {
  const ref = useRef<HTMLDivElement>(null);
  const [viewport, setViewport] = useState({ top: 0, height: 0 });
  const atBottom = useRef(true);
  const total = count * rowHeight;

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => setViewport({ top: el.scrollTop, height: el.clientHeight });
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const following = follow && atBottom.current;
  useLayoutEffect(() => {
    const el = ref.current;
    if (el && following) el.scrollTop = el.scrollHeight;
  }, [count, following]);

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
    atBottom.current = el.scrollTop + el.clientHeight >= el.scrollHeight - rowHeight / 2;
    setViewport({ top: el.scrollTop, height: el.clientHeight });
  };

  // While following, render the rows at the bottom now rather than a frame later, after the scroll event.
  const height = viewport.height || 600;
  const top = following ? Math.max(0, total - height) : viewport.top;
  const first = Math.max(0, Math.floor(top / rowHeight) - overscan);
  const last = Math.min(count, Math.ceil((top + height) / rowHeight) + overscan);
  const rows: ReactNode[] = [];
  for (let i = first; i < last; i++) {
    rows.push(
      <div key={i} className="vlist-row" role="listitem" style={{ top: i * rowHeight, height: rowHeight }}>
        {renderRow(i)}
      </div>,
    );
  }
  return (
    <div ref={ref} className="vlist" onScroll={onScroll} role="list" aria-label={label} aria-rowcount={count}>
      <div className="vlist-inner" style={{ height: total }}>
        {rows}
      </div>
    </div>
  );
}
