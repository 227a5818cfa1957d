// Chains: how a durable saver stores a batch of a run's consecutive checkpoints in one row (SQLite's
// `checkpoint_chains`, PostgreSQL's `rill_checkpoint_chains`) instead of a row each, with the writes made on
// each: one insert for a batch of steps. Only the engine's own checkpoints go in a chain (new ids, put once:
// `PutOp.chained`), in the root namespace, encoded as plain JSON, and with ids holding no U+0000. SQLite's
// commit thread gathers them (commitThread.ts), PostgreSQL's batches with gatherChains.
//
// A chain row: `first_id` and `last_id` (its first and last checkpoint's ids), `parent_id` (the first one's
// parent; each next one's parent is the one before it) and `body`, the fields of its checkpoints joined by
// U+0000, for each checkpoint in order: id, checkpoint JSON, metadata JSON, layout JSON, the number n of
// writes made on it that follow, then n times task id, index, channel, value JSON. No field holds U+0000:
// JSON writes it escaped, and the ids are checked before a checkpoint is chained (textField).
//
// Readers see a chained checkpoint as a checkpoint row whose writes made within the chain come with it
// (`folded`); writes made on it later (after its chain committed) are in the writes table, as any. A
// checkpoint put again with the same id (only `put`, never the engine, does) is stored as a row of the
// checkpoints table, which then wins over the chained one.
import type { CheckpointConfig, CheckpointListOptions } from "../base";
import { listClauses } from "./durableSaver";
import type { QueuedOp } from "./queuedChains";
import type { PutOp, WriteRecord, WritesOp, WriteRow } from "./records";

/** Separates a chain body's fields. */
export const CHAIN_SEPARATOR = "\u0000";

/** True when `field` can be an id in a chain body (it holds no U+0000). */
export function textField(field: string): boolean {
  return field.indexOf(CHAIN_SEPARATOR) === -1;
}

/** A row of `checkpoint_chains`. */
export interface ChainRow {
  thread_id: string;
  checkpoint_ns: string;
  first_id: string;
  last_id: string;
  parent_id: string | null;
  body: string;
}

/** A checkpoint as `checkpoints` holds it, and for a chained one the writes its chain holds. */
export interface CheckpointTableRow {
  thread_id: string;
  checkpoint_ns: string;
  checkpoint_id: string;
  parent_id: string | null;
  type: string;
  checkpoint: string | Uint8Array;
  metadata: string;
  layout: string;
  /** A chained checkpoint's writes made within its chain, in the order made (absent for a table row). */
  folded?: WriteRow[];
}

/** The checkpoints of a chain, in order (each the parent of the next). */
export function chainEntries(chain: ChainRow): CheckpointTableRow[] {
  const fields = chain.body.split(CHAIN_SEPARATOR);
  const entries: CheckpointTableRow[] = [];
  let parent = chain.parent_id;
  for (let i = 0; i < fields.length; ) {
    const id = fields[i];
    const writes = Number(fields[i + 4]);
    const folded: WriteRow[] = [];
    let at = i + 5;
    for (let w = 0; w < writes; w++, at += 4) folded.push({ taskId: fields[at], idx: Number(fields[at + 1]), channel: fields[at + 2], type: "json", data: fields[at + 3] });
    entries.push({
      thread_id: chain.thread_id,
      checkpoint_ns: chain.checkpoint_ns,
      checkpoint_id: id,
      parent_id: parent,
      type: "json",
      checkpoint: fields[i + 1],
      metadata: fields[i + 2],
      layout: fields[i + 3],
      folded,
    });
    parent = id;
    i = at;
  }
  return entries;
}

/**
 * A chain cut after checkpoint `checkpointId` (a rollback): its new last id and body, or null when none of
 * its checkpoints is left.
 */
export function cutChain(chain: ChainRow, checkpointId: string): { lastId: string; body: string } | null {
  const kept = chainEntries(chain).filter((entry) => compareText(entry.checkpoint_id, checkpointId) <= 0);
  return kept.length === 0 ? null : { lastId: kept[kept.length - 1].checkpoint_id, body: chainBody(kept) };
}

/** The body of a chain holding `entries` (chainEntries' output, or a prefix of it). */
export function chainBody(entries: CheckpointTableRow[]): string {
  const fields: Array<string | number> = [];
  for (const e of entries) {
    const folded = e.folded ?? [];
    fields.push(e.checkpoint_id, e.checkpoint as string, e.metadata, e.layout, folded.length);
    for (const w of folded) fields.push(w.taskId, w.idx!, w.channel, w.data as string);
  }
  return fields.join(CHAIN_SEPARATOR);
}

/** SQLite's order of TEXT (BINARY: UTF-8 bytes) for two strings: negative, zero or positive. */
export function compareText(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    // UTF-16 orders surrogates (astral characters) below U+E000-U+FFFF; UTF-8 orders them above.
    if (x >= 0xd800 && x <= 0xdfff) x += 0x2000;
    else if (x >= 0xe000) x -= 0x800;
    if (y >= 0xd800 && y <= 0xdfff) y += 0x2000;
    else if (y >= 0xe000) y -= 0x800;
    return x - y;
  }
  return a.length - b.length;
}

/**
 * A checkpoint's pending writes, in the order the writes table's query gives them (task path, task id,
 * index): those its chain holds, in the order made, then those stored after it (`table`). A key (task,
 * index) written more than once keeps, as the table's rules do, the first for a regular write and the last
 * for a special one (negative index).
 */
export function mergeWrites(folded: WriteRow[] | undefined, table: WriteRow[]): WriteRow[] {
  if (folded === undefined || folded.length === 0) return table;
  const byKey = new Map<string, WriteRow & { path: string }>();
  for (const w of [...folded, ...table]) {
    const key = `${w.taskId}\u0000${w.idx}`;
    if (w.idx! >= 0 && byKey.has(key)) continue;
    byKey.set(key, { ...w, path: w.taskPath ?? "" });
  }
  return [...byKey.values()]
    .sort((a, b) => compareText(a.path, b.path) || compareText(a.taskId, b.taskId) || a.idx! - b.idx!)
    .map(({ path: _path, ...w }) => w);
}

/** Whether a put may go in a chain (`chainable`: the saver encodes plain JSON). */
export function chainsPut(op: PutOp, chainable: boolean): boolean {
  return chainable && op.chained && op.ns === "" && op.checkpoint[0] === "json" && typeof op.checkpoint[1] === "string" && textField(op.id);
}

/** Whether a write made on a chain's last checkpoint may go in the chain with it. */
export function chainsWrite(w: WriteRecord): boolean {
  return w.value[0] === "json" && typeof w.value[1] === "string" && w.taskPath === "" && textField(w.taskId) && textField(w.channel);
}

/** A chain gathered from a batch (gatherChains), as its row holds it (the body as text, or its UTF-8 bytes). */
export interface GatheredChain {
  threadId: string;
  firstId: string;
  lastId: string;
  parentId: string | null;
  body: string | Uint8Array;
}

/**
 * Goes through a batch in order, handing each checkpoint and write to `row` (stored as rows) or gathering it
 * in a chain, handed to `chain` once it ends (a checkpoint that does not follow it, a row, the batch's end);
 * a chain written as queued (queuedChains.ts) goes to `chain` as it is. `chainable`: the saver encodes
 * plain JSON (the chain's JSON fields are JSON texts).
 */
export function gatherChains(
  ops: QueuedOp[],
  chainable: boolean,
  handle: { put(op: PutOp): void; write(op: WritesOp, write: WriteRecord): void; chain(chain: GatheredChain): void },
): void {
  let open: { threadId: string; firstId: string; lastId: string; parentId: string | null; fields: Array<string | number>; count: number } | null = null;
  const end = () => {
    if (open === null) return;
    handle.chain({ threadId: open.threadId, firstId: open.firstId, lastId: open.lastId, parentId: open.parentId, body: open.fields.join(CHAIN_SEPARATOR) });
    open = null;
  };
  for (const op of ops) {
    if (op.kind === "chain") {
      end();
      handle.chain({ threadId: op.threadId, firstId: op.firstId, lastId: op.lastId, parentId: op.parentId, body: op.bytes() });
      continue;
    }
    if (op.kind === "put") {
      if (chainsPut(op, chainable)) {
        if (open !== null && (open.threadId !== op.threadId || open.lastId !== op.parentId)) end();
        open ??= { threadId: op.threadId, firstId: op.id, lastId: op.id, parentId: op.parentId, fields: [], count: 0 };
        open.lastId = op.id;
        open.count = open.fields.push(op.id, op.checkpoint[1] as string, op.metadata, op.layout, 0) - 1;
      } else {
        end();
        handle.put(op);
      }
      continue;
    }
    const onChain = open !== null && op.ns === "" && op.threadId === open.threadId && op.checkpointId === open.lastId;
    for (const w of op.rows) {
      if (onChain && open !== null && chainsWrite(w)) {
        open.fields.push(w.taskId, w.idx, w.channel, w.value[1] as string);
        (open.fields[open.count] as number)++;
      } else {
        end();
        handle.write(op, w);
      }
    }
  }
  end();
}

/** What `list` asks of chains: the WHERE clauses (one `?` each) naming those that may hold its checkpoints, and the tests for theirs. */
export interface ChainQuery {
  clauses: string[];
  params: unknown[];
  /** An exact checkpoint id, `before`'s id, and the limit (none with a metadata filter: the caller filters, then limits). */
  id?: string;
  below?: string;
  limit?: number;
}

export function chainQuery(config: CheckpointConfig, options: CheckpointListOptions): ChainQuery {
  const query: ChainQuery = { clauses: [], params: [] };
  const add = (clause: string, value: unknown) => (query.clauses.push(clause), query.params.push(value));
  // The checkpoints table's clauses, those on a checkpoint id turned into ones on a chain's ids.
  const table = listClauses(config, options);
  table.clauses.forEach((clause, i) => {
    const value = table.params[i];
    if (clause === "checkpoint_id = ?") (add("first_id <= ?", value), add("last_id >= ?", value), (query.id = value as string));
    else if (clause === "checkpoint_id < ?") (add("first_id < ?", value), (query.below = value as string));
    else add(clause, value);
  });
  if (options.filter === undefined && options.limit !== undefined) query.limit = Math.max(0, Math.floor(options.limit));
  return query;
}

/** A chain row without its parent and body (what `list` reads of every chain its query names). */
export type ChainKey = Pick<ChainRow, "thread_id" | "checkpoint_ns" | "first_id" | "last_id">;

/**
 * `list`'s rows (`rows`: those of the checkpoints table, newest first) with the chained checkpoints it may
 * yield, newest first by id (in byte order, as the tables order their ids); a row of the table wins over a
 * chained checkpoint of the same id. `keys`: the chains `query` names, by their last checkpoint newest
 * first; `load` reads one. With a limit, a chain is read only when one of its checkpoints can be among the
 * first `limit`.
 */
export async function withChained(
  rows: CheckpointTableRow[],
  keys: ChainKey[],
  load: (key: ChainKey) => ChainRow | undefined | Promise<ChainRow | undefined>,
  query: ChainQuery,
): Promise<CheckpointTableRow[]> {
  if (keys.length === 0) return rows;
  const { id, below, limit } = query;
  const keyOf = (row: CheckpointTableRow) => `${row.thread_id}\u0000${row.checkpoint_ns}\u0000${row.checkpoint_id}`;
  const seen = new Set(rows.map(keyOf));
  const all = [...rows];
  const byNewest = (a: CheckpointTableRow, b: CheckpointTableRow) => compareText(b.checkpoint_id, a.checkpoint_id);
  for (const key of keys) {
    // Chains come by their newest checkpoint: once `limit` rows are newer than this one's newest, no later chain adds any.
    if (limit !== undefined && all.length >= limit) {
      all.sort(byNewest);
      all.length = limit;
      if (limit === 0 || compareText(key.last_id, all[limit - 1].checkpoint_id) < 0) break;
    }
    const chain = await load(key);
    if (chain === undefined) continue;
    for (const entry of chainEntries(chain)) {
      if (id !== undefined && entry.checkpoint_id !== id) continue;
      if (below !== undefined && compareText(entry.checkpoint_id, below) >= 0) continue;
      if (!seen.has(keyOf(entry))) all.push(entry);
    }
  }
  all.sort(byNewest);
  if (limit !== undefined && all.length > limit) all.length = limit;
  return all;
}
