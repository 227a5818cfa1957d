// What the server shows of a compiled graph it did not define itself (a user's, on either engine): the JSON
// schema of its input and its structure for the diagram, subgraphs included. Reads only what each engine's
// compiled graph exposes: Rill's `plan` (state keys, subgraph nodes), the zod schema a project graph's
// StateGraph was built from (langgraphModule.ts) and `getGraph()`; LangGraph.js's
// `builder` (channels, the zod schema it was built from), `getSubgraphs()` and `getGraph()`.
import { z } from "zod";
import { CompiledStateGraph } from "../../lib/graph";
import { declaredSchemaOf } from "./langgraphModule";

export interface GraphNode {
  id: string;
}

export interface GraphEdge {
  source: string;
  target: string;
  conditional: boolean;
}

export interface GraphStructure {
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** The structure of each node that is a compiled graph, by node id. */
  subgraphs?: Record<string, GraphStructure>;
}

/** The drawable shape of what `getGraph()` returns (the engine's, or LangGraph's, whose nodes are a record). */
interface Drawable {
  nodes: Array<{ id: string }> | Record<string, { id: string }>;
  edges: Array<{ source: string; target: string; conditional?: boolean }>;
}

export function structureOf(drawable: Drawable): GraphStructure {
  const nodes = Array.isArray(drawable.nodes) ? drawable.nodes : Object.values(drawable.nodes);
  return {
    nodes: nodes.map((node) => ({ id: node.id })),
    edges: drawable.edges.map((edge) => ({ source: edge.source, target: edge.target, conditional: edge.conditional === true })),
  };
}

interface LangGraphCompiled {
  getGraph(): Drawable;
  getSubgraphs?(): Iterable<[string, unknown]>;
  builder?: {
    channels?: Record<string, unknown>;
    _schemaRuntimeDefinition?: unknown;
    _inputRuntimeDefinition?: unknown;
  };
}

/** An open object schema naming the state's keys: any of them may be given, other keys too. */
function openSchema(keys: readonly string[]): Record<string, unknown> {
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    type: "object",
    properties: Object.fromEntries(keys.map((key) => [key, {}])),
    additionalProperties: true,
  };
}

/** A zod (v4) schema's JSON schema, or undefined when it is not one (zod 3, a StateSchema without zod...). */
function zodJsonSchema(schema: unknown): Record<string, unknown> | undefined {
  if (typeof schema !== "object" || schema === null || !("_zod" in schema)) return undefined;
  try {
    return z.toJSONSchema(schema as z.ZodType, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

export function inputSchemaOf(compiled: unknown): Record<string, unknown> {
  if (compiled instanceof CompiledStateGraph) return zodJsonSchema(declaredSchemaOf(compiled)) ?? openSchema(compiled.plan.channels.keys);
  const builder = (compiled as LangGraphCompiled).builder;
  const fromZod = zodJsonSchema(builder?._inputRuntimeDefinition) ?? zodJsonSchema(builder?._schemaRuntimeDefinition);
  if (fromZod) return fromZod;
  return openSchema(Object.keys(builder?.channels ?? {}).filter((key) => !key.startsWith("__") && !key.includes(":")));
}

function subgraphsOf(compiled: unknown): Array<[string, unknown]> {
  if (compiled instanceof CompiledStateGraph) {
    return compiled.plan.nodeList.filter((node) => node.subgraph !== null).map((node) => [node.name, node.subgraph]);
  }
  const lg = compiled as LangGraphCompiled;
  return typeof lg.getSubgraphs === "function" ? [...lg.getSubgraphs()] : [];
}

/** The graph's nodes and edges, and each subgraph node's own structure (recursively). */
export function structureWithSubgraphs(compiled: unknown): GraphStructure {
  const structure = structureOf((compiled as LangGraphCompiled).getGraph());
  const subgraphs = subgraphsOf(compiled);
  if (subgraphs.length === 0) return structure;
  return { ...structure, subgraphs: Object.fromEntries(subgraphs.map(([name, sub]) => [name, structureWithSubgraphs(sub)])) };
}
