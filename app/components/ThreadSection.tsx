"use client";
// The shown run's thread, under the run bar: closed it is one line and fetches nothing; open (and on a
// thread's page) it loads the thread through useThread and renders ThreadView.
import { memo } from "react";
import { checkpointOfStep } from "../client/checkpointOfStep";
import type { RunData } from "../client/runStore";
import type { RillConnection } from "../client/trpcClient";
import { useThread } from "../client/useThread";
import { ThreadView, type ThreadViewProps } from "./ThreadView";

interface ThreadSectionProps extends Omit<ThreadViewProps, "data" | "selectedCheckpointId"> {
  connection: RillConnection | null;
  threadId: string | null;
  open: boolean;
  onToggle(open: boolean): void;
  /** Changes when the shown run starts or ends: the thread is fetched again. */
  refreshKey: string;
  selectedStep: number | null;
  run: RunData;
}

export const ThreadSection = memo(function ThreadSection({ connection, threadId, open, onToggle, refreshKey, selectedStep, run, ...view }: ThreadSectionProps) {
  const data = useThread(connection, open ? threadId : null, refreshKey);
  if (!threadId) return <div className="thread-slot" />;
  const selected = checkpointOfStep(selectedStep, run.checkpoints, data?.history ?? [], run.runId);
  return (
    <div className="thread-slot">
      <details className="thread-section" open={open} data-testid="thread-section" onToggle={(e) => onToggle((e.currentTarget as HTMLDetailsElement).open)}>
        <summary>
          Thread <code>{threadId}</code>
          {selectedStep !== null && <span className="field-hint"> · step {selectedStep} selected{selected ? "" : " (no checkpoint of it on this thread)"}</span>}
        </summary>
        {open && <ThreadView data={data} selectedCheckpointId={selected?.checkpointId ?? null} {...view} />}
      </details>
    </div>
  );
});
