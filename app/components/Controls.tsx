"use client";
// What to run and how: the graph (with its description), the JSON input (checked as you type, errors
// inline and naming the field), the stream modes, Run and Cancel. Ctrl/Cmd+Enter runs from the editor.
import { memo, useState } from "react";
import { schemaFields } from "../client/schemaFields";
import { SchemaForm } from "./SchemaForm";
import type { StreamMode } from "../../lib/graph/types";
import type { InputCheck } from "../client/inputValidation";

export interface GraphChoice {
  id: string;
  title: string;
  description: string;
  /** Set for a project graph that could not be loaded: shown instead of its description. */
  error?: string;
  /** The input's JSON schema: the form's fields come from it. */
  inputSchema?: unknown;
}

export const PLAYGROUND_MODES: readonly StreamMode[] = ["values", "updates", "custom", "messages", "debug"];

interface ControlsProps {
  graphs: readonly GraphChoice[];
  graphId: string;
  onGraphChange: (graphId: string) => void;
  inputText: string;
  onInputChange: (text: string) => void;
  onResetInput: () => void;
  /** The live check of the input, or a server rejection of the last run. */
  inputProblem: string | null;
  /** The field the live check complains about, if any. */
  inputProblemField: string | null;
  modes: readonly StreamMode[];
  onModesChange: (modes: StreamMode[]) => void;
  /** Text of the optional recursion-limit field ("" = the engine's default). */
  recursionLimit: string;
  onRecursionLimitChange: (text: string) => void;
  recursionLimitProblem: string | null;
  /** Why no run can start with these modes (none on), or null. */
  modesProblem: string | null;
  /** Why Run waits (the shown run is going or interrupted), or null. */
  runBlocked: string | null;
  onRun: () => void;
  onCancel: () => void;
  canRun: boolean;
  canCancel: boolean;
  loadingGraphs: boolean;
}

// A run starting or ending changes only whether Run and Cancel are enabled: the form's fields are a
// component of their own, so that re-renders the buttons, not the whole form (on a page that has not
// run anything yet, re-rendering the form was a 16 ms render in the frame the run started).
export const Controls = memo(function Controls({ canRun, canCancel, onRun, onCancel, runBlocked, ...fields }: ControlsProps) {
  return (
    <form
      className="side-section"
      aria-label="Run a graph"
      onSubmit={(e) => {
        e.preventDefault();
        if (canRun) onRun();
      }}
      onKeyDown={(e) => {
        // Ctrl/Cmd+Enter runs from the input editor (Enter alone is a new line there).
        if (e.key === "Enter" && (e.ctrlKey || e.metaKey) && (e.target instanceof HTMLTextAreaElement || e.target instanceof HTMLInputElement)) {
          e.preventDefault();
          if (canRun) onRun();
        }
      }}
    >
      <h2>Run</h2>
      <RunFields {...fields} />
      <RunActions canRun={canRun} canCancel={canCancel} onCancel={onCancel} runBlocked={runBlocked} />
    </form>
  );
});

type RunFieldsProps = Omit<ControlsProps, "canRun" | "canCancel" | "onRun" | "onCancel" | "runBlocked">;

const RunFields = memo(function RunFields(props: RunFieldsProps) {
  const { graphs, graphId, inputText, inputProblem, modes } = props;
  const graph = graphs.find((g) => g.id === graphId);
  const errorId = "input-error";
  const fields = graph ? schemaFields(graph.inputSchema) : null;
  const [jsonView, setJsonView] = useState(false);
  const showJson = jsonView || fields === null;
  const toggle = (mode: StreamMode, on: boolean) => {
    const next = PLAYGROUND_MODES.filter((m) => (m === mode ? on : modes.includes(m)));
    props.onModesChange(next);
  };
  return (
    <>
      <div className="field">
        <label htmlFor="graph-picker">Graph</label>
        <select id="graph-picker" value={graphId} onChange={(e) => props.onGraphChange(e.target.value)} disabled={graphs.length === 0} aria-describedby="graph-description">
          {graphs.length === 0 && <option value="">{props.loadingGraphs ? "Loading graphs…" : "No graphs"}</option>}
          {graphs.map((g) => (
            <option key={g.id} value={g.id}>
              {g.title}{g.error !== undefined ? " — not loaded" : ""}
            </option>
          ))}
        </select>
        <p id="graph-description" className="graph-description">
          {graph?.error !== undefined ? `Not loaded: ${graph.error}` : (graph?.description ?? "")}
        </p>
      </div>

      <div className="field">
        <div style={{ display: "flex", alignItems: "baseline", gap: 4 }}>
          <span className="field-label" id="input-title">Input</span>
          {fields !== null && (
            <button type="button" className="btn btn-small btn-ghost" style={{ marginLeft: "auto" }} aria-pressed={showJson} onClick={() => setJsonView(!jsonView)} title="Edit the input as JSON instead of the form">
              JSON
            </button>
          )}
          <button type="button" className="btn btn-small btn-ghost" style={fields === null ? { marginLeft: "auto" } : undefined} onClick={props.onResetInput}>
            Example
          </button>
        </div>
        {showJson ? (
          <>
            <label htmlFor="run-input" className="visually-hidden">
              Input (JSON)
            </label>
            <textarea
              id="run-input"
              rows={4}
              spellCheck={false}
              value={inputText}
              onChange={(e) => props.onInputChange(e.target.value)}
              aria-invalid={inputProblem !== null}
              aria-describedby={inputProblem ? errorId : undefined}
            />
          </>
        ) : (
          <SchemaForm fields={fields} inputText={inputText} onInputChange={props.onInputChange} invalidField={props.inputProblemField} />
        )}
        {inputProblem && (
          <p id={errorId} className="field-error" role="alert" data-testid="input-error">
            {inputProblem}
          </p>
        )}
      </div>

      <fieldset className="mode-toggles" aria-describedby={props.modesProblem ? "modes-error" : undefined}>
        <legend>Stream modes</legend>
        {PLAYGROUND_MODES.map((mode) => (
          <label key={mode} className={`mode-toggle mode-${mode}`}>
            <input type="checkbox" checked={modes.includes(mode)} onChange={(e) => toggle(mode, e.target.checked)} />
            <span>{mode}</span>
          </label>
        ))}
        {props.modesProblem && (
          <p id="modes-error" className="field-error" role="alert" data-testid="modes-error">
            {props.modesProblem}
          </p>
        )}
      </fieldset>

      <details className="advanced" open={props.recursionLimit !== "" || props.recursionLimitProblem !== null}>
        <summary>Run config</summary>
      <div className="field">
        <label htmlFor="recursion-limit">Recursion limit</label>
        <input
          id="recursion-limit"
          type="text"
          inputMode="numeric"
          className="mono"
          placeholder="25 (default)"
          value={props.recursionLimit}
          onChange={(e) => props.onRecursionLimitChange(e.target.value)}
          aria-invalid={props.recursionLimitProblem !== null}
          aria-describedby={props.recursionLimitProblem ? "recursion-limit-error" : "recursion-limit-hint"}
        />
        {props.recursionLimitProblem ? (
          <p id="recursion-limit-error" className="field-error" role="alert">
            {props.recursionLimitProblem}
          </p>
        ) : (
          <span id="recursion-limit-hint" className="field-hint">
            Steps a run may take before it fails; raise it for long loops.
          </span>
        )}
      </div>
      </details>
    </>
  );
});

function RunActions({ canRun, canCancel, onCancel, runBlocked }: Pick<ControlsProps, "canRun" | "canCancel" | "onCancel" | "runBlocked">) {
  return (
    <>
    <div className="actions">
      <button type="submit" className="btn btn-primary" disabled={!canRun}>
        <svg width="10" height="10" viewBox="0 0 10 10" aria-hidden="true">
          <path d="M1 0.5 L9.5 5 L1 9.5 z" fill="currentColor" />
        </svg>
        Run
      </button>
      <button type="button" className="btn btn-danger" disabled={!canCancel} onClick={onCancel}>
        <svg width="9" height="9" viewBox="0 0 9 9" aria-hidden="true">
          <rect width="9" height="9" rx="1.5" fill="currentColor" />
        </svg>
        Cancel
      </button>
      <span className="kbd" aria-hidden="true">Ctrl+Enter</span>
    </div>
    {runBlocked && (
      <p className="field-hint" data-testid="run-blocked">
        {runBlocked}
      </p>
    )}
    </>
  );
}
