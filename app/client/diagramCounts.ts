// What the diagram says about a run: how many tasks each node ran, and how many times the run took each
// conditional edge (a Send fan-out counts its tasks). Read from the tasks (debug or tasks mode): a task of
// node T at step s came along edge S→T when S is the only source of an edge into T that ran at step s-1
// (the start "runs" at step 0); when several could have sent it, no edge is credited.
import type { StructureEdge } from "./graphLayout";
import { START } from "./graphLayout";

export interface DiagramCounts {
  /** Tasks per node. */
  nodes: Map<string, number>;
  /** Per edge (same order as the structure's edges): times taken, and whether any was a Send. */
  edges: Array<{ taken: number; sends: number }>;
}

interface TaskLike {
  name: string;
  step: number;
  triggers: readonly string[];
}

export function diagramCounts(tasks: readonly TaskLike[], taskCount: number, edges: readonly StructureEdge[]): DiagramCounts {
  const nodes = new Map<string, number>();
  const ranAt = new Map<number, Set<string>>();
  const ran = (step: number) => ranAt.get(step) ?? ranAt.set(step, new Set()).get(step)!;
  ran(0).add(START);
  for (let i = 0; i < taskCount; i++) {
    const task = tasks[i]!;
    nodes.set(task.name, (nodes.get(task.name) ?? 0) + 1);
    ran(task.step).add(task.name);
  }
  const into = new Map<string, number[]>();
  edges.forEach((edge, i) => (into.get(edge.target) ?? into.set(edge.target, []).get(edge.target)!).push(i));
  const counts = edges.map(() => ({ taken: 0, sends: 0 }));
  for (let i = 0; i < taskCount; i++) {
    const task = tasks[i]!;
    const before = ranAt.get(task.step - 1);
    if (!before) continue;
    const candidates = (into.get(task.name) ?? []).filter((e) => before.has(edges[e]!.source));
    if (candidates.length !== 1) continue;
    const count = counts[candidates[0]!]!;
    count.taken++;
    if (task.triggers.includes("__pregel_push")) count.sends++;
  }
  return { nodes, edges: counts };
}

/** A conditional edge's label: "Send ×3" for a fan-out, "×2" for a branch taken twice, else "if". */
export function edgeLabel(count: { taken: number; sends: number } | undefined): string {
  if (!count || count.taken === 0) return "if";
  return count.sends > 0 ? `Send ×${count.sends}` : `×${count.taken}`;
}
