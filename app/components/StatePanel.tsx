"use client";
// The latest `values` as a tree, with a scrubber over every state the run went through; the keys the
// selected step changed are highlighted. The scrubber follows the newest state until the user moves it.
import { memo, useMemo } from "react";
import type { UpdateEntry, ValuesEntry } from "../client/runStore";
import { changedKeys } from "../client/stateDiff";
import { stateIndexOfStep } from "../client/stepSelection";
import { stepWriters } from "../client/stepWriters";
import { JsonTree } from "./JsonTree";
import { Panel, PanelEmpty } from "./Panel";

interface StatePanelProps {
  values: readonly ValuesEntry[];
  /** How many entries of `values` to show (the list grows in place). */
  count: number;
  updates: readonly UpdateEntry[];
  updatesCount: number;
  modeRequested: boolean;
  /** The step selected across the panels (null: follow the newest state). */
  selectedStep: number | null;
  onSelectStep: (step: number | null) => void;
}

export const StatePanel = memo(function StatePanel({ values, count, updates, updatesCount, modeRequested, selectedStep, onSelectStep }: StatePanelProps) {
  const index = useMemo(() => stateIndexOfStep(values, count, selectedStep), [values, count, selectedStep]);
  // The scrubber picks a state; its step is selected everywhere (the newest state: follow again).
  const setPicked = (next: number) => onSelectStep(next >= count - 1 ? null : values[next]!.step);
  const entry = index >= 0 ? values[index] : undefined;
  const previous = index > 0 ? values[index - 1] : undefined;

  const changed = useMemo(() => new Set(entry ? changedKeys(previous?.values, entry.values) : []), [entry, previous]);
  // Which nodes wrote in this step, from "updates" when requested.
  const writers = useMemo(() => (!entry || entry.step === 0 ? [] : stepWriters(updates, updatesCount, entry.step)), [entry, updates, updatesCount]);

  const following = selectedStep === null || index >= count - 1;
  const label = entry ? (entry.step === 0 && index === 0 ? "input" : `step ${entry.step}`) : "";

  return (
    <Panel id="state" title="State" mode="values" count={count > 0 ? `${count} ${count === 1 ? "state" : "states"}` : undefined} className="area-state">
      {!entry ? (
        <PanelEmpty>{modeRequested ? "The state after each step appears here." : <>Turn on <b>values</b> to see the state after each step.</>}</PanelEmpty>
      ) : (
        <div className="split">
          <div className="scrubber">
            <button type="button" className="btn btn-small btn-ghost" aria-label="Previous state" disabled={index <= 0} onClick={() => setPicked(index - 1)}>
              ‹
            </button>
            <input
              type="range"
              aria-label="Step: choose which state to show"
              min={0}
              max={Math.max(0, count - 1)}
              value={index}
              onChange={(e) => {
                const next = Number(e.target.value);
                setPicked(next);
              }}
            />
            <button type="button" className="btn btn-small btn-ghost" aria-label="Next state" disabled={index >= count - 1} onClick={() => setPicked(index + 1)}>
              ›
            </button>
            <output aria-live="off" data-testid="state-step">
              {label}
              {following ? " · latest" : ""}
            </output>
            {selectedStep !== null && (
              <button type="button" className="btn btn-small btn-ghost" onClick={() => onSelectStep(null)} title="Follow the newest state again: no step selected">
                Latest
              </button>
            )}
          </div>
          {(changed.size > 0 || writers.length > 0) && (
            <div className="changed-keys">
              {writers.length > 0 && (
                <>
                  after {writers.map((w) => <span key={w} className="chip chip-node" data-testid="step-writer">{w}</span>)}
                </>
              )}
              {changed.size > 0 && (
                <>
                  <span>changed</span>
                  {[...changed].map((k) => (
                    <span key={k} className="chip chip-interrupt" data-testid="changed-key">
                      {k}
                    </span>
                  ))}
                </>
              )}
            </div>
          )}
          <div className="split-main" style={{ overflow: "auto" }}>
            <JsonTree value={entry.values} changed={changed} label={`State at ${label}`} />
          </div>
        </div>
      )}
    </Panel>
  );
});
