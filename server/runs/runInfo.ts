// A run as `runs.get` / `runs.list` / `runs.resume` / `runs.cancel` describe it: the store's record,
// copied (callers must not hold the store's mutable object) and named for clients.
import type { Interrupt, StreamMode, TaskError } from "../../lib/graph/types";
import { formatEventId } from "../../lib/run/eventId";
import type { RunStatus } from "../../lib/run/runStatus";
import type { RunRecord } from "./runStore";

export interface RunInfo {
  runId: string;
  graphId: string;
  /** The thread the run continues. */
  threadId?: string;
  status: RunStatus;
  streamMode: StreamMode[];
  /** True when the run streams its subgraphs' events too. */
  subgraphs?: true;
  model?: string;
  input: unknown;
  createdAt: string;
  updatedAt: string;
  endedAt?: string;
  interrupts?: Interrupt[];
  error?: TaskError;
  reason?: string;
  /** Id of the newest event, `<runId>:<seq>`. */
  lastEventId: string;
  /** Events logged so far (the metadata event not counted). */
  events: number;
  /** Seq of the oldest event still replayable; older ones were evicted by the store's limits. */
  firstAvailableSeq: number;
  /** The process executing the run (RILL_INSTANCE_ID in a deployment), or that last executed it; with a durable store. */
  worker?: string;
}

export function toRunInfo(record: RunRecord): RunInfo {
  const { metadata } = record;
  const info: RunInfo = {
    runId: metadata.run_id,
    graphId: metadata.graph_id,
    status: record.status,
    streamMode: [...metadata.stream_mode],
    input: record.input,
    createdAt: metadata.created_at,
    updatedAt: new Date(record.updatedAt).toISOString(),
    lastEventId: formatEventId(metadata.run_id, record.lastSeq),
    events: record.lastSeq,
    firstAvailableSeq: record.firstSeq,
  };
  if (metadata.thread_id !== undefined) info.threadId = metadata.thread_id;
  if (metadata.subgraphs) info.subgraphs = true;
  if (metadata.model !== undefined) info.model = metadata.model;
  if (record.endedAt !== undefined) info.endedAt = new Date(record.endedAt).toISOString();
  if (record.interrupts) info.interrupts = record.interrupts.map((i) => ({ ...i }));
  if (record.error) info.error = { ...record.error };
  if (record.reason !== undefined) info.reason = record.reason;
  if (record.executor !== undefined) info.worker = record.executor;
  return info;
}
