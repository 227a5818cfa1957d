"use client";
// A thread: its status and latest state, the runs on it (each a link), and its checkpoints newest first.
// From a checkpoint (the selected step's is marked) "Fork from here" starts a run of the form's input
// from it, "Continue from here" runs the thread on from it as it stands (input null: what a fork or an
// edited state left to do), and "Edit state" opens a JSON editor whose values are written there
// (threads.update) as a new checkpoint, to continue from or to run the form's input on. Receives data and
// callbacks; the page fetches and starts runs.
import { memo, useState, type MouseEvent } from "react";
import { checkpointStepLabel } from "../client/checkpointOfStep";
import { formatRunTime } from "../client/runSummary";
import type { ThreadData } from "../client/useThread";
import { JsonTree } from "./JsonTree";

export interface ThreadViewProps {
  data: ThreadData | null;
  /** The checkpoint of the step selected across the panels, marked in the history. */
  selectedCheckpointId: string | null;
  /** The run on screen, marked among the thread's runs. */
  currentRunId: string | null;
  /** Why a run cannot start from a checkpoint now (a run going, the form's input invalid), or null. */
  forkBlocked: string | null;
  /** Why the thread cannot run on from a checkpoint now (a run going, no stream mode), or null. */
  continueBlocked: string | null;
  onFork(checkpointId: string): void;
  /** Runs the thread on from the checkpoint without new input. */
  onContinue(checkpointId: string): void;
  /** Writes `values` at the checkpoint (a new checkpoint, whose id it resolves to) and, with `runInput`,
   * runs the form's input on from there; rejects with the server's message. */
  onEditState(checkpointId: string, values: unknown, runInput: boolean): Promise<string>;
  onOpenRun(runId: string): void;
}

export const ThreadView = memo(function ThreadView({ data, selectedCheckpointId, currentRunId, forkBlocked, continueBlocked, onFork, onContinue, onEditState, onOpenRun }: ThreadViewProps) {
  const [editing, setEditing] = useState<string | null>(null);
  // The checkpoint the last "Save" wrote, marked in the history until another is written.
  const [written, setWritten] = useState<string | null>(null);
  if (!data) return <p className="field-hint">Loading the thread…</p>;
  if (data.notFound) return <p className="field-error" role="alert" data-testid="thread-not-found">Thread not found: {data.error}</p>;
  if (!data.thread) return <p className="field-error" role="alert">Could not load the thread: {data.error}</p>;
  const { thread, history, runs } = data;
  const openRun = (event: MouseEvent<HTMLAnchorElement>, runId: string) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    onOpenRun(runId);
  };
  return (
    <div className="thread-view" data-testid="thread-view" data-thread-id={thread.threadId}>
      <p className="thread-head">
        <span className={`status-pill thread-status-${thread.status}`} data-testid="thread-status">{thread.status}</span>
        <b className="run-item-graph">{thread.graphId}</b>
        <span className="field-hint">updated {formatRunTime(thread.updatedAt)} · {history.length} checkpoint{history.length === 1 ? "" : "s"}</span>
        {thread.next.length > 0 && <span className="field-hint">next: {thread.next.join(", ")}</span>}
      </p>
      {runs.length > 0 && (
        <div className="thread-runs">
          <h3>Runs on this thread</h3>
          <ol className="thread-run-items">
            {runs.map((run) => (
              <li key={run.runId}>
                <a
                  href={`/runs/${encodeURIComponent(run.runId)}`}
                  className={`thread-run${run.runId === currentRunId ? " current" : ""}`}
                  aria-current={run.runId === currentRunId ? "page" : undefined}
                  data-testid="thread-run"
                  data-run-id={run.runId}
                  data-status={run.status}
                  onClick={(event) => openRun(event, run.runId)}
                >
                  <span className={`status-pill status-${run.status}`}>{run.status}</span>
                  <time dateTime={run.createdAt}>{formatRunTime(run.createdAt)}</time>
                </a>
              </li>
            ))}
          </ol>
        </div>
      )}
      <div className="thread-state">
        <h3>Latest state</h3>
        <div className="thread-json" data-testid="thread-state">
          <JsonTree value={thread.values} />
        </div>
      </div>
      <div className="thread-history">
        <h3>History (newest first)</h3>
        {forkBlocked && <p className="field-hint" data-testid="fork-blocked">{forkBlocked}</p>}
        <ol className="checkpoint-items">
          {history.map((checkpoint) => {
            const selected = checkpoint.checkpointId === selectedCheckpointId;
            const isWritten = checkpoint.checkpointId === written;
            const nothingLeft = checkpoint.next.length === 0 ? "Nothing left to run from here: this checkpoint ends its branch." : null;
            const cannotContinue = continueBlocked ?? nothingLeft;
            return (
              <li
                key={checkpoint.checkpointId}
                className={`checkpoint-item${selected ? " selected" : ""}${isWritten ? " written" : ""}`}
                data-testid="checkpoint"
                data-checkpoint-id={checkpoint.checkpointId}
                data-selected={selected || undefined}
                data-written={isWritten || undefined}
              >
                <div className="checkpoint-head">
                  <b>{checkpointStepLabel(checkpoint.metadata)}</b>
                  <span className="field-hint">{sourceOf(checkpoint.metadata)}</span>
                  {isWritten && <span className="checkpoint-tag" data-testid="checkpoint-written">edited state</span>}
                  <span className="field-hint">{checkpoint.next.length > 0 ? `next: ${checkpoint.next.join(", ")}` : "end"}</span>
                  <code className="checkpoint-id" title={checkpoint.checkpointId}>{checkpoint.checkpointId.slice(0, 8)}</code>
                  <span className="checkpoint-actions">
                    <button type="button" className="btn btn-small" disabled={forkBlocked !== null} title={forkBlocked ?? "Run the form's input from this checkpoint"} onClick={() => onFork(checkpoint.checkpointId)}>
                      Fork from here
                    </button>
                    <button
                      type="button"
                      className="btn btn-small"
                      disabled={cannotContinue !== null}
                      title={cannotContinue ?? `Run the thread on from this checkpoint as it stands, without new input (next: ${checkpoint.next.join(", ")})`}
                      onClick={() => onContinue(checkpoint.checkpointId)}
                    >
                      Continue from here
                    </button>
                    <button type="button" className="btn btn-small" aria-expanded={editing === checkpoint.checkpointId} onClick={() => setEditing(editing === checkpoint.checkpointId ? null : checkpoint.checkpointId)}>
                      Edit state
                    </button>
                  </span>
                </div>
                {editing === checkpoint.checkpointId && (
                  <StateEditor
                    initial={checkpoint.values}
                    blocked={forkBlocked}
                    onSave={(values, runInput) =>
                      onEditState(checkpoint.checkpointId, values, runInput).then((id) => {
                        setEditing(null);
                        setWritten(id);
                      })
                    }
                  />
                )}
              </li>
            );
          })}
        </ol>
      </div>
    </div>
  );
});

function sourceOf(metadata: unknown): string {
  const source = (metadata as { source?: unknown } | null)?.source;
  return typeof source === "string" ? source : "";
}

/** The JSON editor of "Edit state": refuses text that is not JSON, shows the server's refusal. "Save"
 * only writes (the new checkpoint then offers "Continue from here"); "Save and run on" also runs the
 * form's input from it. */
function StateEditor({ initial, blocked, onSave }: { initial: unknown; blocked: string | null; onSave(values: unknown, runInput: boolean): Promise<void> }) {
  const [text, setText] = useState(() => JSON.stringify(initial ?? {}, null, 2));
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const save = (runInput: boolean) => {
    let values: unknown;
    try {
      values = JSON.parse(text);
    } catch (error) {
      setProblem(`Not JSON: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    setBusy(true);
    setProblem(null);
    onSave(values, runInput).then(
      () => setBusy(false),
      (error: unknown) => {
        setBusy(false);
        setProblem(error instanceof Error ? error.message : String(error));
      },
    );
  };
  return (
    <div className="state-editor">
      <label className="field-hint" htmlFor="state-editor-text">
        Values to write at this checkpoint (as if the last node had returned them): a new checkpoint to continue from
      </label>
      <textarea id="state-editor-text" className="state-editor-text" rows={5} spellCheck={false} value={text} onChange={(e) => setText(e.target.value)} />
      {problem && <p className="field-error" role="alert">{problem}</p>}
      <span className="state-editor-actions">
        <button type="button" className="btn btn-primary btn-small" disabled={busy} title="Write the values as a new checkpoint; continue or fork from it afterwards" onClick={() => save(false)}>
          Save
        </button>
        <button type="button" className="btn btn-small" disabled={busy || blocked !== null} title={blocked ?? "Write the values, then run the form's input on from them"} onClick={() => save(true)}>
          Save and run on
        </button>
      </span>
    </div>
  );
}
