// The frame every panel shares: a titled region (named for screen readers) with a count and actions.
import type { ReactNode } from "react";

interface PanelProps {
  id: string;
  title: string;
  /** Stream mode whose colour marks the panel ("values", "debug", ...), or "raw". */
  mode: string;
  count?: ReactNode;
  actions?: ReactNode;
  className?: string;
  children: ReactNode;
}

export function Panel({ id, title, mode, count, actions, className, children }: PanelProps) {
  const headingId = `${id}-title`;
  return (
    <section className={`panel mode-${mode} ${className ?? ""}`} aria-labelledby={headingId} data-panel={id}>
      <header className="panel-head">
        <h2 id={headingId}>{title}</h2>
        {count !== undefined && <span className="count">{count}</span>}
        {actions && <div className="panel-actions">{actions}</div>}
      </header>
      <div className="panel-body">{children}</div>
    </section>
  );
}

export function PanelEmpty({ children }: { children: ReactNode }) {
  return <div className="panel-empty">{children}</div>;
}
