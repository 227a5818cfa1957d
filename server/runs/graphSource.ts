// What the run manager needs from a graph: validate an input, stream a run. The registry adapts the
// engine's compiled graphs to this; the manager's own tests use fakes.
import type { z } from "zod";
import type { BaseCheckpointSaver } from "../../lib/graph/checkpoint/base";
import type { Namespace, StreamMode, StreamPart } from "../../lib/graph/types";
import type { ThreadStateGraph } from "../threads/threadStateGraph";

export interface GraphStreamOptions {
  streamMode: StreamMode[];
  /** Set (true) only when subgraph events are wanted: the stream then yields `[namespace, mode, chunk]`. */
  subgraphs?: true;
  signal: AbortSignal;
  configurable: Record<string, unknown>;
  recursionLimit?: number;
}

/** What an engine stream yields: `[mode, chunk]`, or `[namespace, mode, chunk]` with `subgraphs: true`. */
export type EnginePart = StreamPart | [Namespace, ...StreamPart];

export interface StreamableGraph {
  stream(input: unknown, options: GraphStreamOptions): Promise<AsyncIterable<EnginePart>> | AsyncIterable<EnginePart>;
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
