// What `runs.stream` yields, each wrapped in `tracked(eventId, event)`: the run server's own events
// (metadata first, status changes, a final error) around the engine's `[mode, chunk]` tuples.
import type { StreamMode, StreamPart, TaskError } from "../../lib/graph/types";
import type { RunStatus } from "../../lib/run/runStatus";

export type { RunStatus };

export interface RunMetadata {
  run_id: string;
  graph_id: string;
  stream_mode: StreamMode[];
  /** The chat model runs of this graph use, e.g. "offline:rill-offline" or "gpt-4o-mini @ https://api.openai.com/v1". */
  model?: string;
  created_at: string;
}

export interface RunStatusEvent {
  status: RunStatus;
  /** Set when status is "interrupted": what the interrupted nodes asked. */
  interrupts?: Array<{ id: string; value: unknown }>;
  reason?: string;
}

export type RunEvent =
  | ["metadata", RunMetadata]
  | ["status", RunStatusEvent]
  | ["error", TaskError]
  | StreamPart;

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
