// A layered (Sugiyama-style, much simplified) layout for small graphs: break cycles by DFS, put each node
// on the layer of its longest path from the start, order each layer by the mean position of its
// parents, then place layers top to bottom. Back edges (loops) are kept and drawn around the side.

export interface StructureEdge {
  source: string;
  target: string;
  conditional: boolean;
}

export interface Structure {
  nodes: Array<{ id: string }>;
  edges: StructureEdge[];
  /** A subgraph node's own structure, by node id (drawn as the node's tooltip and a doubled border). */
  subgraphs?: Record<string, Structure>;
}

export interface PlacedNode {
  id: string;
  x: number;
  y: number;
  width: number;
  height: number;
  layer: number;
  kind: "start" | "end" | "node";
}

export interface PlacedEdge extends StructureEdge {
  /** True for an edge that goes back up (a loop): drawn as a curve around the nodes. */
  back: boolean;
  /** SVG path data. */
  path: string;
}

export interface GraphLayout {
  nodes: PlacedNode[];
  edges: PlacedEdge[];
  width: number;
  height: number;
}

export const START = "__start__";
export const END = "__end__";

const NODE_HEIGHT = 30;
const TERMINAL_WIDTH = 64;
const LAYER_GAP = 42;
const NODE_GAP = 18;
const MARGIN = 16;
const CHAR_WIDTH = 7.2;

export function layoutGraph(structure: Structure): GraphLayout {
  const ids: string[] = [];
  const seen = new Set<string>();
  const add = (id: string) => {
    if (!seen.has(id)) {
      seen.add(id);
      ids.push(id);
    }
  };
  for (const node of structure.nodes) add(node.id);
  for (const edge of structure.edges) {
    add(edge.source);
    add(edge.target);
  }

  const outgoing = new Map<string, StructureEdge[]>();
  for (const id of ids) outgoing.set(id, []);
  for (const edge of structure.edges) outgoing.get(edge.source)!.push(edge);

  // Cycle breaking: an edge to a node still on the DFS stack is a back edge.
  const backEdges = new Set<StructureEdge>();
  const state = new Map<string, 1 | 2>();
  const roots = [START, ...ids.filter((id) => id !== START)].filter((id) => seen.has(id));
  const visit = (id: string) => {
    state.set(id, 1);
    for (const edge of outgoing.get(id)!) {
      const s = state.get(edge.target);
      if (s === 1) backEdges.add(edge);
      else if (s === undefined) visit(edge.target);
    }
    state.set(id, 2);
  };
  for (const root of roots) if (!state.has(root)) visit(root);

  // Longest-path layering over forward edges (Kahn's order).
  const indegree = new Map<string, number>(ids.map((id) => [id, 0]));
  for (const edge of structure.edges) if (!backEdges.has(edge) && edge.source !== edge.target) indegree.set(edge.target, indegree.get(edge.target)! + 1);
  const layer = new Map<string, number>(ids.map((id) => [id, 0]));
  const queue = ids.filter((id) => indegree.get(id) === 0);
  for (let i = 0; i < queue.length; i++) {
    const id = queue[i]!;
    for (const edge of outgoing.get(id)!) {
      if (backEdges.has(edge) || edge.source === edge.target) continue;
      layer.set(edge.target, Math.max(layer.get(edge.target)!, layer.get(id)! + 1));
      const left = indegree.get(edge.target)! - 1;
      indegree.set(edge.target, left);
      if (left === 0) queue.push(edge.target);
    }
  }
  // __end__ sits alone at the bottom.
  if (seen.has(END)) {
    let maxOther = 0;
    for (const id of ids) if (id !== END) maxOther = Math.max(maxOther, layer.get(id)!);
    layer.set(END, maxOther + 1);
  }

  const layerCount = Math.max(0, ...layer.values()) + 1;
  const layers: string[][] = Array.from({ length: layerCount }, () => []);
  for (const id of ids) layers[layer.get(id)!]!.push(id);

  // Order by the mean order of parents on earlier layers (one downward sweep is enough for small graphs).
  const order = new Map<string, number>();
  const parents = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const edge of structure.edges) if (!backEdges.has(edge)) parents.get(edge.target)!.push(edge.source);
  layers.forEach((ids0, depth) => {
    if (depth > 0) {
      const key = (id: string) => {
        const ps = parents.get(id)!.filter((p) => order.has(p));
        return ps.length === 0 ? Number.MAX_SAFE_INTEGER : ps.reduce((sum, p) => sum + order.get(p)!, 0) / ps.length;
      };
      ids0.sort((a, b) => key(a) - key(b));
    }
    ids0.forEach((id, i) => order.set(id, i));
  });

  const widthOf = (id: string) => (id === START || id === END ? TERMINAL_WIDTH : Math.max(72, Math.ceil(id.length * CHAR_WIDTH) + 28));
  const rowWidths = layers.map((row) => row.reduce((sum, id) => sum + widthOf(id), 0) + NODE_GAP * Math.max(0, row.length - 1));
  const hasBack = backEdges.size > 0;
  const sideRoom = hasBack ? 36 : 0;
  const innerWidth = Math.max(...rowWidths, 120);
  const width = innerWidth + MARGIN * 2 + sideRoom;

  const placed = new Map<string, PlacedNode>();
  layers.forEach((row, depth) => {
    let x = MARGIN + (innerWidth - rowWidths[depth]!) / 2;
    const y = MARGIN + depth * (NODE_HEIGHT + LAYER_GAP);
    for (const id of row) {
      const w = widthOf(id);
      placed.set(id, { id, x, y, width: w, height: NODE_HEIGHT, layer: depth, kind: id === START ? "start" : id === END ? "end" : "node" });
      x += w + NODE_GAP;
    }
  });
  const height = MARGIN * 2 + layerCount * NODE_HEIGHT + Math.max(0, layerCount - 1) * LAYER_GAP;

  const edges: PlacedEdge[] = structure.edges.map((edge) => {
    const a = placed.get(edge.source)!;
    const b = placed.get(edge.target)!;
    const back = backEdges.has(edge) || edge.source === edge.target;
    return { ...edge, back, path: back ? backPath(a, b, MARGIN + innerWidth) : forwardPath(a, b) };
  });

  return { nodes: ids.map((id) => placed.get(id)!), edges, width, height };
}

function forwardPath(a: PlacedNode, b: PlacedNode): string {
  const x1 = a.x + a.width / 2;
  const y1 = a.y + a.height;
  const x2 = b.x + b.width / 2;
  const y2 = b.y;
  const mid = (y1 + y2) / 2;
  return `M${x1},${y1} C${x1},${mid} ${x2},${mid} ${x2},${y2}`;
}

/** A loop back to an earlier layer: out of the right side, around, into the target's right side. */
function backPath(a: PlacedNode, b: PlacedNode, rightEdge: number): string {
  if (a.id === b.id) {
    // A node looping to itself: a small arc on its right side.
    const x = a.x + a.width;
    return `M${x},${a.y + a.height * 0.3} C${x + 30},${a.y - 6} ${x + 30},${a.y + a.height + 6} ${x},${a.y + a.height * 0.7}`;
  }
  const x1 = a.x + a.width;
  const y1 = a.y + a.height / 2;
  const x2 = b.x + b.width;
  const y2 = b.y + b.height / 2;
  const out = Math.max(x1, x2, rightEdge) + 24;
  return `M${x1},${y1} C${out},${y1} ${out},${y2} ${x2},${y2}`;
}
