// Mermaid text for a drawable graph (what LangGraph.js's getGraph().drawMermaid() gives).
import { END, START } from "./constants";
import type { DrawableGraph } from "./stateGraph";

export interface MermaidOptions {
  /** false: only `graph TD;` and the edges (no init line, node shapes or class definitions). Default true. */
  withStyles?: boolean;
}

export function drawMermaid(graph: DrawableGraph, options: MermaidOptions = {}): string {
  if (options.withStyles === false) {
    const edgesOnly = ["graph TD;"];
    for (const edge of graph.edges) edgesOnly.push(`\t${edge.source} ${edge.conditional ? "-.->" : "-->"} ${edge.target};`);
    return edgesOnly.join("\n") + "\n";
  }
  const lines = ["%%{init: {'flowchart': {'curve': 'linear'}}}%%", "graph TD;"];
  for (const { id } of graph.nodes) {
    if (id === START) lines.push(`\t${id}([<p>${id}</p>]):::first`);
    else if (id === END) lines.push(`\t${id}([<p>${id}</p>]):::last`);
    else lines.push(`\t${id}(${id})`);
  }
  for (const edge of graph.edges) lines.push(`\t${edge.source} ${edge.conditional ? "-.->" : "-->"} ${edge.target};`);
  lines.push("\tclassDef default fill:#f2f0ff,line-height:1.2;", "\tclassDef first fill-opacity:0;", "\tclassDef last fill:#bfb6fc;");
  return lines.join("\n") + "\n";
}

/** `graph` with LangGraph.js's `drawMermaid(options)` method (not enumerable: the object still compares as plain data). */
export function withDrawMethods<G extends DrawableGraph>(graph: G): G & { drawMermaid(options?: MermaidOptions): string } {
  Object.defineProperty(graph, "drawMermaid", { value: (options?: MermaidOptions) => drawMermaid(graph, options), enumerable: false, configurable: true });
  return graph as G & { drawMermaid(options?: MermaidOptions): string };
}
