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
  /** "parent/name" for a task inside a subgraph (counted under that key, and never credited to an edge of the root graph). */
  nodeKey?: string;
  scope?: object | null;
}

/**
 * Counts kept up to date as tasks arrive: each update reads only the tasks added since the last one (the
 * list is append-only, and a step's tasks all start after the previous step's), so following a run of
 * thousands of steps costs each task once. A new run (a new task list) or structure needs a new counter.
 */
export class DiagramCounter {
  private processed = 0;
  private readonly nodes = new Map<string, number>();
  private readonly ranAt = new Map<number, Set<string>>([[0, new Set([START])]]);
  private readonly into = new Map<string, number[]>();
  private readonly counts: Array<{ taken: number; sends: number }>;

  constructor(private readonly edges: readonly StructureEdge[]) {
    edges.forEach((edge, i) => (this.into.get(edge.target) ?? this.into.set(edge.target, []).get(edge.target)!).push(i));
    this.counts = edges.map(() => ({ taken: 0, sends: 0 }));
  }

  update(tasks: readonly TaskLike[], taskCount: number): DiagramCounts {
    for (let i = this.processed; i < taskCount; i++) {
      const task = tasks[i]!;
      const key = task.nodeKey ?? task.name;
      this.nodes.set(key, (this.nodes.get(key) ?? 0) + 1);
      if (task.scope) continue;
      (this.ranAt.get(task.step) ?? this.ranAt.set(task.step, new Set()).get(task.step)!).add(task.name);
      const before = this.ranAt.get(task.step - 1);
      if (!before) continue;
      const candidates = (this.into.get(task.name) ?? []).filter((e) => before.has(this.edges[e]!.source));
      if (candidates.length !== 1) continue;
      const count = this.counts[candidates[0]!]!;
      count.taken++;
      if (task.triggers.includes("__pregel_push")) count.sends++;
    }
    this.processed = Math.max(this.processed, taskCount);
    return { nodes: this.nodes, edges: this.counts };
  }
}

/** The counts for the first `taskCount` tasks, in one go. */
export function diagramCounts(tasks: readonly TaskLike[], taskCount: number, edges: readonly StructureEdge[]): DiagramCounts {
  return new DiagramCounter(edges).update(tasks, taskCount);
}

/** A conditional edge's label: "Send ×3" for a fan-out, "×2" for a branch taken twice, else "if". */
export function edgeLabel(count: { taken: number; sends: number } | undefined): string {
  if (!count || count.taken === 0) return "if";
  return count.sends > 0 ? `Send ×${count.sends}` : `×${count.taken}`;
}
