// Mermaid text for a drawable graph (what LangGraph.js's getGraph().drawMermaid() gives).
import { END, START } from "./constants";
import type { DrawableGraph } from "./stateGraph";

export function drawMermaid(graph: DrawableGraph): string {
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
