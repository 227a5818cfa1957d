"use client";
// The graph's nodes and edges, laid out in layers, with the nodes running now and those done, failed or
// interrupted highlighted. Conditional edges are dashed; loops curve back around the side. A node that is a
// subgraph has a doubled border and names the subgraph's nodes in its tooltip.
import { memo, useMemo } from "react";
import { END, layoutGraph, START, type Structure } from "../client/graphLayout";
import type { NodeState } from "../client/runStore";

interface GraphDiagramProps {
  structure: Structure | null;
  nodes: ReadonlyMap<string, NodeState>;
  version: number;
  title: string;
}

export const GraphDiagram = memo(function GraphDiagram({ structure, nodes, title }: GraphDiagramProps) {
  const layout = useMemo(() => (structure ? layoutGraph(structure) : null), [structure]);
  if (!layout) return <div className="panel-empty">No structure for this graph.</div>;
  const running = [...nodes].filter(([, s]) => s === "running").map(([n]) => n);
  return (
    <div className="diagram">
      <svg
        viewBox={`0 0 ${layout.width} ${layout.height}`}
        role="img"
        aria-label={`${title}: ${layout.nodes.length} nodes${running.length ? `, running ${running.join(", ")}` : ""}`}
        style={{ maxWidth: layout.width }}
      >
        <defs>
          <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M0,0 L10,5 L0,10 z" className="arrowhead" />
          </marker>
          <marker id="arrow-back" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M0,0 L10,5 L0,10 z" className="arrowhead-back" />
          </marker>
        </defs>
        {layout.edges.map((edge, i) => (
          <path
            key={i}
            d={edge.path}
            className={`gedge${edge.conditional ? " conditional" : ""}${edge.back ? " back" : ""}`}
            markerEnd={edge.back ? "url(#arrow-back)" : "url(#arrow)"}
          >
            <title>{`${edge.source} → ${edge.target}${edge.conditional ? " (conditional)" : ""}`}</title>
          </path>
        ))}
        {layout.nodes.map((node) => {
          const state = nodes.get(node.id);
          const terminal = node.id === START || node.id === END;
          const label = node.id === START ? "start" : node.id === END ? "end" : node.id;
          const inner = structure?.subgraphs?.[node.id]?.nodes.filter((n) => n.id !== START && n.id !== END).map((n) => n.id);
          return (
            <g
              key={node.id}
              className={`gnode${terminal ? " gnode-terminal" : ""}${inner ? " gnode-subgraph" : ""}${state ? ` gnode-${state}` : ""}`}
              data-node={node.id}
              data-state={state ?? "idle"}
            >
              <rect x={node.x} y={node.y} width={node.width} height={node.height} rx={terminal ? node.height / 2 : 6} />
              <text x={node.x + node.width / 2} y={node.y + node.height / 2}>
                {label}
              </text>
              <title>{`${node.id}${state ? `: ${state}` : ""}${inner ? `\nsubgraph: ${inner.join(", ")}` : ""}`}</title>
            </g>
          );
        })}
      </svg>
    </div>
  );
});
