// What the thread procedures need from a graph: its thread state through the engine (getState,
// getStateHistory, updateState) and the checkpointer that keeps it. Rill's compiled graphs and
// LangGraph.js's have these with the same names and shapes, so a project graph of either engine fits.
import type { BaseCheckpointSaver } from "../../lib/graph/checkpoint/base";

/** The parts of a state snapshot (Rill's StateSnapshot, LangGraph.js's) the thread procedures read. */
export interface ThreadSnapshot {
  values: unknown;
  next: string[];
  tasks: Array<{ id: string; name: string; interrupts?: Array<{ id?: string; value?: unknown }> }>;
  metadata?: Record<string, unknown>;
  config: { configurable?: Record<string, unknown> };
  createdAt?: string;
  parentConfig?: { configurable?: Record<string, unknown> };
}

export interface ThreadStateGraph {
  getState(config: { configurable: Record<string, unknown> }): Promise<ThreadSnapshot>;
  getStateHistory(
    config: { configurable: Record<string, unknown> },
    options?: { limit?: number; before?: { configurable: Record<string, unknown> } },
  ): AsyncIterable<ThreadSnapshot>;
  updateState(config: { configurable: Record<string, unknown> }, values: unknown, asNode?: string): Promise<{ configurable?: Record<string, unknown> }>;
  readonly checkpointer?: BaseCheckpointSaver | unknown;
}

/** Gives `compiled` the server's checkpointer unless it brings its own (a graph compiled with one keeps it). */
export function attachCheckpointer(compiled: object, saver: BaseCheckpointSaver | undefined): void {
  if (saver === undefined) return;
  const graph = compiled as { checkpointer?: unknown };
  if (graph.checkpointer === undefined || graph.checkpointer === null || graph.checkpointer === false) graph.checkpointer = saver;
}

/** `compiled` as a ThreadStateGraph, when it has the methods (any compiled graph of Rill or LangGraph.js does). */
export function asThreadStateGraph(compiled: object): ThreadStateGraph | undefined {
  const graph = compiled as Partial<ThreadStateGraph>;
  if (typeof graph.getState !== "function" || typeof graph.getStateHistory !== "function" || typeof graph.updateState !== "function") return undefined;
  return graph as ThreadStateGraph;
}
