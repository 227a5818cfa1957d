// Which checkpoint a selected step is: the step's checkpoint from the run's own debug events (each
// "checkpoint" event names its id), else the thread's history entry of that step made by this run
// (its metadata's run_id), else the history's only entry of that step. Time travel forks from it.

export interface StepCheckpoint {
  step: number;
  checkpointId: string;
}

interface DebugCheckpoint {
  step: number;
  payload: { config: { configurable: { checkpoint_id?: string; checkpoint_ns?: string } } };
}

interface HistoryEntry {
  checkpointId: string;
  metadata: unknown;
}

function stepOf(metadata: unknown): number | null {
  const step = (metadata as { step?: unknown } | null)?.step;
  return typeof step === "number" ? step : null;
}

function runOf(metadata: unknown): string | null {
  const runId = (metadata as { run_id?: unknown } | null)?.run_id;
  return typeof runId === "string" ? runId : null;
}

export function checkpointOfStep(
  step: number | null,
  runCheckpoints: readonly DebugCheckpoint[],
  history: readonly HistoryEntry[],
  runId: string | null,
): StepCheckpoint | null {
  if (step === null) return null;
  // The last checkpoint the run saved at that step (top level: subgraph checkpoints have a namespace).
  for (let i = runCheckpoints.length - 1; i >= 0; i--) {
    const c = runCheckpoints[i]!;
    const id = c.payload.config.configurable.checkpoint_id;
    if (c.step === step && id && !c.payload.config.configurable.checkpoint_ns) return { step, checkpointId: id };
  }
  const atStep = history.filter((h) => stepOf(h.metadata) === step);
  const ofRun = runId ? atStep.find((h) => runOf(h.metadata) === runId) : undefined;
  if (ofRun) return { step, checkpointId: ofRun.checkpointId };
  return atStep.length === 1 ? { step, checkpointId: atStep[0]!.checkpointId } : null;
}

/** A checkpoint's step as its history row shows it ("step 2", "input" for step -1). */
export function checkpointStepLabel(metadata: unknown): string {
  const step = stepOf(metadata);
  if (step === null) return "step ?";
  return step < 0 ? "input" : `step ${step}`;
}

export { stepOf as checkpointStep };
