"use client";
// The pane under a list that shows the selected entry in full.
import type { ReactNode } from "react";
import { JsonTree } from "./JsonTree";

export function EntryDetail({ title, onClose, value, children }: { title: ReactNode; onClose: () => void; value?: unknown; children?: ReactNode }) {
  return (
    <div className="detail" role="region" aria-label="Selected entry">
      <div className="detail-head">
        <h3>{title}</h3>
        <button type="button" className="btn btn-small btn-ghost" style={{ marginLeft: "auto" }} onClick={onClose} aria-label="Close details">
          Close
        </button>
      </div>
      {children}
      {value !== undefined && <JsonTree value={value} openDepth={3} />}
    </div>
  );
}
