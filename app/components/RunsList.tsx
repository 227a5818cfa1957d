"use client";
// The recent runs, newest first: status, graph, a short input and the time each started, each a link to
// its page. Interrupted runs are marked (they wait for input) and counted in the heading. Receives data;
// the page fetches it (useRecentRuns) and decides what opening a run does.
import { memo, type MouseEvent } from "react";
import { formatRunTime, summarizeInput, type RunListItem } from "../client/runSummary";

interface RunsListProps {
  runs: readonly RunListItem[];
  loaded: boolean;
  error: string | null;
  /** The run on screen, marked in the list. */
  currentRunId: string | null;
  /** Opens a run in this page (a plain click); other clicks follow the link (new tab, etc.). */
  onOpen(runId: string): void;
}

export const RunsList = memo(function RunsList({ runs, loaded, error, currentRunId, onOpen }: RunsListProps) {
  const waiting = runs.reduce((n, r) => (r.status === "interrupted" ? n + 1 : n), 0);
  const onClick = (event: MouseEvent<HTMLAnchorElement>, runId: string) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    onOpen(runId);
  };
  return (
    <details className="side-section runs-list" open data-testid="runs-list">
      {/* Open by default; closing it gives the diagram below the room. */}
      <summary>
        <h2 id="runs-title">
          Recent runs
          {waiting > 0 && (
            <span className="runs-waiting" data-testid="runs-waiting">
              {" "}
              · {waiting} waiting for input
            </span>
          )}
        </h2>
      </summary>
      {error && (
        <p className="field-error">
          Could not list runs: {error}
        </p>
      )}
      {loaded && runs.length === 0 && !error && <p className="field-hint">No runs yet: the runs you start show here.</p>}
      {runs.length > 0 && (
        <ol className="runs-items">
          {runs.map((run) => (
            <li key={run.runId}>
              <a
                href={`/runs/${encodeURIComponent(run.runId)}`}
                className={`run-item${run.runId === currentRunId ? " current" : ""}${run.status === "interrupted" ? " waiting" : ""}`}
                aria-current={run.runId === currentRunId ? "page" : undefined}
                data-testid="run-item"
                data-run-id={run.runId}
                data-status={run.status}
                onClick={(event) => onClick(event, run.runId)}
                title={`${run.graphId} · ${run.status} · started ${run.createdAt}`}
              >
                <span className="run-item-head">
                  <span className={`status-pill status-${run.status}`}>{run.status}</span>
                  <b className="run-item-graph">{run.graphId}</b>
                  <time dateTime={run.createdAt}>{formatRunTime(run.createdAt)}</time>
                </span>
                <span className="run-item-input">
                  {run.status === "interrupted" && <span className="run-item-flag">needs input</span>}
                  {summarizeInput(run.input)}
                </span>
              </a>
            </li>
          ))}
        </ol>
      )}
    </details>
  );
});
