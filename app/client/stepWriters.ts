// Which nodes wrote in a step, from the run's "updates" entries. Entries come in step order (the run
// store's step numbers only grow), so this scans back from the newest entry and stops at an earlier
// step: following a run, that is the last step's few entries, not every update so far.
import type { UpdateEntry } from "./runStore";

/** The root nodes whose updates (not interrupts, not a subgraph's inner nodes') among the first `count` entries belong to `step`, in stream order. */
export function stepWriters(updates: readonly UpdateEntry[], count: number, step: number): string[] {
  const found: string[] = [];
  for (let i = Math.min(count, updates.length) - 1; i >= 0; i--) {
    const update = updates[i]!;
    if (update.step !== null && update.step < step) break;
    if (update.step === step && !update.isInterrupt && update.scope === null) found.push(update.node);
  }
  return [...new Set(found.reverse())];
}
