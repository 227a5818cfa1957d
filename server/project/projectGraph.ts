// One graph of a project's langgraph.json, loaded for the registry. Its module is imported through the
// engine mapping (engineMapping.ts), its export taken as a compiled graph (an uncompiled StateGraph is
// compiled, as LangGraph does) or a factory of one, sync or async: a factory gets `{ configurable }` and is
// called once at load (for the summary) and once for each run with the run's configurable, as LangGraph's
// server calls it per run. A graph that cannot be loaded is served as a broken graph: listed with its
// `error`, refused when a run is started, the others unaffected.
import { stat } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { CompiledStateGraph } from "../../lib/graph";
import type { GraphEngine, GraphSummary, ServedGraph } from "../graphRegistry";
import type { EngineStream, GraphStreamOptions, StreamableGraph } from "../runs/graphSource";
import { inputSchemaOf, structureWithSubgraphs } from "./compiledGraphShape";
import { projectModuleURL } from "./engineMapping";
import { importProjectLangGraph, streamOnLangGraph } from "./langGraphStream";
import type { ProjectGraph } from "./projectConfig";
import type { BaseCheckpointSaver } from "../../lib/graph/checkpoint/base";
import { asThreadStateGraph, attachCheckpointer, type ThreadStateGraph } from "../threads/threadStateGraph";

/** Any JSON object: a project graph's input is checked by the graph itself (its own schema, if any). */
const OPEN_INPUT = z.record(z.string(), z.unknown());

interface CompiledLike {
  stream(input: unknown, options: Record<string, unknown>): Promise<AsyncIterable<unknown>>;
  getGraph(config?: { xray?: boolean | number }): unknown;
  readonly checkpointer?: unknown;
}

type Factory = (config: { configurable: Record<string, unknown> }) => unknown;

function describe(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "function") return "a function";
  if (typeof value === "object") return `an object (${value.constructor?.name ?? "no prototype"})`;
  return `a ${typeof value}`;
}

/** The compiled graph `value` is (compiling a builder), or a message saying what it is instead. */
function asCompiled(value: unknown, what: string): CompiledLike {
  let candidate = value as { stream?: unknown; getGraph?: unknown; compile?: unknown };
  if (candidate !== null && typeof candidate === "object" && typeof candidate.stream !== "function" && typeof candidate.compile === "function") {
    candidate = (candidate.compile as () => typeof candidate)();
  }
  if (candidate === null || typeof candidate !== "object" || typeof candidate.stream !== "function" || typeof candidate.getGraph !== "function") {
    throw new Error(`${what} is ${describe(value)}, not a compiled graph (or a function returning one)`);
  }
  return candidate as CompiledLike;
}

function engineOf(compiled: CompiledLike): GraphEngine {
  return compiled instanceof CompiledStateGraph ? "rill" : "langgraph";
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

class LoadedProjectGraph implements ServedGraph {
  readonly input = OPEN_INPUT;
  private summaryCache: GraphSummary | undefined;
  private saver: BaseCheckpointSaver | undefined;

  constructor(
    private readonly spec: ProjectGraph,
    /** The compiled graph (for a factory: the one built at load, for the summary). */
    private readonly loaded: CompiledLike,
    private readonly factory: Factory | undefined,
    private readonly Command: Awaited<ReturnType<typeof importProjectLangGraph>>["Command"] | undefined,
  ) {}

  get id(): string {
    return this.spec.id;
  }

  useCheckpointer(saver: BaseCheckpointSaver): void {
    this.saver = saver;
    attachCheckpointer(this.loaded, saver);
  }

  /** The thread state through the graph loaded at start (a factory's graphs share its structure and checkpointer). */
  threadState(): ThreadStateGraph | undefined {
    return asThreadStateGraph(this.loaded);
  }

  /** A graph for one run: a factory is called with the run's configurable on its first stream(). */
  graph(): StreamableGraph {
    let compiled: CompiledLike | undefined = this.factory ? undefined : this.loaded;
    const resolve = async (options: GraphStreamOptions): Promise<CompiledLike> => {
      if (compiled === undefined) {
        compiled = asCompiled(await this.factory!({ configurable: { ...options.configurable } }), `the graph "${this.spec.exportName}" returned`);
        attachCheckpointer(compiled, this.saver);
      }
      return compiled;
    };
    return {
      // Rill's engine reports each run's outcome; a project on its own LangGraph.js is read for __interrupt__.
      reportsOutcome: !this.Command,
      stream: async (input, options) => {
        const graph = await resolve(options);
        if (this.Command && !(graph instanceof CompiledStateGraph)) return streamOnLangGraph(graph, this.Command, input, options);
        return (await graph.stream(input, { ...options })) as EngineStream;
      },
    };
  }

  summary(): GraphSummary {
    this.summaryCache ??= {
      id: this.spec.id,
      title: this.spec.title,
      description: this.spec.description,
      usesModel: false,
      engine: engineOf(this.loaded),
      exampleInput: this.spec.exampleInput,
      inputSchema: inputSchemaOf(this.loaded),
      structure: structureWithSubgraphs(this.loaded),
    };
    return this.summaryCache;
  }
}

/** A project graph that failed to load: listed with `error`, never run. */
class BrokenProjectGraph implements ServedGraph {
  readonly input = OPEN_INPUT;

  constructor(
    private readonly spec: ProjectGraph,
    readonly error: string,
  ) {}

  get id(): string {
    return this.spec.id;
  }

  graph(): StreamableGraph {
    throw new Error(`graph "${this.spec.id}" cannot run: ${this.error}`);
  }

  summary(): GraphSummary {
    return {
      id: this.spec.id,
      title: this.spec.title,
      description: this.spec.description,
      usesModel: false,
      engine: this.spec.engine,
      error: this.error,
      exampleInput: this.spec.exampleInput,
      inputSchema: { type: "object", additionalProperties: true },
      structure: { nodes: [], edges: [] },
    };
  }
}

export interface LoadResult {
  graph: ServedGraph;
  /** Set when the graph could not be loaded: one line naming the graph, its file and the cause. */
  error?: string;
}

/**
 * Loads `spec` at `version` (a new version re-imports the file and the project files it imports).
 * Never throws: a failure is a broken graph and a message.
 */
export async function loadProjectGraph(spec: ProjectGraph, version: number): Promise<LoadResult> {
  try {
    return { graph: await load(spec, version) };
  } catch (error) {
    const cause = message(error);
    const broken = new BrokenProjectGraph(spec, cause);
    return { graph: broken, error: `graph "${spec.id}" (${path.relative(process.cwd(), spec.file) || spec.file}): ${cause}` };
  }
}

async function load(spec: ProjectGraph, version: number): Promise<ServedGraph> {
  try {
    await stat(spec.file);
  } catch (error) {
    throw new Error(`file not found: ${spec.file} (${(error as NodeJS.ErrnoException).code ?? message(error)})`);
  }
  let module: Record<string, unknown>;
  try {
    module = (await import(projectModuleURL(spec.file, spec.engine, version))) as Record<string, unknown>;
  } catch (error) {
    throw new Error(`its module threw at import: ${message(error)}`);
  }
  if (!(spec.exportName in module) || module[spec.exportName] === undefined) {
    const names = Object.keys(module).filter((name) => name !== "__esModule");
    throw new Error(`the module has no export "${spec.exportName}" (it exports: ${names.join(", ") || "nothing"})`);
  }
  const exported = module[spec.exportName];
  const what = `the export "${spec.exportName}"`;
  let factory: Factory | undefined;
  let loaded: CompiledLike;
  if (typeof exported === "function" && typeof (exported as { stream?: unknown }).stream !== "function") {
    factory = exported as Factory;
    let built: unknown;
    try {
      built = await factory({ configurable: {} });
    } catch (error) {
      throw new Error(`${what} (a graph factory) threw: ${message(error)}`);
    }
    loaded = asCompiled(built, `what ${what} returned`);
  } else {
    loaded = asCompiled(await exported, what);
  }
  const Command = engineOf(loaded) === "langgraph" ? (await importProjectLangGraph(spec.file)).Command : undefined;
  const graph = new LoadedProjectGraph(spec, loaded, factory, Command);
  try {
    graph.summary();
  } catch (error) {
    throw new Error(`its compiled graph cannot be described (getGraph failed): ${message(error)}`);
  }
  return graph;
}
