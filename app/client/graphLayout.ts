// The diagram's layout, by dagre (@dagrejs/dagre: a maintained layered-graph layout): ranks top to bottom,
// crossings reduced, edges routed as polylines that we draw as smooth curves. Each conditional edge gets
// room for a label (what the run did with it), self-loops are routed around their node's side, and an
// edge that goes back up a rank (a loop) is marked so it can be drawn apart. A node that is a subgraph is
// drawn open: its own nodes laid out the same way (without their start and end) inside a box that takes
// the node's place, unless the node is in `collapsed`.
import dagre from "@dagrejs/dagre";

export interface StructureEdge {
  source: string;
  target: string;
  conditional: boolean;
  /** In an open subgraph's layout (which leaves out its start and end): the edge's index in the subgraph's own edges. */
  index?: number;
}

export interface Structure {
  nodes: Array<{ id: string }>;
  edges: StructureEdge[];
  /** A subgraph node's own structure, by node id (drawn inside the node, or as its tooltip when collapsed). */
  subgraphs?: Record<string, Structure>;
}

export interface PlacedNode {
  id: string;
  x: number;
  y: number;
  width: number;
  height: number;
  /** Rank from the top (0 = start). */
  layer: number;
  kind: "start" | "end" | "node";
  /** An open subgraph: its own layout, drawn translated by (dx, dy) inside this node's box. */
  inner?: { layout: GraphLayout; dx: number; dy: number };
}

export interface PlacedEdge extends StructureEdge {
  /** True for an edge that goes back up (a loop) or to its own node. */
  back: boolean;
  /** SVG path data. */
  path: string;
  /** Where the edge's label sits (its centre), for conditional edges. */
  labelX: number | null;
  labelY: number | null;
}

export interface GraphLayout {
  nodes: PlacedNode[];
  edges: PlacedEdge[];
  width: number;
  height: number;
}

export const START = "__start__";
export const END = "__end__";

const NODE_HEIGHT = 32;
const TERMINAL_WIDTH = 64;
const MARGIN = 14;
/** A character of the 13 px monospace labels. */
const CHAR_WIDTH = 8;
/** Room kept for a conditional edge's label ("Send ×12", "×3"). */
export const LABEL_WIDTH = 70;
export const LABEL_HEIGHT = 20;
/** How far a self-loop reaches out from its node's right side. */
const SELF_LOOP_REACH = 24;
/** Room above an open subgraph's nodes for its name. */
export const SUBGRAPH_TITLE_HEIGHT = 24;

/** A subgraph's structure without its start and end (the box's edges in and out stand for them). */
function innerStructure(structure: Structure): Structure | null {
  const nodes = structure.nodes.filter((n) => n.id !== START && n.id !== END);
  if (nodes.length === 0) return null;
  const edges = structure.edges.map((e, index) => ({ ...e, index })).filter((e) => e.source !== START && e.source !== END && e.target !== START && e.target !== END);
  return { nodes, edges, ...(structure.subgraphs ? { subgraphs: structure.subgraphs } : {}) };
}

/**
 * Lays out `structure`; each subgraph node is drawn open with its nodes inside, unless its key is in
 * `collapsed` (keys as the run store names nodes: "room", "room/inner" for a subgraph in a subgraph).
 */
export function layoutGraph(structure: Structure, collapsed: ReadonlySet<string> = new Set(), prefix = ""): GraphLayout {
  const inners = new Map<string, GraphLayout>();
  for (const [id, sub] of Object.entries(structure.subgraphs ?? {})) {
    const inner = collapsed.has(prefix + id) ? null : innerStructure(sub);
    if (inner) inners.set(id, layoutGraph(inner, collapsed, `${prefix}${id}/`));
  }
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: "TB", nodesep: 22, ranksep: 34, edgesep: 12, marginx: MARGIN, marginy: MARGIN });
  g.setDefaultEdgeLabel(() => ({}));
  const ids = new Set<string>();
  const add = (id: string) => {
    if (ids.has(id)) return;
    ids.add(id);
    const terminal = id === START || id === END;
    const label = id === START ? "start" : id === END ? "end" : id;
    const labelWidth = Math.max(72, Math.round(label.length * CHAR_WIDTH) + 24);
    const inner = inners.get(id);
    if (inner) g.setNode(id, { width: Math.max(inner.width, labelWidth + 24), height: inner.height + SUBGRAPH_TITLE_HEIGHT });
    else g.setNode(id, { width: terminal ? TERMINAL_WIDTH : labelWidth, height: NODE_HEIGHT });
  };
  for (const node of structure.nodes) add(node.id);
  structure.edges.forEach((edge, i) => {
    add(edge.source);
    add(edge.target);
    // A self-loop is drawn by hand on its node's right side (below); dagre would fold it into the node.
    if (edge.source === edge.target) return;
    g.setEdge(edge.source, edge.target, edge.conditional ? { width: LABEL_WIDTH, height: LABEL_HEIGHT, labelpos: "c" } : { width: 0, height: 0 }, `e${i}`);
  });
  dagre.layout(g);

  const ranks = new Map<string, number>();
  const ys = [...new Set(g.nodes().map((id) => g.node(id).y))].sort((a, b) => a - b);
  for (const id of g.nodes()) ranks.set(id, ys.indexOf(g.node(id).y));

  const nodes: PlacedNode[] = g.nodes().map((id) => {
    const n = g.node(id);
    const placed: PlacedNode = {
      id,
      x: n.x - n.width / 2,
      y: n.y - n.height / 2,
      width: n.width,
      height: n.height,
      layer: ranks.get(id)!,
      kind: id === START ? "start" : id === END ? "end" : "node",
    };
    const inner = inners.get(id);
    if (inner) placed.inner = { layout: inner, dx: placed.x + (placed.width - inner.width) / 2, dy: placed.y + SUBGRAPH_TITLE_HEIGHT };
    return placed;
  });
  let width = g.graph().width ?? 0;
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const edges: PlacedEdge[] = structure.edges.map((edge, i) => {
    if (edge.source === edge.target) {
      const n = byId.get(edge.source)!;
      const right = n.x + n.width;
      const cy = n.y + n.height / 2;
      const labelX = right + SELF_LOOP_REACH + 6 + LABEL_WIDTH / 2;
      width = Math.max(width, labelX + LABEL_WIDTH / 2 + MARGIN);
      return {
        ...edge,
        back: true,
        path: `M${right},${cy - 8} C${right + SELF_LOOP_REACH * 1.4},${cy - 26} ${right + SELF_LOOP_REACH * 1.4},${cy + 26} ${right + 1},${cy + 8}`,
        labelX: edge.conditional ? labelX : null,
        labelY: edge.conditional ? cy : null,
      };
    }
    const placed = g.edge({ v: edge.source, w: edge.target, name: `e${i}` }) as { points?: Array<{ x: number; y: number }>; x?: number; y?: number };
    const points = placed.points ?? [];
    const back = edge.source === edge.target || ranks.get(edge.target)! < ranks.get(edge.source)!;
    return {
      ...edge,
      back,
      path: smoothPath(points),
      labelX: edge.conditional && placed.x !== undefined ? placed.x : null,
      labelY: edge.conditional && placed.y !== undefined ? placed.y : null,
    };
  });
  return { nodes, edges, width: Math.ceil(width), height: Math.ceil(g.graph().height ?? 0) };
}

/** A curve through dagre's points (Catmull-Rom as cubic Béziers), ending exactly on the last point. */
function smoothPath(points: ReadonlyArray<{ x: number; y: number }>): string {
  if (points.length === 0) return "";
  const f = (n: number) => Math.round(n * 10) / 10;
  let d = `M${f(points[0]!.x)},${f(points[0]!.y)}`;
  for (let i = 0; i < points.length - 1; i++) {
    const p0 = points[Math.max(0, i - 1)]!;
    const p1 = points[i]!;
    const p2 = points[i + 1]!;
    const p3 = points[Math.min(points.length - 1, i + 2)]!;
    const c1 = { x: p1.x + (p2.x - p0.x) / 6, y: p1.y + (p2.y - p0.y) / 6 };
    const c2 = { x: p2.x - (p3.x - p1.x) / 6, y: p2.y - (p3.y - p1.y) / 6 };
    d += ` C${f(c1.x)},${f(c1.y)} ${f(c2.x)},${f(c2.y)} ${f(p2.x)},${f(p2.y)}`;
  }
  return d;
}
