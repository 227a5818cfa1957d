"use client";
// The graph's nodes and edges, laid out by dagre (client/graphLayout.ts), with the nodes running now and
// those done, failed or interrupted highlighted. Conditional edges are dashed and labelled with what the
// run did with them ("×2", "Send ×3"); loops, self-loops included, are drawn in violet; each node that ran
// shows its task count. Clicking a node filters the panels to it (click again to clear). A node that is a
// subgraph has a doubled border and names the subgraph's nodes in its tooltip.
import { memo, useMemo } from "react";
import { DiagramCounter, edgeLabel } from "../client/diagramCounts";
import { END, LABEL_WIDTH, layoutGraph, START, type Structure } from "../client/graphLayout";
import type { NodeState, TaskEntry } from "../client/runStore";

interface GraphDiagramProps {
  structure: Structure | null;
  nodes: ReadonlyMap<string, NodeState>;
  version: number;
  tasks: readonly TaskEntry[];
  taskCount: number;
  title: string;
  /** The node the panels are filtered to, or null. */
  selected: string | null;
  onSelect: (node: string | null) => void;
}

export const GraphDiagram = memo(function GraphDiagram({ structure, nodes, tasks, taskCount, title, selected, onSelect }: GraphDiagramProps) {
  const layout = useMemo(() => (structure ? layoutGraph(structure) : null), [structure]);
  // One counter per run and structure (a new run has a new task list); each render adds the new tasks only.
  const counter = useMemo(() => (structure ? new DiagramCounter(structure.edges) : null), [structure, tasks]);
  const counts = counter ? counter.update(tasks, taskCount) : null;
  if (!layout || !counts) return <div className="panel-empty">No structure for this graph.</div>;
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
          <g key={i} data-edge={`${edge.source}->${edge.target}`}>
            <path d={edge.path} className={`gedge${edge.conditional ? " conditional" : ""}${edge.back ? " back" : ""}`} markerEnd={edge.back ? "url(#arrow-back)" : "url(#arrow)"}>
              <title>{`${edge.source} → ${edge.target}${edge.conditional ? " (conditional)" : ""}${counts.edges[i]!.taken > 0 ? `, taken ${counts.edges[i]!.taken}×` : ""}`}</title>
            </path>
            {edge.labelX !== null && edge.labelY !== null && (
              <g className="gedge-label" data-testid="edge-label">
                <rect x={edge.labelX - LABEL_WIDTH / 2} y={edge.labelY - 8} width={LABEL_WIDTH} height={16} rx={8} />
                <text x={edge.labelX} y={edge.labelY}>
                  {edgeLabel(counts.edges[i])}
                </text>
              </g>
            )}
          </g>
        ))}
        {layout.nodes.map((node) => {
          const state = nodes.get(node.id);
          const terminal = node.id === START || node.id === END;
          const label = node.id === START ? "start" : node.id === END ? "end" : node.id;
          const inner = structure?.subgraphs?.[node.id]?.nodes.filter((n) => n.id !== START && n.id !== END).map((n) => n.id);
          const ran = counts.nodes.get(node.id) ?? 0;
          const isSelected = selected === node.id;
          return (
            <g
              key={node.id}
              className={`gnode${terminal ? " gnode-terminal" : ""}${inner ? " gnode-subgraph" : ""}${state ? ` gnode-${state}` : ""}${isSelected ? " gnode-selected" : ""}`}
              data-node={node.id}
              data-state={state ?? "idle"}
              data-count={ran}
              {...(terminal
                ? {}
                : {
                    role: "button",
                    tabIndex: 0,
                    "aria-pressed": isSelected,
                    "aria-label": `${node.id}${ran > 0 ? `, ran ${ran}×` : ""}: show only its entries`,
                    onClick: () => onSelect(isSelected ? null : node.id),
                    onKeyDown: (e: React.KeyboardEvent) => {
                      if (e.key === "Enter" || e.key === " ") {
                        e.preventDefault();
                        onSelect(isSelected ? null : node.id);
                      }
                    },
                  })}
            >
              <rect x={node.x} y={node.y} width={node.width} height={node.height} rx={terminal ? node.height / 2 : 6} />
              <text x={node.x + node.width / 2} y={node.y + node.height / 2}>
                {label}
              </text>
              {ran > 0 && !terminal && (
                <g className="gnode-count">
                  <circle cx={node.x + node.width} cy={node.y} r={9} />
                  <text x={node.x + node.width} y={node.y} data-testid="node-count">
                    {ran}
                  </text>
                </g>
              )}
              <title>{`${node.id}${state ? `: ${state}` : ""}${ran > 0 ? `, ${ran} ${ran === 1 ? "task" : "tasks"}` : ""}${inner ? `\nsubgraph: ${inner.join(", ")}` : ""}`}</title>
            </g>
          );
        })}
      </svg>
    </div>
  );
});
