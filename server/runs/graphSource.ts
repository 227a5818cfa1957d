// What the run manager needs from a graph: validate an input, stream a run. The registry adapts the
// engine's compiled graphs to this; the manager's own tests use fakes.
import type { z } from "zod";
import type { BaseCheckpointSaver } from "../../lib/graph/checkpoint/base";
import type { Interrupt, Namespace, StreamMode, StreamPart } from "../../lib/graph/types";
import type { ThreadStateGraph } from "../threads/threadStateGraph";

export interface GraphStreamOptions {
  streamMode: StreamMode[];
  /** Set (true) only when subgraph events are wanted: the stream then yields `[namespace, mode, chunk]`. */
  subgraphs?: true;
  signal: AbortSignal;
  configurable: Record<string, unknown>;
  recursionLimit?: number;
  /** The run's id, written into its checkpoints (lib/graph's RunConfig.checkpointRunId); given to Rill's engine only. */
  checkpointRunId?: string;
}

/** What an engine stream yields: `[mode, chunk]`, or `[namespace, mode, chunk]` with `subgraphs: true`. */
export type EnginePart = StreamPart | [Namespace, ...StreamPart];

/** How an engine run ended (lib/graph's RunStream.outcome): read once its stream is exhausted. */
export interface EngineOutcome {
  status: "done" | "interrupted";
  interrupts: Interrupt[];
}

/** What stream() gives: the parts, and (from an engine that reports it) the run's outcome. */
export type EngineStream = AsyncIterable<EnginePart> & { outcome?: Promise<EngineOutcome> };

export interface StreamableGraph {
  stream(input: unknown, options: GraphStreamOptions): Promise<EngineStream> | EngineStream;
  /**
   * True when its streams carry `outcome` (Rill's engine): the run manager then streams only the modes a
   * client asked for. Without it (LangGraph.js's engine, test fakes) "updates" is streamed too and read
   * for `__interrupt__`.
   */
  readonly reportsOutcome?: boolean;
}

export interface RunnableGraph {
  id: string;
  input: z.ZodType;
  /** True when its nodes call the chat model: its runs' metadata names the model. */
  usesModel?: boolean;
  /** Why this graph cannot run (a project graph that failed to load); runs of it are refused with it. */
  error?: string;
  /** Compiled once, on first use. */
  graph(): StreamableGraph;
  /** The server's checkpointer, given before the graph is first compiled: used unless the graph brings its own. */
  useCheckpointer?(saver: BaseCheckpointSaver): void;
  /** The graph's thread state (getState, history, updateState) through the engine; undefined when it cannot have one. */
  threadState?(): ThreadStateGraph | undefined;
}

export interface GraphSource {
  get(graphId: string): RunnableGraph | undefined;
  ids(): string[];
}
