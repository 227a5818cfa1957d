// What `runs.stream` yields, each wrapped in `tracked(eventId, event)`: the run server's own events
// (metadata first, status changes, a final error) around the engine's `[mode, chunk]` tuples. A run started
// with `subgraphs: true` also logs its subgraphs' events as `[mode, chunk, namespace]`; root events keep
// the two-element shape, so a run without the option is exactly as before.
import type { Namespace, StreamMode, StreamPart, TaskError } from "../../lib/graph/types";
import type { RunStatus } from "../../lib/run/runStatus";

export type { RunStatus };

export interface RunMetadata {
  run_id: string;
  graph_id: string;
  /** The thread whose state the run continues (its own id for a run started without one, before threads). */
  thread_id?: string;
  stream_mode: StreamMode[];
  /** Present (true) only when the run streams its subgraphs' events too. */
  subgraphs?: true;
  /** The chat model runs of this graph use, e.g. "offline:rill-offline" or "gpt-4o-mini @ https://api.openai.com/v1". */
  model?: string;
  created_at: string;
}

export interface RunStatusEvent {
  status: RunStatus;
  /** Set when status is "interrupted": what the interrupted nodes asked. */
  interrupts?: Array<{ id: string; value: unknown }>;
  reason?: string;
  /** True on the "running" event logged when a restarted server continues a run its dead predecessor left running. */
  resumed?: true;
  /** With resumed: the process of a deployment that took the run over (server/cluster/). */
  worker?: string;
}

export type RunEvent =
  | ["metadata", RunMetadata]
  | ["status", RunStatusEvent]
  | ["error", TaskError]
  | StreamPart
  | SubgraphStreamPart;

/**
 * An event from inside a subgraph: the engine's `[mode, chunk]` and the subgraph's namespace, outermost
 * first (`["writers_room:<taskId>"]`, or longer for a subgraph inside a subgraph). Never empty.
 */
export type SubgraphStreamPart = { [M in StreamMode]: [...Extract<StreamPart, [M, unknown]>, Namespace] }[StreamMode];

/**
 * What `runs.streamBatches` yields, each wrapped in `tracked(<id of its last event>, batch)`: events that
 * follow each other in the run's log, so `events[i]` has the id `<runId>:<firstSeq + i>`. A batch holds
 * what was at hand when it was sent (never waits to fill up), at most 256 events and about 64 KiB.
 */
export interface RunEventBatch {
  runId: string;
  firstSeq: number;
  events: RunEvent[];
}
