// The graphs this server runs. Registered by the operator (clients never send code): Rill's bundled
// examples (defaultGraphs, below), or a project's langgraph.json (server/project/), plus whatever
// createRillServer's caller adds (tests add long-running graphs). Each graph is compiled once, on first
// use; its summary (JSON schema of its input, structure for drawing) is computed once. A graph may be
// replaced while the server runs (dev reload of a project file): runs in flight keep the graph they
// started with, new runs get the new one, and listeners hear of the change.
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
import { chatFloodGraph, nestedFloodGraph, tokenFloodGraph } from "../graphs/tokenFlood";
import { structureWithSubgraphs, type GraphStructure } from "./project/compiledGraphShape";
import { toolAgentGraph } from "../graphs/toolAgent";
import type { EngineStream, GraphSource, GraphStreamOptions, RunnableGraph, StreamableGraph } from "./runs/graphSource";
import type { BaseCheckpointSaver } from "../lib/graph/checkpoint/base";
import { asThreadStateGraph, attachCheckpointer, type ThreadStateGraph } from "./threads/threadStateGraph";
import { chatGraph } from "../graphs/chat";

export { structureOf } from "./project/compiledGraphShape";
export type { GraphEdge, GraphNode, GraphStructure } from "./project/compiledGraphShape";

export const defaultGraphs: GraphDefinition[] = [
  jokeGraph,
  llmJoke,
  parallelJokes,
  refineLoopGraph,
  subgraphGraph,
  approvalGraph,
  failingNodeGraph,
  toolAgentGraph,
  chatGraph,
];

/** Graphs for tests and benchmarks, served only with RILL_TEST_GRAPHS=1. */
export const testGraphs: GraphDefinition[] = [tokenFloodGraph, chatFloodGraph, nestedFloodGraph];

/** Which engine runs a graph: Rill's, or the project's own installed @langchain/langgraph. */
export type GraphEngine = "rill" | "langgraph";

export interface GraphSummary {
  id: string;
  title: string;
  description: string;
  usesModel: boolean;
  engine: GraphEngine;
  /** Why the graph cannot run (its file is missing, its module threw, ...); absent when it can. */
  error?: string;
  /** JSON value matching `inputSchema`, prefilled in the playground's editor. */
  exampleInput: unknown;
  /** JSON Schema (draft 2020-12) of the input, from the graph's zod schema. */
  inputSchema: Record<string, unknown>;
  structure: GraphStructure;
}

/** A graph as the registry serves it: runnable (unless `error` says why not) and summarized. */
export interface ServedGraph extends RunnableGraph {
  summary(): GraphSummary;
}

interface CompiledLike {
  stream(input: unknown, options: GraphStreamOptions): unknown;
  readonly checkpointer?: { deleteThread(threadId: string): Promise<void> };
}

export const GRAPH_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;

/** One of Rill's own graphs (graphs/), defined in code with a zod input. */
class RegisteredGraph implements ServedGraph {
  private compiled: CompiledLike | undefined;
  private summaryCache: GraphSummary | undefined;
  private saver: BaseCheckpointSaver | undefined;

  constructor(readonly definition: GraphDefinition) {}

  useCheckpointer(saver: BaseCheckpointSaver): void {
    this.saver = saver;
    if (this.compiled) attachCheckpointer(this.compiled, saver);
  }

  threadState(): ThreadStateGraph | undefined {
    return asThreadStateGraph(this.compile());
  }

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
      reportsOutcome: true,
      // The engine's stream() with an array streamMode yields StreamParts; its declared type is generic
      // over the graph's state, which this registry does not know.
      stream: (input, options) => compiled.stream(input, options) as Promise<EngineStream>,
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
      engine: "rill",
      exampleInput: definition.exampleInput,
      inputSchema: z.toJSONSchema(definition.input, { io: "input", unrepresentable: "any" }) as Record<string, unknown>,
      structure: structureWithSubgraphs(this.compile()),
    };
    return this.summaryCache;
  }

  private compile(): CompiledLike {
    if (this.compiled === undefined) {
      this.compiled = this.definition.build() as unknown as CompiledLike;
      attachCheckpointer(this.compiled, this.saver);
    }
    return this.compiled;
  }
}

/** Checks a bundled definition and wraps it for the registry. */
export function servedDefinition(definition: GraphDefinition): ServedGraph {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(definition.id)) {
    throw new Error(`graph id "${definition.id}" must be lowercase letters, digits and dashes`);
  }
  const parsed = definition.input.safeParse(definition.exampleInput);
  if (!parsed.success) {
    throw new Error(`graph "${definition.id}": its exampleInput does not match its input schema: ${parsed.error.message}`);
  }
  return new RegisteredGraph(definition);
}

export interface GraphRegistryOptions {
  /** The server's checkpointer: every graph that does not bring its own keeps its threads here. */
  checkpointer?: BaseCheckpointSaver;
}

export class GraphRegistry implements GraphSource {
  private readonly graphs = new Map<string, ServedGraph>();
  private readonly listeners = new Set<() => void>();
  private revision = 0;
  private readonly checkpointer: BaseCheckpointSaver | undefined;

  constructor(definitions: readonly GraphDefinition[] = [], served: readonly ServedGraph[] = [], options: GraphRegistryOptions = {}) {
    this.checkpointer = options.checkpointer;
    for (const definition of definitions) this.add(servedDefinition(definition));
    for (const graph of served) this.add(graph);
  }

  add(graph: ServedGraph): void {
    if (!GRAPH_ID.test(graph.id)) throw new Error(`graph id "${graph.id}" must be letters, digits, '_', '.' and '-' (at most 100)`);
    if (this.graphs.has(graph.id)) throw new Error(`two graphs are registered as "${graph.id}"`);
    if (this.checkpointer) graph.useCheckpointer?.(this.checkpointer);
    this.graphs.set(graph.id, graph);
  }

  /** Serves `graph` in place of the graph with its id from now on (runs already started keep theirs). */
  replace(graph: ServedGraph): void {
    if (!this.graphs.has(graph.id)) throw new Error(`no graph "${graph.id}" to replace`);
    if (this.checkpointer) graph.useCheckpointer?.(this.checkpointer);
    this.graphs.set(graph.id, graph);
    this.revision += 1;
    for (const listener of this.listeners) listener();
  }

  /** Counts replace() calls: a client holding summaries of an older revision should refetch. */
  get changes(): number {
    return this.revision;
  }

  /** Calls `listener` after every replace(); returns the unsubscribe. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get(graphId: string): ServedGraph | undefined {
    return this.graphs.get(graphId);
  }

  ids(): string[] {
    return [...this.graphs.keys()];
  }

  summaries(): GraphSummary[] {
    return [...this.graphs.values()].map((graph) => graph.summary());
  }
}
