"use client";
// The `custom` chunks nodes wrote with their stream writer, with the step (and node, when known).
import { memo, useState } from "react";
import type { CustomEntry } from "../client/runStore";
import { compactJson } from "../client/compactJson";
import { splitSpace } from "../client/splitSpace";
import { EntryDetail } from "./EntryDetail";
import { NamespaceChip } from "./NamespaceChip";
import { Panel, PanelEmpty } from "./Panel";
import { VirtualList } from "./VirtualList";

interface CustomPanelProps {
  custom: readonly CustomEntry[];
  count: number;
  modeRequested: boolean;
  /** The step selected across the panels: its chunks are marked. */
  selectedStep: number | null;
}

const ROW = 44;

export const CustomPanel = memo(function CustomPanel({ custom, count, modeRequested, selectedStep }: CustomPanelProps) {
  const [selected, setSelected] = useState<number | null>(null);
  const current = selected !== null && selected < count ? custom[selected] : undefined;
  const split = splitSpace(current !== undefined, count * ROW);
  return (
    <Panel id="custom" title="Custom" mode="custom" count={count > 0 ? `${count}` : undefined}>
      {count === 0 ? (
        <PanelEmpty>{modeRequested ? "Data nodes write with their stream writer appears here." : <>Turn on <b>custom</b> to see what nodes write.</>}</PanelEmpty>
      ) : (
        <div className={split.className} style={split.style}>
          <div className="split-main">
            <VirtualList
              label="Custom chunks"
              count={count}
              rowHeight={ROW}
              follow
              rowVersion={(i) => custom[i]}
              listVersion={`${selected} ${selectedStep}`}
              renderRow={(i) => {
                const c = custom[i]!;
                return (
                  <button type="button" className={`entry${c.step !== null && c.step === selectedStep ? " in-step" : ""}`} aria-current={i === selected} onClick={() => setSelected(i === selected ? null : i)} data-testid="custom-row">
                    <span className="entry-line">
                      {c.step !== null && <span className="chip">step {c.step}</span>}
                      <NamespaceChip scope={c.scope} />
                      {c.node && <span className="chip chip-node">{c.node}</span>}
                    </span>
                    <span className="entry-code">{compactJson(c.chunk)}</span>
                  </button>
                );
              }}
            />
          </div>
          {current && <EntryDetail title={`custom · ${current.step === null ? "" : `step ${current.step}`}`} value={current.chunk} onClose={() => setSelected(null)} />}
        </div>
      )}
    </Panel>
  );
});
