// The sink of a graph streamed inside a running node without a config of its own (LangGraph.js's
// inherited config): its chunks go to that stream in the modes it asked for, and also into the calling
// run's stream under the calling task's namespace, as that run forwards a subgraph's (custom always,
// every mode with `subgraphs: true`).
import type { Namespace, StreamMode } from "../types";
import { StreamSink, type ChunkTarget, type ModeFlags } from "./streamSink";

function union(a: ModeFlags, b: ModeFlags): ModeFlags {
  const out = { ...a };
  for (const mode of Object.keys(b) as StreamMode[]) if (b[mode]) out[mode] = true;
  return out;
}

export class CallerTeeSink extends StreamSink {
  private readonly own: ModeFlags;
  private readonly ownNested: ModeFlags;

  constructor(
    target: ChunkTarget,
    modes: readonly StreamMode[],
    single: boolean,
    subgraphs: boolean,
    /** The calling run's sink, and the namespace its chunks of this graph carry. */
    private readonly caller: StreamSink,
    private readonly callerNs: Namespace,
  ) {
    super(target, modes, single, subgraphs);
    this.own = this.root;
    this.ownNested = this.nested;
    (this as { root: ModeFlags }).root = union(this.own, caller.nested);
    (this as { nested: ModeFlags }).nested = union(this.ownNested, caller.nested);
  }

  override emit(ns: Namespace, mode: StreamMode, chunk: unknown): void {
    if (ns.length === 0 ? this.own[mode] : this.ownNested[mode]) super.emit(ns, mode, chunk);
    if (this.caller.nested[mode]) this.caller.emit([...this.callerNs, ...ns], mode, chunk);
  }
}
