// A batch of checkpoints and writes flattened for postMessage, as the SQLite saver's commit thread receives
// it (commitThread.ts): rows one after the other, each a tag and its fields, strings and numbers (and bytes
// for a non-JSON value), so that handing a batch to the thread copies no object graph (an operation's
// `versions` and `stored` stay behind: the layout says what they held).
//
//   PUT and 8 fields: thread, namespace, id, parent, type, checkpoint, metadata, layout
//   WRITE and 9: thread, namespace, checkpoint id, task, index, channel, type, value, task path
// The common rows (root namespace, JSON, no task path) send fewer:
//   PUT_ROOT and 6: thread, id, parent, checkpoint, metadata, layout
//   WRITE_ROOT and 6: thread, checkpoint id, task, index, channel, value
// and a run's next step fewer still, leaving out the thread and ids it shares with the last PUT_ROOT or
// PUT_NEXT of the batch ("the last put"):
//   PUT_NEXT and 4: id, checkpoint, metadata, layout (the last put's thread, its id as parent)
//   WRITE_NEXT and 4: task, index, channel, value (the last put's thread and id)
// A PUT (another namespace) forgets the last put. Each field neither sent nor bound costs both threads a
// copy, and the thread a bind.
//
// Chained checkpoints (the engine's own: chains.ts): CHAIN and the fields of PUT_ROOT starts a chain,
// CHAIN_NEXT and those of PUT_NEXT continues it (the last put is the chain's last checkpoint), and a
// WRITE_NEXT right after either, or after such writes, goes in the chain with that checkpoint. Any other
// row ends the chain; so does the end of the batch: a chain is written as one row of checkpoint_chains.
// flattenBatch decides this with chainsPut and chainsWrite, as gatherChains does for PostgreSQL's batches.
// A chain written as queued (../durable/queuedChains.ts) comes whole:
//   CHAIN_BYTES and 5: thread, first id, last id, parent, body (its UTF-8 bytes)
// and its last checkpoint becomes the last put.
import { chainsPut, chainsWrite } from "../durable/chains";
import type { QueuedOp } from "../durable/queuedChains";

export type FlatBatch = unknown[];
export const PUT = 0;
export const WRITE = 1;
export const PUT_ROOT = 2;
export const WRITE_ROOT = 3;
export const PUT_NEXT = 4;
export const WRITE_NEXT = 5;
export const CHAIN = 6;
export const CHAIN_NEXT = 7;
export const CHAIN_BYTES = 8;

/** The batch's rows (`chainable`: the saver encodes plain JSON, so the engine's checkpoints may be chained). */
export function flattenBatch(ops: QueuedOp[], chainable: boolean): FlatBatch {
  const rows: FlatBatch = [];
  // The last put's thread and id, as the reader tracks them, and whether a chain is open (the last put its last checkpoint).
  let lastThread: string | null = null;
  let lastPut: string | null = null;
  let chainOpen = false;
  for (const op of ops) {
    const root = op.ns === "";
    if (op.kind === "chain") {
      rows.push(CHAIN_BYTES, op.threadId, op.firstId, op.lastId, op.parentId, op.bytes());
      lastThread = op.threadId;
      lastPut = op.lastId;
      chainOpen = false;
      continue;
    }
    if (op.kind === "put") {
      if (root && op.checkpoint[0] === "json") {
        const next = op.threadId === lastThread && op.parentId === lastPut;
        if (chainsPut(op, chainable)) {
          if (next && chainOpen) rows.push(CHAIN_NEXT, op.id, op.checkpoint[1], op.metadata, op.layout);
          else rows.push(CHAIN, op.threadId, op.id, op.parentId, op.checkpoint[1], op.metadata, op.layout);
          chainOpen = true;
        } else {
          if (next) rows.push(PUT_NEXT, op.id, op.checkpoint[1], op.metadata, op.layout);
          else rows.push(PUT_ROOT, op.threadId, op.id, op.parentId, op.checkpoint[1], op.metadata, op.layout);
          chainOpen = false;
        }
        lastThread = op.threadId;
        lastPut = op.id;
      } else {
        rows.push(PUT, op.threadId, op.ns, op.id, op.parentId, op.checkpoint[0], op.checkpoint[1], op.metadata, op.layout);
        lastThread = lastPut = null;
        chainOpen = false;
      }
      continue;
    }
    const next = root && op.threadId === lastThread && op.checkpointId === lastPut;
    for (const w of op.rows) {
      if (root && w.value[0] === "json" && w.taskPath === "") {
        // A write going in the chain: its ids and value become fields of the chain's body.
        if (next && (!chainOpen || chainsWrite(w))) rows.push(WRITE_NEXT, w.taskId, w.idx, w.channel, w.value[1]);
        else {
          rows.push(WRITE_ROOT, op.threadId, op.checkpointId, w.taskId, w.idx, w.channel, w.value[1]);
          chainOpen = false;
        }
      } else {
        rows.push(WRITE, op.threadId, op.ns, op.checkpointId, w.taskId, w.idx, w.channel, w.value[0], w.value[1], w.taskPath);
        chainOpen = false;
      }
    }
  }
  return rows;
}
