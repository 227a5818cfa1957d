"use client";
// Tasks per step as bars from start to result on one time axis, from the `debug` (or `tasks`) events:
// durations, errors in red, interrupts marked. Selecting a task shows its triggers, input and result.
import { memo, useMemo, useState } from "react";
import type { TaskEntry } from "../client/runStore";
import { formatDuration, formatTick } from "../client/formatDuration";
import { splitSpace } from "../client/splitSpace";
import { firstOfStep } from "../client/stepSelection";
import { EntryDetail } from "./EntryDetail";
import { JsonTree } from "./JsonTree";
import { NamespaceChip } from "./NamespaceChip";
import { Panel, PanelEmpty } from "./Panel";
import { VirtualList } from "./VirtualList";

interface DebugTimelineProps {
  tasks: readonly TaskEntry[];
  version: number;
  /** The right end of the axis (server clock): the latest task time, moving on while tasks run. */
  end: number;
  modeRequested: boolean;
  /** The step selected across the panels: its tasks are marked and scrolled to. */
  selectedStep: number | null;
  onSelectStep: (step: number | null) => void;
}

const ROW = 26;
/** The time axis over the rows (px; .tl-axis in globals.css). */
const AXIS = 22;

export const DebugTimeline = memo(function DebugTimeline({ tasks, version, end, modeRequested, selectedStep, onSelectStep }: DebugTimelineProps) {
  const [selected, setSelected] = useState<number | null>(null);
  const count = tasks.length;
  const t0 = count > 0 ? tasks[0]!.startedAt : 0;
  const span = Math.max(1, end - t0);
  const errors = countErrors(tasks, version);
  const current = selected !== null && selected < count ? tasks[selected] : undefined;
  const split = splitSpace(current !== undefined, count * ROW, AXIS);
  const firstInStep = useMemo(() => firstOfStep(tasks, count, selectedStep), [tasks, count, version, selectedStep]);

  return (
    <Panel
      id="timeline"
      title="Debug timeline"
      mode="debug"
      className="area-timeline"
      count={count > 0 ? `${count} tasks · ${formatDuration(span)}${errors > 0 ? ` · ${errors} failed` : ""}` : undefined}
      actions={
        <div className="legend" aria-hidden="true">
          <span><i style={{ background: "var(--green)" }} />done</span>
          <span><i style={{ background: "var(--accent)" }} />running</span>
          <span><i style={{ background: "var(--red)" }} />error</span>
          <span><i style={{ background: "var(--amber)" }} />interrupt</span>
          <span><i style={{ background: "var(--text-faint)" }} />cancelled</span>
        </div>
      }
    >
      {count === 0 ? (
        <PanelEmpty>{modeRequested ? "Tasks appear here as each step starts them." : <>Turn on <b>debug</b> to see each task's start, result and duration.</>}</PanelEmpty>
      ) : (
        <div className={split.className} style={split.style}>
          <div className="tl-axis" aria-hidden="true">
            <span className="tl-step">step</span>
            <span>task</span>
            <span className="tl-ticks">
              {[0, 0.25, 0.5, 0.75, 1].map((f) => (
                <span key={f} style={{ left: `${f * 100}%` }}>
                  {formatTick(span * f, span)}
                </span>
              ))}
            </span>
            <span style={{ textAlign: "right" }}>duration</span>
          </div>
          {/* Bars are placed by CSS from these two and each bar's own offsets (ms from the first task's
              start): as the axis grows, only these change, and no row renders again. */}
          <div className="split-main" style={{ "--tl-span": span, "--tl-now": end - t0 }}>
            <VirtualList
              label="Tasks by step"
              count={count}
              rowHeight={ROW}
              follow
              rowVersion={(i) => {
                const task = tasks[i]!;
                return `${task.id} ${task.state} ${task.step} ${task.startedAt} ${task.endedAt} ${i > 0 ? tasks[i - 1]!.step : ""}`;
              }}
              listVersion={`${t0} ${selected} ${selectedStep}`}
              revealIndex={firstInStep}
              renderRow={(i) => {
                const task = tasks[i]!;
                const duration = task.endedAt === null ? null : task.endedAt - task.startedAt;
                return (
                  <button
                    type="button"
                    className={`tl-row ${task.state}${task.step % 2 === 1 ? " odd-step" : ""}${task.step === selectedStep ? " in-step" : ""}`}
                    aria-current={i === selected}
                    aria-label={`Step ${task.step}, ${task.name}${task.scope ? ` in ${task.scope.label}` : ""}, ${task.state}${duration === null ? "" : `, ${formatDuration(duration)}`}`}
                    onClick={() => {
                      setSelected(i === selected ? null : i);
                      onSelectStep(task.step);
                    }}
                    data-step={task.step}
                    data-testid="timeline-task"
                    data-state={task.state}
                    data-node={task.name}
                    data-namespace={task.scope?.label}
                  >
                    <span className="tl-step">{i === 0 || tasks[i - 1]!.step !== task.step ? task.step : ""}</span>
                    {task.scope ? (
                      // A subgraph's task sits under the task running the subgraph, indented by its depth.
                      <span className="tl-name tl-inner" title={`in subgraph ${task.scope.label}; triggers: ${task.triggers.join(", ")}`} style={{ paddingLeft: task.scope.depth * 12 }}>
                        <span className="tl-indent" aria-hidden="true">↳ </span>
                        {task.name}
                      </span>
                    ) : (
                      <span className="tl-name" title={`triggers: ${task.triggers.join(", ")}`}>
                        {task.name}
                      </span>
                    )}
                    <span className="tl-track">
                      <span className={`tl-bar ${task.state}`} style={task.endedAt === null ? { "--s": task.startedAt - t0 } : { "--s": task.startedAt - t0, "--e": Math.max(task.startedAt, task.endedAt) - t0 }} />
                      {task.state === "interrupted" && (
                        <span className="tl-mark" style={{ "--e": Math.max(task.startedAt, task.endedAt ?? end) - t0 }} title="interrupted">
                          ‖
                        </span>
                      )}
                    </span>
                    <span className="tl-dur">{duration === null ? "…" : formatDuration(duration)}</span>
                  </button>
                );
              }}
            />
          </div>
          {current && <TaskDetail task={current} onClose={() => setSelected(null)} />}
        </div>
      )}
    </Panel>
  );
});

function TaskDetail({ task, onClose }: { task: TaskEntry; onClose: () => void }) {
  return (
    <EntryDetail title={`${task.name} · step ${task.step}`} onClose={onClose}>
      <dl>
        {task.scope && (
          <>
            <dt>subgraph</dt>
            <dd>
              <NamespaceChip scope={task.scope} /> {task.scope.label}
            </dd>
          </>
        )}
        <dt>state</dt>
        <dd>{task.state}</dd>
        <dt>duration</dt>
        <dd>{task.endedAt === null ? "running" : formatDuration(task.endedAt - task.startedAt)}</dd>
        <dt>started</dt>
        <dd>{new Date(task.startedAt).toISOString()}</dd>
        <dt>task id</dt>
        <dd>{task.id}</dd>
        <dt>triggers</dt>
        <dd className="triggers">
          {task.triggers.length === 0 ? "—" : task.triggers.map((t) => <span key={t} className="chip">{t}</span>)}
        </dd>
      </dl>
      {task.error && (
        <div className="error-box" role="alert">
          {task.error.name}: {task.error.message}
        </div>
      )}
      {task.interrupts.length > 0 && (
        <div className="interrupt-box">
          Interrupted: <JsonTree value={task.interrupts.map((i) => i.value)} />
        </div>
      )}
      <h4>Input</h4>
      <JsonTree value={task.input} openDepth={2} />
      <h4>Result</h4>
      {task.endedAt === null ? <div className="panel-empty">still running</div> : <JsonTree value={task.result} openDepth={2} />}
    </EntryDetail>
  );
}

/** Counted again only when the tasks moved, not on every selection change. */
const errorCounts = new WeakMap<readonly TaskEntry[], { version: number; count: number }>();
function countErrors(tasks: readonly TaskEntry[], version: number): number {
  const hit = errorCounts.get(tasks);
  if (hit && hit.version === version) return hit.count;
  let count = 0;
  for (const task of tasks) if (task.state === "error") count++;
  errorCounts.set(tasks, { version, count });
  return count;
}
