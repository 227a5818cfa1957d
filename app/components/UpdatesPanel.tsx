"use client";
// Every `{ node: update }` in arrival order, with its step and node; select one to see it whole.
import { memo, useMemo, useState } from "react";
import type { UpdateEntry } from "../client/runStore";
import { interruptSummary } from "../client/interruptQuestion";
import { compactJson } from "../client/compactJson";
import { splitSpace } from "../client/splitSpace";
import { firstOfStep } from "../client/stepSelection";
import { EntryDetail } from "./EntryDetail";
import { NamespaceChip } from "./NamespaceChip";
import { Panel, PanelEmpty } from "./Panel";
import { VirtualList } from "./VirtualList";

interface UpdatesPanelProps {
  updates: readonly UpdateEntry[];
  count: number;
  modeRequested: boolean;
  /** The step selected across the panels: its updates are marked and scrolled to. */
  selectedStep: number | null;
  onSelectStep: (step: number | null) => void;
}

const ROW = 46;

export const UpdatesPanel = memo(function UpdatesPanel({ updates, count, modeRequested, selectedStep, onSelectStep }: UpdatesPanelProps) {
  const [selected, setSelected] = useState<number | null>(null);
  const current = selected !== null && selected < count ? updates[selected] : undefined;
  const split = splitSpace(current !== undefined, count * ROW);
  const firstInStep = useMemo(() => firstOfStep(updates, count, selectedStep), [updates, count, selectedStep]);
  return (
    <Panel id="updates" title="Updates" mode="updates" count={count > 0 ? `${count}` : undefined} className="area-updates">
      {count === 0 ? (
        <PanelEmpty>{modeRequested ? "Each node's update appears here as it finishes." : <>Turn on <b>updates</b> to see what each node returned.</>}</PanelEmpty>
      ) : (
        <div className={split.className} style={split.style}>
          <div className="split-main">
            <VirtualList
              label="Node updates"
              count={count}
              rowHeight={ROW}
              follow
              rowVersion={(i) => updates[i]}
              listVersion={`${selected} ${selectedStep}`}
              revealIndex={firstInStep}
              renderRow={(i) => {
                const u = updates[i]!;
                return (
                  <button
                    type="button"
                    className={`entry${u.step !== null && u.step === selectedStep ? " in-step" : ""}`}
                    aria-current={i === selected}
                    onClick={() => {
                      setSelected(i === selected ? null : i);
                      if (u.step !== null) onSelectStep(u.step);
                    }}
                    data-testid="update-row"
                    data-step={u.step ?? undefined}
                  >
                    <span className="entry-line">
                      <span className="chip" title="step">{u.step === null ? `#${i + 1}` : `step ${u.step}`}</span>
                      <NamespaceChip scope={u.scope} />
                      {u.isInterrupt ? <span className="chip chip-interrupt">interrupt</span> : <span className="chip chip-node">{u.node}</span>}
                    </span>
                    {u.isInterrupt ? (
                      <span className="entry-code entry-question" data-testid="update-question">{interruptSummary(u.update, compactJson)}</span>
                    ) : (
                      <span className="entry-code">{compactJson(u.update)}</span>
                    )}
                  </button>
                );
              }}
            />
          </div>
          {current && (
            <EntryDetail
              title={
                <>
                  {current.scope ? `${current.scope.label} › ` : ""}
                  {current.isInterrupt ? "interrupt" : current.node} · {current.step === null ? `#${(selected ?? 0) + 1}` : `step ${current.step}`}
                </>
              }
              value={current.update}
              onClose={() => setSelected(null)}
            />
          )}
        </div>
      )}
    </Panel>
  );
});
