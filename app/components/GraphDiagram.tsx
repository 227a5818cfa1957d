"use client";
// The graph's nodes and edges, laid out by dagre (client/graphLayout.ts), with the nodes running now and
// those done, failed or interrupted highlighted. Conditional edges are dashed and labelled with what the
// run did with them ("×2", "Send ×3"); loops, self-loops included, are drawn in violet; each node that ran
// shows its task count. Clicking a node filters the panels to it (click again to clear). A node that is a
// subgraph is drawn open, its own nodes inside a dashed box (they light up and count as the run's
// subgraph events arrive, and filter the panels like any node); its − button closes it to one node with a
// doubled border that names the subgraph's nodes in its tooltip (+ opens it again).
import { memo, useMemo, useState } from "react";
import { DiagramCounter, edgeLabel, type DiagramCounts } from "../client/diagramCounts";
import { END, LABEL_HEIGHT, LABEL_WIDTH, layoutGraph, START, SUBGRAPH_TITLE_HEIGHT, type GraphLayout, type PlacedNode, type Structure } from "../client/graphLayout";
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
  /** The nodes that ran in the step selected across the panels (marked), or null. */
  stepNodes: ReadonlySet<string> | null;
}

export const GraphDiagram = memo(function GraphDiagram({ structure, nodes, tasks, taskCount, title, selected, onSelect, stepNodes }: GraphDiagramProps) {
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(() => new Set());
  const layout = useMemo(() => (structure ? layoutGraph(structure, collapsed) : null), [structure, collapsed]);
  // One counter per run and structure (a new run has a new task list); each render adds the new tasks only.
  const counter = useMemo(() => (structure ? new DiagramCounter(structure.edges, structure.subgraphs) : null), [structure, tasks]);
  const counts = counter ? counter.update(tasks, taskCount) : null;
  if (!layout || !counts || !structure) return <div className="panel-empty">No structure for this graph.</div>;
  const running = [...nodes].filter(([, s]) => s === "running").map(([n]) => n);
  const toggle = (key: string) =>
    setCollapsed((current) => {
      const next = new Set(current);
      if (!next.delete(key)) next.add(key);
      return next;
    });
  const shared: LayerContext = { nodes, counts, selected, onSelect, toggle, stepNodes };
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
        <DiagramLayer layout={layout} structure={structure} prefix="" context={shared} />
      </svg>
    </div>
  );
});

interface LayerContext {
  nodes: ReadonlyMap<string, NodeState>;
  counts: DiagramCounts;
  selected: string | null;
  onSelect: (node: string | null) => void;
  toggle: (key: string) => void;
  stepNodes: ReadonlySet<string> | null;
}

/**
 * One graph's edges and nodes: the root's, or (translated into its box) an open subgraph's, whose node
 * keys are prefixed with the path of the nodes it sits in ("writers_room/pick"). A subgraph's edge counts
 * come from its own steps (debug mode), summed over its runs.
 */
function DiagramLayer({ layout, structure, prefix, context }: { layout: GraphLayout; structure: Structure; prefix: string; context: LayerContext }) {
  const { counts } = context;
  const edgeCounts = prefix === "" ? counts.edges : (counts.inner.get(prefix.slice(0, -1)) ?? null);
  return (
    <>
      {layout.nodes.filter((node) => node.inner).map((node) => (
        <SubgraphBox key={`box ${node.id}`} node={node} structure={structure.subgraphs![node.id]!} prefix={prefix} context={context} />
      ))}
      {layout.edges.map((edge, i) => {
        const count = edgeCounts?.[edge.index ?? i];
        const taken = count?.taken ?? 0;
        return (
          <g key={i} data-edge={`${prefix}${edge.source}->${prefix}${edge.target}`} data-taken={taken}>
            <path d={edge.path} className={`gedge${edge.conditional ? " conditional" : ""}${edge.back ? " back" : ""}`} markerEnd={edge.back ? "url(#arrow-back)" : "url(#arrow)"}>
              <title>{`${edge.source} → ${edge.target}${edge.conditional ? " (conditional)" : ""}${taken > 0 ? `, taken ${taken}×` : ""}`}</title>
            </path>
            {edge.labelX !== null && edge.labelY !== null && (
              <g className="gedge-label" data-testid="edge-label">
                <rect x={edge.labelX - LABEL_WIDTH / 2} y={edge.labelY - LABEL_HEIGHT / 2} width={LABEL_WIDTH} height={LABEL_HEIGHT} rx={LABEL_HEIGHT / 2} />
                <text x={edge.labelX} y={edge.labelY}>
                  {edgeLabel(count)}
                </text>
              </g>
            )}
          </g>
        );
      })}
      {layout.nodes.filter((node) => !node.inner).map((node) => (
        <DiagramNode key={node.id} node={node} structure={structure} prefix={prefix} context={context} />
      ))}
    </>
  );
}

/** Clicking or Enter/Space on a node picks it (again: clears the pick). */
function pickHandlers(key: string, label: string, ran: number, context: LayerContext) {
  const isSelected = context.selected === key;
  return {
    role: "button",
    tabIndex: 0,
    "aria-pressed": isSelected,
    "aria-label": `${label}${ran > 0 ? `, ran ${ran}×` : ""}: show only its entries`,
    onClick: () => context.onSelect(isSelected ? null : key),
    onKeyDown: (e: React.KeyboardEvent) => {
      if (e.key === "Enter" || e.key === " ") {
        e.preventDefault();
        context.onSelect(isSelected ? null : key);
      }
    },
  };
}

function DiagramNode({ node, structure, prefix, context }: { node: PlacedNode; structure: Structure; prefix: string; context: LayerContext }) {
  const key = prefix + node.id;
  const state = context.nodes.get(key);
  const terminal = node.id === START || node.id === END;
  const label = node.id === START ? "start" : node.id === END ? "end" : node.id;
  const inner = structure.subgraphs?.[node.id]?.nodes.filter((n) => n.id !== START && n.id !== END).map((n) => n.id);
  const ran = context.counts.nodes.get(key) ?? 0;
  const isSelected = context.selected === key;
  return (
    <g
      className={`gnode${terminal ? " gnode-terminal" : ""}${inner ? " gnode-subgraph" : ""}${state ? ` gnode-${state}` : ""}${isSelected ? " gnode-selected" : ""}${context.stepNodes?.has(key) ? " gnode-in-step" : ""}`}
      data-node={key}
      data-in-step={context.stepNodes?.has(key) || undefined}
      data-state={state ?? "idle"}
      data-count={ran}
      {...(terminal ? {} : pickHandlers(key, key, ran, context))}
    >
      <rect x={node.x} y={node.y} width={node.width} height={node.height} rx={terminal ? node.height / 2 : 6} />
      <text x={node.x + node.width / 2} y={node.y + node.height / 2}>
        {label}
      </text>
      {ran > 0 && !terminal && <CountBadge node={node} count={ran} />}
      {inner && <ToggleButton x={node.x + 4} y={node.y + 3} open={false} name={key} toggle={context.toggle} />}
      <title>{`${key}${state ? `: ${state}` : ""}${ran > 0 ? `, ${ran} ${ran === 1 ? "task" : "tasks"}` : ""}${inner ? `\nsubgraph: ${inner.join(", ")}` : ""}`}</title>
    </g>
  );
}

/** How many tasks ran a node: a badge on its top-right corner. */
function CountBadge({ node, count }: { node: PlacedNode; count: number }) {
  const width = Math.max(20, String(count).length * 8 + 10);
  return (
    <g className="gnode-count">
      <rect x={node.x + node.width - width / 2} y={node.y - 10} width={width} height={20} rx={10} />
      <text x={node.x + node.width} y={node.y} data-testid="node-count">
        {count}
      </text>
    </g>
  );
}

/** An open subgraph: a dashed box with its name (which picks it, like a node) and its own nodes inside. */
function SubgraphBox({ node, structure, prefix, context }: { node: PlacedNode; structure: Structure; prefix: string; context: LayerContext }) {
  const key = prefix + node.id;
  const state = context.nodes.get(key);
  const ran = context.counts.nodes.get(key) ?? 0;
  const isSelected = context.selected === key;
  const { layout, dx, dy } = node.inner!;
  return (
    <g className="gsubgraph" data-subgraph={key}>
      <g
        className={`gnode gnode-subgraph-open${state ? ` gnode-${state}` : ""}${isSelected ? " gnode-selected" : ""}${context.stepNodes?.has(key) ? " gnode-in-step" : ""}`}
        data-node={key}
        data-in-step={context.stepNodes?.has(key) || undefined}
        data-state={state ?? "idle"}
        data-count={ran}
        {...pickHandlers(key, `subgraph ${key}`, ran, context)}
      >
        <rect className="gsubgraph-box" x={node.x} y={node.y} width={node.width} height={node.height} rx={8} />
        <text className="gsubgraph-title" x={node.x + 24} y={node.y + SUBGRAPH_TITLE_HEIGHT / 2 + 1} style={{ textAnchor: "start" }}>
          {node.id}
        </text>
        {ran > 0 && <CountBadge node={node} count={ran} />}
        <title>{`subgraph ${key}${state ? `: ${state}` : ""}${ran > 0 ? `, ${ran} ${ran === 1 ? "task" : "tasks"}` : ""}`}</title>
      </g>
      <ToggleButton x={node.x + 4} y={node.y + 3} open name={key} toggle={context.toggle} />
      <g transform={`translate(${dx},${dy})`}>
        <DiagramLayer layout={layout} structure={structure} prefix={`${key}/`} context={context} />
      </g>
    </g>
  );
}

/** The − / + that closes or opens a subgraph. */
function ToggleButton({ x, y, open, name, toggle }: { x: number; y: number; open: boolean; name: string; toggle: (key: string) => void }) {
  const act = (e: React.SyntheticEvent) => {
    e.stopPropagation();
    toggle(name);
  };
  return (
    <g
      className="gsubgraph-toggle"
      role="button"
      tabIndex={0}
      aria-expanded={open}
      aria-label={`${open ? "Close" : "Open"} subgraph ${name}`}
      data-testid="subgraph-toggle"
      onClick={act}
      onKeyDown={(e) => {
        if (e.key === "Enter" || e.key === " ") {
          e.preventDefault();
          act(e);
        }
      }}
    >
      <rect x={x} y={y} width={16} height={16} rx={4} />
      <text x={x + 8} y={y + 8}>
        {open ? "−" : "+"}
      </text>
    </g>
  );
}
