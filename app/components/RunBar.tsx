"use client";
// One line about the run on screen: its status, its shareable URL, how much has streamed, how it was
// loaded (live, or restored after a reload and resumed after an event id), and why it failed.
import { memo } from "react";
import type { ClientRunStatus } from "../client/runStore";
import type { TaskError } from "../../lib/graph/types";

interface RunBarProps {
  status: ClientRunStatus;
  runId: string | null;
  graphId: string | null;
  eventCount: number;
  tokenCount: number;
  error: TaskError | null;
  failure: string | null;
  statusReason: string | null;
  restoredCount: number;
  resumedAfter: string | null;
  duplicatesDropped: number;
  /** Starts the run again (its graph, input and modes); null where there is no run to rerun. */
  onRerun: (() => void) | null;
  canRerun: boolean;
}

const STATUS_LABEL: Record<ClientRunStatus, string> = {
  idle: "idle",
  connecting: "connecting",
  running: "running",
  interrupted: "interrupted",
  done: "done",
  error: "error",
  cancelled: "cancelled",
};

export const RunBar = memo(function RunBar(props: RunBarProps) {
  const { status, runId } = props;
  return (
    <div className="runbar-slot">
      <div className="runbar" aria-label="Run status">
        {/* A run that could not be joined has no status: the failure says why, no "idle" beside it. */}
        <span className={`status-pill status-${status}`} data-testid="run-status" data-status={status} role="status" hidden={status === "idle" && props.failure !== null}>
          {STATUS_LABEL[status]}
        </span>
        {runId ? (
          <>
            <a className="run-link" href={`/runs/${runId}`} data-testid="run-link" title="Open this run in another tab: it joins the live run or replays it">
              /runs/{runId}
            </a>
            {props.onRerun && (
              <button type="button" className="btn btn-small" onClick={props.onRerun} disabled={!props.canRerun} data-testid="rerun" title="Start a new run with this run's graph, input and modes">
                Rerun
              </button>
            )}
          </>
        ) : (
          <span className="note">{status === "idle" ? "Pick a graph and press Run." : ""}</span>
        )}
        <span className="meta">
          {props.graphId && (
            <span>
              graph <b>{props.graphId}</b>
            </span>
          )}
          {props.eventCount > 0 && (
            <span>
              <b data-testid="event-count">{props.eventCount}</b> {props.eventCount === 1 ? "event" : "events"}
            </span>
          )}
          {props.tokenCount > 0 && (
            <span>
              <b>{props.tokenCount}</b> {props.tokenCount === 1 ? "token" : "tokens"}
            </span>
          )}
          {props.restoredCount > 0 && (
            <span className="note" data-testid="resume-note">
              restored {props.restoredCount} events after reload, resumed after {props.resumedAfter}
            </span>
          )}
          {props.duplicatesDropped > 0 && <span className="note">{props.duplicatesDropped} replayed events skipped</span>}
        </span>
        {props.error && (
          <span className="run-error" role="alert" data-testid="run-error">
            {props.error.name}: {props.error.message}
          </span>
        )}
        {!props.error && props.failure && (
          <span className="run-error" role="alert" data-testid="run-failure">
            {props.failure}
          </span>
        )}
        {status === "cancelled" && props.statusReason && <span className="note">{props.statusReason}</span>}
      </div>
    </div>
  );
});
