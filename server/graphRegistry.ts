// The graphs this server runs. Registered in code (clients never send code): the default list below,
// plus whatever createRillServer's caller adds (tests add long-running graphs). Each graph is compiled
// once, on first use; its summary (JSON schema of its input, structure for drawing) is computed once.
import { z } from "zod";
import type { StreamPart } from "../lib/graph/types";
import { approvalGraph } from "../graphs/approval";
import { failingNodeGraph } from "../graphs/failingNode";
import type { GraphDefinition } from "../graphs/graphDefinition";
import { jokeGraph } from "../graphs/joke";
import { llmJoke } from "../graphs/llmJoke";
import { parallelJokes } from "../graphs/parallelJokes";
import { refineLoopGraph } from "../graphs/refineLoop";
import { subgraphGraph } from "../graphs/subgraph";
import { tokenFloodGraph } from "../graphs/tokenFlood";
import { toolAgentGraph } from "../graphs/toolAgent";
import type { GraphSource, GraphStreamOptions, RunnableGraph, StreamableGraph } from "./runs/graphSource";

export const defaultGraphs: GraphDefinition[] = [
  jokeGraph,
  llmJoke,
  parallelJokes,
  refineLoopGraph,
  subgraphGraph,
  approvalGraph,
  failingNodeGraph,
  toolAgentGraph,
];

/** Graphs for tests and benchmarks, served only with RILL_TEST_GRAPHS=1. */
export const testGraphs: GraphDefinition[] = [tokenFloodGraph];

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
}

export interface GraphSummary {
  id: string;
  title: string;
  description: string;
  usesModel: boolean;
  /** JSON value matching `inputSchema`, prefilled in the playground's editor. */
  exampleInput: unknown;
  /** JSON Schema (draft 2020-12) of the input, from the graph's zod schema. */
  inputSchema: Record<string, unknown>;
  structure: GraphStructure;
}

/** The drawable shape of what `getGraph()` returns (the engine's, or LangGraph's, whose nodes are a record). */
interface DrawableGraph {
  nodes: Array<{ id: string }> | Record<string, { id: string }>;
  edges: Array<{ source: string; target: string; conditional?: boolean }>;
}

interface CompiledLike {
  stream(input: unknown, options: GraphStreamOptions): unknown;
  getGraph(): DrawableGraph;
  readonly checkpointer?: { deleteThread(threadId: string): Promise<void> };
}

export function structureOf(drawable: DrawableGraph): GraphStructure {
  const nodes = Array.isArray(drawable.nodes) ? drawable.nodes : Object.values(drawable.nodes);
  return {
    nodes: nodes.map((node) => ({ id: node.id })),
    edges: drawable.edges.map((edge) => ({ source: edge.source, target: edge.target, conditional: edge.conditional === true })),
  };
}

class RegisteredGraph implements RunnableGraph {
  private compiled: CompiledLike | undefined;
  private summaryCache: GraphSummary | undefined;

  constructor(readonly definition: GraphDefinition) {}

  get id(): string {
    return this.definition.id;
  }

  get input(): z.ZodType {
    return this.definition.input;
  }

  get usesModel(): boolean {
    return this.definition.usesModel === true;
  }

  graph(): StreamableGraph {
    const compiled = this.compile();
    return {
      // The engine's stream() with an array streamMode yields StreamParts; its declared type is generic
      // over the graph's state, which this registry does not know.
      stream: (input, options) => compiled.stream(input, options) as Promise<AsyncIterable<StreamPart>>,
      forgetThread: async (threadId) => compiled.checkpointer?.deleteThread(threadId),
    };
  }

  summary(): GraphSummary {
    if (this.summaryCache) return this.summaryCache;
    const { definition } = this;
    this.summaryCache = {
      id: definition.id,
      title: definition.title,
      description: definition.description,
      usesModel: this.usesModel,
      exampleInput: definition.exampleInput,
      inputSchema: z.toJSONSchema(definition.input, { io: "input", unrepresentable: "any" }) as Record<string, unknown>,
      structure: structureOf(this.compile().getGraph()),
    };
    return this.summaryCache;
  }

  private compile(): CompiledLike {
    this.compiled ??= this.definition.build() as unknown as CompiledLike;
    return this.compiled;
  }
}

export class GraphRegistry implements GraphSource {
  private readonly graphs = new Map<string, RegisteredGraph>();

  constructor(definitions: readonly GraphDefinition[]) {
    for (const definition of definitions) {
      if (!/^[a-z0-9][a-z0-9-]*$/.test(definition.id)) {
        throw new Error(`graph id "${definition.id}" must be lowercase letters, digits and dashes`);
      }
      if (this.graphs.has(definition.id)) throw new Error(`two graphs are registered as "${definition.id}"`);
      const parsed = definition.input.safeParse(definition.exampleInput);
      if (!parsed.success) {
        throw new Error(`graph "${definition.id}": its exampleInput does not match its input schema: ${parsed.error.message}`);
      }
      this.graphs.set(definition.id, new RegisteredGraph(definition));
    }
  }

  get(graphId: string): RunnableGraph | undefined {
    return this.graphs.get(graphId);
  }

  ids(): string[] {
    return [...this.graphs.keys()];
  }

  summaries(): GraphSummary[] {
    return [...this.graphs.values()].map((graph) => graph.summary());
  }
}
