"use client";
// Every event exactly as received, in order: as the seed prints it (Python style) or as JSON lines.
// Copy puts the whole log on the clipboard; Export saves it as a .jsonl file.
import { memo, useState } from "react";
import type { ReceivedEvent } from "../client/runStore";
import { splitSpace } from "../client/splitSpace";
import { formatChunk, formatLog, isServerEvent, namespaceOf, toJsonl, type RawFormat } from "../client/rawFormat";
import { EntryDetail } from "./EntryDetail";
import { Panel, PanelEmpty } from "./Panel";
import { VirtualList } from "./VirtualList";

interface RawPanelProps {
  events: readonly ReceivedEvent[];
  count: number;
  runId: string | null;
  /** The run asked for one mode: the seed prints bare chunks then. */
  singleMode: boolean;
}

export const RawPanel = memo(function RawPanel({ events, count, runId, singleMode }: RawPanelProps) {
  const [format, setFormat] = useState<RawFormat>("seed");
  const [selected, setSelected] = useState<number | null>(null);
  const [copied, setCopied] = useState<string | null>(null);
  const current = selected !== null && selected < count ? events[selected] : undefined;
  const seedHead = format === "seed" && !singleMode;
  const rowHeight = seedHead ? 40 : 24;
  const split = splitSpace(current !== undefined, count * rowHeight);

  const copy = async () => {
    // Every event received so far, not only the rows painted yet (the panel follows a fast run paced).
    const all = events.slice();
    const text = formatLog(all, format, singleMode);
    setCopied((await copyText(text)) ? `Copied ${all.length} events` : "Copy failed");
    setTimeout(() => setCopied(null), 2000);
  };
  const exportJsonl = () => {
    const blob = new Blob([toJsonl(events.slice())], { type: "application/x-ndjson" });
    const url = URL.createObjectURL(blob);
    const a = document.createElement("a");
    a.href = url;
    a.download = `rill-run-${runId ?? "events"}.jsonl`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };

  return (
    <Panel
      id="raw"
      title="Raw"
      mode="raw"
      count={count > 0 ? `${count}` : undefined}
      actions={
        <>
          <span className="segmented" role="group" aria-label="Raw format">
            <button type="button" aria-pressed={format === "seed"} onClick={() => setFormat("seed")} title="As the streaming guide's Python prints them">
              seed
            </button>
            <button type="button" aria-pressed={format === "json"} onClick={() => setFormat("json")} title="Exactly as received, one JSON line each">
              json
            </button>
          </span>
          <button type="button" className="btn btn-small btn-ghost" onClick={copy} disabled={count === 0}>
            {copied ?? "Copy"}
          </button>
          <button type="button" className="btn btn-small btn-ghost" onClick={exportJsonl} disabled={count === 0} aria-label="Export JSONL" title="Download the events as JSON lines">
            Export
          </button>
        </>
      }
    >
      {count === 0 ? (
        <PanelEmpty>Every tuple the server sends appears here exactly as received.</PanelEmpty>
      ) : (
        <div className={split.className} style={split.style}>
          <div className="split-main">
            <VirtualList
              label="Events as received"
              count={count}
              rowHeight={rowHeight}
              follow
              rowVersion={(i) => events[i]}
              listVersion={`${format} ${singleMode} ${selected}`}
              renderRow={(i) => {
                const e = events[i]!;
                const server = isServerEvent(e.event);
                const mode = e.event[0];
                return (
                  <button
                    type="button"
                    className={`raw-row mode-${mode}${server ? " raw-server" : ""}${mode === "error" ? " raw-error" : ""}`}
                    aria-current={i === selected}
                    onClick={() => setSelected(i === selected ? null : i)}
                    data-testid="raw-row"
                    data-mode={mode}
                    data-event-id={e.id}
                  >
                    {seedHead && (
                      <span className="raw-head">
                        {server ? <span>{mode} (server)</span> : <span>Stream mode: {mode}{namespaceOf(e.event)}</span>}
                        <span className="seq" title={e.id}>
                          #{Number.isNaN(e.seq) ? e.id : e.seq}
                        </span>
                      </span>
                    )}
                    <span className="raw-code">{formatChunk(e.event, format)}</span>
                  </button>
                );
              }}
            />
          </div>
          {current && (
            <EntryDetail title={`${current.event[0]}${namespaceOf(current.event)} · ${current.id}`} onClose={() => setSelected(null)}>
              <div className="raw-detail">
                <pre>{JSON.stringify(current.event[1], null, 2)}</pre>
              </div>
            </EntryDetail>
          )}
        </div>
      )}
    </Panel>
  );
});

async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // Clipboard API refused (permissions, insecure origin): fall back to a selection copy.
    const area = document.createElement("textarea");
    area.value = text;
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    const ok = document.execCommand("copy");
    area.remove();
    return ok;
  }
}
