// multitaskStrategy "rollback": after the cancelled run's engine has stopped, its checkpoints go. What it
// made is every checkpoint of the thread newer than the one it started from (ids are time-ordered), or all
// of them when the thread had none. Rill's three savers can drop them; another saver (a graph's own) cannot.
import type { BaseCheckpointSaver } from "../../lib/graph/checkpoint/base";
import { MemorySaver } from "../../lib/graph/checkpoint/memory/memorySaver";
import { PostgresSaver } from "../../lib/graph/checkpoint/postgres";
import { SqliteSaver } from "../../lib/graph/checkpoint/sqlite";

/** Drops the checkpoints of `threadId` after `startedFrom` (all of them when undefined). */
export async function dropCheckpointsAfter(saver: BaseCheckpointSaver, threadId: string, startedFrom: string | undefined): Promise<void> {
  if (startedFrom === undefined) return saver.deleteThread(threadId);
  if (saver instanceof MemorySaver) return saver.deleteCheckpointsAfter(threadId, startedFrom);
  if (saver instanceof SqliteSaver) return saver.dropCheckpointsAfter(threadId, startedFrom);
  // A read commits what the saver still holds queued (group commit), so nothing lands after the delete.
  await saver.getTuple({ configurable: { thread_id: threadId, checkpoint_ns: "" } });
  if (saver instanceof PostgresSaver) {
    const s = `"${saver.schema.replace(/"/g, '""')}"`;
    await saver.pool.query(
      `WITH w AS (DELETE FROM ${s}.rill_checkpoint_writes WHERE thread_id = $1 AND checkpoint_id > $2)
       DELETE FROM ${s}.rill_checkpoints WHERE thread_id = $1 AND checkpoint_id > $2`,
      [threadId, startedFrom],
    );
    return;
  }
  throw new Error(`this graph's own checkpointer (${saver.constructor.name}) cannot drop single checkpoints; use multitaskStrategy "interrupt"`);
}
