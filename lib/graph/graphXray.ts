// getGraph({ xray }): each subgraph node drawn as its own nodes (ids `subgraph:node`), as LangGraph.js does.
// The subgraph's __start__ / __end__ are dropped when another node takes their place; edges into the subgraph
// node go to its first node, edges out of it leave from its last node (dropped when it has no single last node).
import type { DrawableEdge, DrawableGraph, DrawableNode } from "./stateGraph";

/** The single node no edge enters (LangChain's Graph.firstNode), ignoring `exclude` and edges from it. */
export function firstNode(graph: DrawableGraph, exclude?: string): DrawableNode | undefined {
  const targets = new Set(graph.edges.filter((e) => e.source !== exclude).map((e) => e.target));
  const found = graph.nodes.filter((n) => n.id !== exclude && !targets.has(n.id));
  return found.length === 1 ? found[0] : undefined;
}

/** The single node no edge leaves (LangChain's Graph.lastNode), ignoring `exclude` and edges to it. */
export function lastNode(graph: DrawableGraph, exclude?: string): DrawableNode | undefined {
  const sources = new Set(graph.edges.filter((e) => e.target !== exclude).map((e) => e.source));
  const found = graph.nodes.filter((n) => n.id !== exclude && !sources.has(n.id));
  return found.length === 1 ? found[0] : undefined;
}

function withoutNode(graph: DrawableGraph, id: string): DrawableGraph {
  return { nodes: graph.nodes.filter((n) => n.id !== id), edges: graph.edges.filter((e) => e.source !== id && e.target !== id) };
}

/** `graph` without its entry and exit nodes, each removed only when a single node takes its place. */
function trimmed(graph: DrawableGraph): DrawableGraph {
  const first = firstNode(graph);
  let result = first && firstNode(graph, first.id) ? withoutNode(graph, first.id) : graph;
  const last = lastNode(result);
  if (last && lastNode(result, last.id)) result = withoutNode(result, last.id);
  return result;
}

/**
 * `graph` with the nodes named in `subgraphs` replaced by their drawings (`draw(name)`, already expanded to the
 * depth wanted). A subgraph whose drawing is one node after trimming stays one node.
 */
export function expandSubgraphs(graph: DrawableGraph, subgraphNames: ReadonlySet<string>, draw: (name: string) => DrawableGraph): DrawableGraph {
  const nodes: DrawableNode[] = [];
  const innerEdges: DrawableEdge[] = [];
  const entryOf = new Map<string, string>();
  const exitOf = new Map<string, string | undefined>();
  for (const node of graph.nodes) {
    if (!subgraphNames.has(node.id)) {
      nodes.push(node);
      continue;
    }
    const inner = trimmed(draw(node.id));
    if (inner.nodes.length <= 1) {
      nodes.push(node);
      continue;
    }
    const prefixed = (id: string) => `${node.id}:${id}`;
    for (const n of inner.nodes) nodes.push({ ...n, id: prefixed(n.id) });
    for (const e of inner.edges) innerEdges.push({ ...e, source: prefixed(e.source), target: prefixed(e.target) });
    const entry = firstNode(inner);
    if (entry === undefined) throw new Error(`Could not extend subgraph "${node.id}" due to missing entrypoint.`);
    entryOf.set(node.id, prefixed(entry.id));
    const exit = lastNode(inner);
    exitOf.set(node.id, exit && prefixed(exit.id));
  }
  const edges = [...innerEdges];
  for (const edge of graph.edges) {
    const source = exitOf.has(edge.source) ? exitOf.get(edge.source) : edge.source;
    if (source === undefined) continue;
    edges.push({ ...edge, source, target: entryOf.get(edge.target) ?? edge.target });
  }
  return { nodes, edges };
}
