// One step selected across the panels: the State scrubber, a timeline row or an update picks a step, and
// every panel marks what belongs to it (the diagram its nodes, the timeline its tasks, Updates its
// updates). Nothing is computed while no step is selected; with one, each lookup is one pass over the
// entries, made again only when the selection or the entries move.

interface Stepped {
  step: number | null;
}

/** The first entry of `step` among the first `count` (entries come in step order), or null. */
export function firstOfStep(entries: readonly Stepped[], count: number, step: number | null): number | null {
  if (step === null) return null;
  for (let i = 0; i < Math.min(count, entries.length); i++) {
    const s = entries[i]!.step;
    if (s === step) return i;
    if (s !== null && s > step) return null;
  }
  return null;
}

/** The state to show for `step`: the newest of that step, else the newest before it; null follows the latest. */
export function stateIndexOfStep(values: readonly { step: number }[], count: number, step: number | null): number {
  const last = Math.min(count, values.length) - 1;
  if (step === null) return last;
  for (let i = last; i >= 0; i--) if (values[i]!.step <= step) return i;
  return last;
}

/**
 * The diagram's node keys that ran at `step`: from the tasks (debug or tasks mode), else from the
 * updates; null when no step is selected.
 */
export function nodesOfStep(
  step: number | null,
  tasks: readonly { step: number; nodeKey: string }[],
  updates: readonly { step: number | null; nodeKey: string; isInterrupt: boolean }[],
): ReadonlySet<string> | null {
  if (step === null) return null;
  const found = new Set<string>();
  for (const task of tasks) if (task.step === step) found.add(task.nodeKey);
  if (found.size === 0) for (const update of updates) if (update.step === step && !update.isInterrupt) found.add(update.nodeKey);
  return found;
}
