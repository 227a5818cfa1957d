// multitaskStrategy "rollback": after the cancelled run's engine has stopped, its checkpoints go. What it
// made is every checkpoint of the thread newer than the one it started from (ids are time-ordered), or all
// of them when the thread had none. Rill's three savers can drop them; another saver (a graph's own) cannot.
import type { BaseCheckpointSaver } from "../../lib/graph/checkpoint/base";
import { MemorySaver } from "../../lib/graph/checkpoint/memory/memorySaver";
import { DurableSaver } from "../../lib/graph/checkpoint/durable/durableSaver";

/** Drops the checkpoints of `threadId` after `startedFrom` (all of them when undefined). */
export async function dropCheckpointsAfter(saver: BaseCheckpointSaver, threadId: string, startedFrom: string | undefined): Promise<void> {
  if (startedFrom === undefined) return saver.deleteThread(threadId);
  if (saver instanceof MemorySaver) return saver.deleteCheckpointsAfter(threadId, startedFrom);
  if (saver instanceof DurableSaver) return saver.dropCheckpointsAfter(threadId, startedFrom);
  throw new Error(`this graph's own checkpointer (${saver.constructor.name}) cannot drop single checkpoints; use multitaskStrategy "interrupt"`);
}
