"use client";
// A readable, collapsible view of a JSON value. Long arrays and objects show their first entries and a
// button for more, so a state holding thousands of items stays cheap to render.
import { useState, type ReactNode } from "react";

const PAGE = 100;

interface JsonTreeProps {
  value: unknown;
  /** Top-level keys to highlight (the keys the selected step changed). */
  changed?: ReadonlySet<string>;
  /** Levels open by default. */
  openDepth?: number;
  label?: string;
}

export function JsonTree({ value, changed, openDepth = 2, label }: JsonTreeProps) {
  return (
    <div className="json-tree" aria-label={label}>
      {isContainer(value) ? <Entries value={value} depth={0} openDepth={openDepth} changed={changed} /> : <Leaf value={value} />}
    </div>
  );
}

function isContainer(value: unknown): value is Record<string, unknown> | unknown[] {
  return typeof value === "object" && value !== null;
}

function Entries({ value, depth, openDepth, changed }: { value: Record<string, unknown> | unknown[]; depth: number; openDepth: number; changed?: ReadonlySet<string> }) {
  const [limit, setLimit] = useState(PAGE);
  const entries: Array<[string, unknown]> = Array.isArray(value) ? value.map((v, i) => [String(i), v]) : Object.entries(value);
  const shown = entries.slice(0, limit);
  return (
    <ul>
      {shown.map(([key, item]) => {
        const isChanged = depth === 0 && changed?.has(key) === true;
        return (
          <li key={key} data-key={depth === 0 ? key : undefined} data-changed={isChanged || undefined}>
            <Node name={key} value={item} depth={depth + 1} openDepth={openDepth} highlight={isChanged} />
          </li>
        );
      })}
      {entries.length > limit && (
        <li>
          <button type="button" className="json-more" onClick={() => setLimit(limit + PAGE * 5)}>
            … {entries.length - limit} more
          </button>
        </li>
      )}
    </ul>
  );
}

function Node({ name, value, depth, openDepth, highlight }: { name: string; value: unknown; depth: number; openDepth: number; highlight: boolean }) {
  const key = (
    <>
      <span className={highlight ? "json-key json-changed" : "json-key"}>{name}</span>
      <span className="json-meta">: </span>
    </>
  );
  const tag = highlight ? <span className="json-changed-tag">changed</span> : null;
  if (!isContainer(value)) {
    return (
      <div className="leaf">
        {key}
        <Leaf value={value} />
        {tag}
      </div>
    );
  }
  const size = Array.isArray(value) ? value.length : Object.keys(value).length;
  const summary = Array.isArray(value) ? `[${size}]` : `{${size}}`;
  if (size === 0) {
    return (
      <div className="leaf">
        {key}
        <span className="json-meta">{Array.isArray(value) ? "[]" : "{}"}</span>
        {tag}
      </div>
    );
  }
  return (
    <details open={depth <= openDepth}>
      <summary>
        {key}
        <span className="json-meta">{summary}</span>
        {tag}
      </summary>
      <Entries value={value} depth={depth} openDepth={openDepth} />
    </details>
  );
}

function Leaf({ value }: { value: unknown }): ReactNode {
  if (typeof value === "string") return <span className="json-str">&quot;{value}&quot;</span>;
  if (typeof value === "number") return <span className="json-num">{String(value)}</span>;
  if (typeof value === "boolean") return <span className="json-bool">{String(value)}</span>;
  if (value === null) return <span className="json-null">null</span>;
  return <span className="json-null">undefined</span>;
}
