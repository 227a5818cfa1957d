// The step-by-step synchronous driver behind streamSync: a generator that pauses after each phase, so
// the consumer reads a step's chunks before the next step runs (memory bounded by one step).
import { executeTask } from "./execute";
import type { PregelLoop } from "./loop";

function mustBeSync(value: unknown): void {
  if (value !== undefined) {
    (value as Promise<unknown>).then(undefined, () => {});
    throw new Error("streamSync can only run synchronous graphs (a checkpointer or path function returned a Promise); use stream() instead.");
  }
}

export function* driveSteps(loop: PregelLoop, input: unknown): Generator<void, void, void> {
  mustBeSync(loop.begin(input));
  yield;
  while (loop.nextStep()) {
    yield;
    if (loop.run.cancelled) return;
    mustBeSync(loop.runTasks(executeTask));
    loop.commitStep();
    yield;
  }
  mustBeSync(loop.finish());
}
