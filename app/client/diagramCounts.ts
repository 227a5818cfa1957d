// What the diagram says about a run: how many tasks each node ran, and how many times the run took each
// conditional edge (a Send fan-out counts its tasks). Read from the tasks (debug or tasks mode): a task of
// node T at step s came along edge S→T when S is the only source of an edge into T that ran at step s-1
// (the start "runs" at step 0); when several could have sent it, no edge is credited. Inside a subgraph
// the same, by the subgraph's own steps (debug mode), for each run of it apart.
import type { Structure, StructureEdge } from "./graphLayout";
import { START } from "./graphLayout";

export interface DiagramCounts {
  /** Tasks per node. */
  nodes: Map<string, number>;
  /** Per edge (same order as the structure's edges): times taken, and whether any was a Send. */
  edges: EdgeCount[];
  /** A subgraph's edges the same way, by the path of the nodes it sits in ("writers_room"). */
  inner: Map<string, EdgeCount[]>;
}

export interface EdgeCount {
  taken: number;
  sends: number;
}

interface TaskLike {
  name: string;
  step: number;
  triggers: readonly string[];
  /** "parent/name" for a task inside a subgraph (counted under that key). */
  nodeKey?: string;
  /** Inside a subgraph: its namespace (label: one run of the subgraph; path: where it sits). */
  scope?: { label: string; path: string } | null;
  /** Inside a subgraph: the subgraph's own step (debug mode); without it no inner edge is credited. */
  innerStep?: number;
}

/** One graph's edges and how often each was taken. */
class EdgeTally {
  readonly counts: EdgeCount[];
  private readonly into = new Map<string, number[]>();

  constructor(private readonly edges: readonly StructureEdge[]) {
    edges.forEach((edge, i) => (this.into.get(edge.target) ?? this.into.set(edge.target, []).get(edge.target)!).push(i));
    this.counts = edges.map(() => ({ taken: 0, sends: 0 }));
  }

  /** A task of node `name` ran after the nodes in `before` (the previous step's): credit its one edge. */
  credit(name: string, triggers: readonly string[], before: ReadonlySet<string>): void {
    const candidates = (this.into.get(name) ?? []).filter((e) => before.has(this.edges[e]!.source));
    if (candidates.length !== 1) return;
    const count = this.counts[candidates[0]!]!;
    count.taken++;
    if (triggers.includes("__pregel_push")) count.sends++;
  }
}

const STARTED: ReadonlySet<string> = new Set([START]);

/**
 * Counts kept up to date as tasks arrive: each update reads only the tasks added since the last one (the
 * list is append-only, and a step's tasks all start after the previous step's), so following a run of
 * thousands of steps costs each task once. A subgraph's edges are credited the same way from its own
 * steps, each run of it (its namespace) apart. A new run (a new task list) or structure needs a new counter.
 */
export class DiagramCounter {
  private processed = 0;
  private readonly nodes = new Map<string, number>();
  private readonly root: EdgeTally;
  private readonly tallies = new Map<string, EdgeTally | null>();
  private readonly inner = new Map<string, EdgeCount[]>();
  /** Which nodes ran at each step: the root's by "@<step>", a subgraph run's by "<namespace>@<its step>". */
  private readonly ranAt = new Map<string, Set<string>>();

  constructor(edges: readonly StructureEdge[], private readonly subgraphs?: Structure["subgraphs"]) {
    this.root = new EdgeTally(edges);
  }

  /** The tally of the subgraph at `path` ("a/b": b inside a), made on its first task; null when the structure has no such subgraph. */
  private tallyOf(path: string): EdgeTally | null {
    let tally = this.tallies.get(path);
    if (tally !== undefined) return tally;
    let structure: Structure | undefined;
    let subgraphs = this.subgraphs;
    for (const name of path.split("/")) {
      structure = subgraphs?.[name];
      subgraphs = structure?.subgraphs;
    }
    tally = structure ? new EdgeTally(structure.edges) : null;
    this.tallies.set(path, tally);
    if (tally) this.inner.set(path, tally.counts);
    return tally;
  }

  update(tasks: readonly TaskLike[], taskCount: number): DiagramCounts {
    for (let i = this.processed; i < taskCount; i++) {
      const task = tasks[i]!;
      const key = task.nodeKey ?? task.name;
      this.nodes.set(key, (this.nodes.get(key) ?? 0) + 1);
      let tally: EdgeTally | null = this.root;
      let step = task.step;
      let run = "";
      if (task.scope) {
        if (task.innerStep === undefined) continue;
        tally = this.tallyOf(task.scope.path);
        step = task.innerStep;
        run = task.scope.label;
      }
      if (!tally) continue;
      const at = `${run}@${step}`;
      (this.ranAt.get(at) ?? this.ranAt.set(at, new Set()).get(at)!).add(task.name);
      const before = step <= 1 ? STARTED : this.ranAt.get(`${run}@${step - 1}`);
      if (before) tally.credit(task.name, task.triggers, before);
    }
    this.processed = Math.max(this.processed, taskCount);
    return { nodes: this.nodes, edges: this.root.counts, inner: this.inner };
  }
}

/** The counts for the first `taskCount` tasks, in one go. */
export function diagramCounts(tasks: readonly TaskLike[], taskCount: number, edges: readonly StructureEdge[], subgraphs?: Structure["subgraphs"]): DiagramCounts {
  return new DiagramCounter(edges, subgraphs).update(tasks, taskCount);
}

/** A conditional edge's label: "Send ×3" for a fan-out, "×2" for a branch taken twice, else "if". */
export function edgeLabel(count: { taken: number; sends: number } | undefined): string {
  if (!count || count.taken === 0) return "if";
  return count.sends > 0 ? `Send ×${count.sends}` : `×${count.taken}`;
}
