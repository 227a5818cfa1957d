// The timeline's rows when a run has tasks inside subgraphs: each such task right under the task that
// runs its subgraph (and its own inner tasks under it), in arrival order among siblings. Tasks arrive
// in the order they start, so a step's root tasks all come before any subgraph task of that step; this
// puts the inner ones back under their parent. One pass over the tasks, O(n); a run without subgraph
// tasks never calls it (the page passes the run's own array).
import type { TaskEntry } from "./runStore";

/** The first `count` tasks with each subgraph task under its parent task; a task whose parent is unknown stays where it arrived. */
export function nestTasks(tasks: readonly TaskEntry[], count: number): TaskEntry[] {
  const n = Math.min(count, tasks.length);
  const known = new Set<string>();
  for (let i = 0; i < n; i++) known.add(tasks[i]!.id);
  const children = new Map<string, number[]>();
  const roots: number[] = [];
  for (let i = 0; i < n; i++) {
    const parent = tasks[i]!.scope?.parentTaskId;
    if (parent !== undefined && known.has(parent)) (children.get(parent) ?? children.set(parent, []).get(parent)!).push(i);
    else roots.push(i);
  }
  const ordered: TaskEntry[] = [];
  // Depth first with an explicit stack (deep nesting never recurses): push siblings in reverse.
  const stack: number[] = [];
  for (let r = roots.length - 1; r >= 0; r--) stack.push(roots[r]!);
  while (stack.length > 0) {
    const task = tasks[stack.pop()!]!;
    ordered.push(task);
    const inner = children.get(task.id);
    if (inner) for (let c = inner.length - 1; c >= 0; c--) stack.push(inner[c]!);
  }
  return ordered;
}
