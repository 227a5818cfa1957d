"use client";
// The threads, newest first: status, graph and when each last changed, each a link to its page
// (`/threads/<id>`). Receives data; RecentThreads fetches it and the page decides what opening one does.
import { memo, type MouseEvent } from "react";
import { formatRunTime } from "../client/runSummary";
import type { ThreadListItem } from "../client/useThreads";

interface ThreadsListProps {
  open: boolean;
  onToggle(open: boolean): void;
  threads: readonly ThreadListItem[];
  loaded: boolean;
  error: string | null;
  /** The thread on screen, marked in the list. */
  currentThreadId: string | null;
  /** Opens a thread in this page (a plain click); other clicks follow the link. */
  onOpen(threadId: string): void;
}

export const ThreadsList = memo(function ThreadsList({ open, onToggle, threads, loaded, error, currentThreadId, onOpen }: ThreadsListProps) {
  const onClick = (event: MouseEvent<HTMLAnchorElement>, threadId: string) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    onOpen(threadId);
  };
  return (
    <details className="side-section runs-list" data-testid="threads-list" open={open} onToggle={(e) => onToggle((e.currentTarget as HTMLDetailsElement).open)}>
      {/* Closed by default (and then not fetched): the runs list above is what most visits want. */}
      <summary>
        <h2>Threads{threads.length > 0 ? ` · ${threads.length}` : ""}</h2>
      </summary>
      {error && <p className="field-error">Could not list threads: {error}</p>}
      {loaded && threads.length === 0 && !error && <p className="field-hint">No threads yet: every run is on one, and they show here.</p>}
      {threads.length > 0 && (
        <ol className="runs-items">
          {threads.map((thread) => (
            <li key={thread.threadId}>
              <a
                href={`/threads/${encodeURIComponent(thread.threadId)}`}
                className={`run-item${thread.threadId === currentThreadId ? " current" : ""}${thread.status === "interrupted" ? " waiting" : ""}`}
                aria-current={thread.threadId === currentThreadId ? "page" : undefined}
                data-testid="thread-item"
                data-thread-id={thread.threadId}
                data-status={thread.status}
                onClick={(event) => onClick(event, thread.threadId)}
                title={`${thread.graphId} · ${thread.status} · updated ${thread.updatedAt}`}
              >
                <span className="run-item-head">
                  <span className={`status-pill thread-status-${thread.status}`}>{thread.status}</span>
                  <b className="run-item-graph">{thread.graphId}</b>
                  <time dateTime={thread.updatedAt}>{formatRunTime(thread.updatedAt)}</time>
                </span>
                <span className="run-item-input">{thread.threadId}</span>
              </a>
            </li>
          ))}
        </ol>
      )}
    </details>
  );
});
