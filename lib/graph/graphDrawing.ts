// Mermaid text for a drawable graph (what LangGraph.js's getGraph().drawMermaid() gives): the single node
// no edge enters is drawn as the first, the single node no edge leaves as the last, a node's metadata in its
// box, and a subgraph's edges (getGraph({ xray })) inside `subgraph <name> ... end`.
import { firstNode, lastNode } from "./graphXray";
import type { DrawableEdge, DrawableGraph, DrawableNode } from "./stateGraph";

export interface MermaidOptions {
  /** false: only `graph TD;` and the edges (no init line, node shapes or class definitions). Default true. */
  withStyles?: boolean;
}

const ENTITY: Record<string, string> = { "#": "#35;", "[": "#91;", "]": "#93;", "(": "#40;", ")": "#41;", "{": "#123;", "}": "#125;", '"': "#quot;", "<": "#60;", ">": "#62;", "|": "#124;" };

/** A node id as Mermaid accepts it. */
const mermaidId = (id: string) => id.replace(/[^a-zA-Z-_0-9]/g, "_");

function metadataValue(value: unknown): string | undefined {
  const scalar = (v: unknown) => typeof v === "string" || typeof v === "number" || typeof v === "boolean";
  if (scalar(value)) return String(value);
  if (Array.isArray(value) && value.every(scalar)) return value.join(",");
  return undefined;
}

function nodeLabel(node: DrawableNode): string {
  const name = node.id.split(":").pop() ?? "";
  let label = ["*", "_", "`"].some((c) => name.startsWith(c) && name.endsWith(c)) ? `<p>${name}</p>` : name;
  const lines = Object.entries(node.metadata ?? {}).flatMap(([key, value]) => {
    const text = metadataValue(value);
    return text === undefined ? [] : [`${key} = ${text}`.replace(/[#[\](){}"<>|]/g, (c) => ENTITY[c])];
  });
  if (lines.length > 0) label += `<hr/><small><em>${lines.join("\n")}</em></small>`;
  return label;
}

export function drawMermaid(graph: DrawableGraph, options: MermaidOptions = {}): string {
  const withStyles = options.withStyles ?? true;
  const lines = withStyles ? ["%%{init: {'flowchart': {'curve': 'linear'}}}%%", "graph TD;"] : ["graph TD;"];
  if (withStyles) {
    const first = firstNode(graph)?.id;
    const last = lastNode(graph)?.id;
    for (const node of graph.nodes) {
      const id = mermaidId(node.id);
      const label = nodeLabel(node);
      lines.push(node.id === first ? `\t${id}([${label}]):::first` : node.id === last ? `\t${id}([${label}]):::last` : `\t${id}(${label})`);
    }
  }
  // Edges grouped by the part of their ends' ids they share: "" for the graph's own, "sub" inside subgraph sub.
  const groups = new Map<string, DrawableEdge[]>();
  for (const edge of graph.edges) {
    const targetParts = edge.target.split(":");
    const prefix = edge.source.split(":").filter((part, i) => part === targetParts[i]).join(":");
    const group = groups.get(prefix);
    if (group) group.push(edge);
    else groups.set(prefix, [edge]);
  }
  const drawn = new Set<string>();
  const drawGroup = (edges: DrawableEdge[], prefix: string) => {
    const boxed = prefix !== "" && !(edges.length === 1 && edges[0].source === edges[0].target);
    if (boxed) {
      const name = prefix.split(":").pop();
      if (drawn.has(prefix)) throw new Error(`Found duplicate subgraph '${name}' at '${prefix}': a subgraph node name is used twice; give subgraph nodes unique names.`);
      drawn.add(prefix);
      lines.push(`\tsubgraph ${name}`);
    }
    const depth = prefix.split(":").length;
    const nested = [...groups.keys()].filter((p) => p.startsWith(`${prefix}:`) && p.split(":").length === depth + 1);
    for (const p of nested.sort((a, b) => a.split(":").length - b.split(":").length)) drawGroup(groups.get(p)!, p);
    for (const edge of edges) lines.push(`\t${mermaidId(edge.source)} ${edge.conditional ? "-.->" : "-->"} ${mermaidId(edge.target)};`);
    if (boxed) lines.push("\tend");
  };
  drawGroup(groups.get("") ?? [], "");
  for (const [prefix, edges] of groups) if (prefix !== "" && !prefix.includes(":")) drawGroup(edges, prefix);
  if (withStyles) lines.push("\tclassDef default fill:#f2f0ff,line-height:1.2;", "\tclassDef first fill-opacity:0;", "\tclassDef last fill:#bfb6fc;");
  return lines.join("\n") + "\n";
}

/** `graph` with LangGraph.js's `drawMermaid(options)` method (not enumerable: the object still compares as plain data). */
export function withDrawMethods<G extends DrawableGraph>(graph: G): G & { drawMermaid(options?: MermaidOptions): string } {
  Object.defineProperty(graph, "drawMermaid", { value: (options?: MermaidOptions) => drawMermaid(graph, options), enumerable: false, configurable: true });
  return graph as G & { drawMermaid(options?: MermaidOptions): string };
}
