// Formats what a run emits into the shapes LangGraph.js yields and hands them to the buffer:
// a single mode gives bare chunks, a list gives [mode, chunk], `subgraphs: true` prefixes the namespace.
import type { Namespace, StreamMode } from "../types";

export type ModeFlags = Record<StreamMode, boolean>;

export function modeFlags(modes: readonly StreamMode[]): ModeFlags {
  return {
    values: modes.includes("values"),
    updates: modes.includes("updates"),
    custom: modes.includes("custom"),
    messages: modes.includes("messages"),
    debug: modes.includes("debug"),
    tasks: modes.includes("tasks"),
    checkpoints: modes.includes("checkpoints"),
    tools: modes.includes("tools"),
  };
}

export const NO_MODES: ModeFlags = modeFlags([]);

export interface ChunkTarget {
  push(item: unknown): void;
}

export class StreamSink {
  /** Modes emitted at the root namespace. */
  readonly root: ModeFlags;
  /**
   * Modes a subgraph forwards: all of them with `subgraphs: true`; otherwise only custom (a node's
   * writer reaches the root either way). A subgraph's "messages" need `subgraphs: true`, as in LangGraph.js.
   */
  readonly nested: ModeFlags;

  constructor(
    readonly target: ChunkTarget,
    modes: readonly StreamMode[],
    private readonly single: boolean,
    private readonly subgraphs: boolean,
  ) {
    this.root = modeFlags(modes);
    this.nested = subgraphs ? this.root : { ...NO_MODES, custom: this.root.custom };
  }

  emit(ns: Namespace, mode: StreamMode, chunk: unknown): void {
    if (this.subgraphs) this.target.push(this.single ? [ns, chunk] : [ns, mode, chunk]);
    else this.target.push(this.single ? chunk : [mode, chunk]);
  }
}
