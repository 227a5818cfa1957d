// The SQL a group-committed batch of puts and writes becomes, sent in one message either way:
// - copyOf: binary COPY of the batch's rows into both tables. The fast path: no conflict handling,
//   so a row that already exists fails the transaction with a unique violation (nothing is stored);
// - upsertBatch: one statement (data-modifying CTEs over unnest()ed arrays) with LangGraph's rules: the
//   last put of a checkpoint id wins, a write (checkpoint, task, index) is kept once, a special write
//   (negative index) replaces the one before it.
import pg from "pg";
import { gatherChains } from "../durable/chains";
import type { QueuedOp } from "../durable/queuedChains";
import type { PutOp } from "../durable/records";
import { BinaryCopyRows } from "./binaryCopy";
import { CopyIn } from "./copyIn";

/** SQLSTATE of a unique violation: a COPY met a row that exists (or is twice in the batch). */
export const UNIQUE_VIOLATION = "23505";

/** The schema-qualified, quoted table names. */
export interface Tables {
  checkpoints: string;
  writes: string;
  chains: string;
}

const CHECKPOINT_COLUMNS = "thread_id, checkpoint_ns, checkpoint_id, parent_id, type, checkpoint, metadata, layout";
const WRITE_COLUMNS = "thread_id, checkpoint_ns, checkpoint_id, task_id, idx, channel, type, value, task_path";
const CHAIN_COLUMNS = "thread_id, checkpoint_ns, first_id, last_id, parent_id, body";

const MAX_SIZE_HINT = 4 << 20;

/** Bytes to start the buffers of a batch's COPY with (the last batch's sizes, to spare the buffers' growth). */
export interface CopySizes {
  checkpoints: number;
  writes: number;
  chains?: number;
}

/**
 * The COPY of a batch's rows (a statement per table holding rows), after `prefix` (e.g. BEGIN) when
 * given; null when it holds none. The engine's consecutive checkpoints go in chains (`chainable`: plain
 * JSON; ../durable/chains.ts). `sizes` is updated with this batch's sizes.
 */
export function copyOf(t: Tables, ops: QueuedOp[], prefix = "", sizes: CopySizes = { checkpoints: 0, writes: 0 }, chainable = false): CopyIn | null {
  const checkpoints = new BinaryCopyRows(8, Math.min(sizes.checkpoints, MAX_SIZE_HINT) + 1024);
  const writes = new BinaryCopyRows(9, Math.min(sizes.writes, MAX_SIZE_HINT) + 1024);
  const chains = new BinaryCopyRows(6, Math.min(sizes.chains ?? 0, MAX_SIZE_HINT) + 1024);
  gatherChains(ops, chainable, {
    put: (op) => checkpoints.row().text(op.threadId).text(op.ns).text(op.id).textOrNull(op.parentId).text(op.checkpoint[0]).bytes(op.checkpoint[1]).text(op.metadata).text(op.layout),
    write: (op, w) => writes.row().text(op.threadId).text(op.ns).text(op.checkpointId).text(w.taskId).int(w.idx).text(w.channel).text(w.value[0]).bytes(w.value[1]).text(w.taskPath),
    chain: (c) => chains.row().text(c.threadId).text("").text(c.firstId).text(c.lastId).textOrNull(c.parentId).bytes(c.body),
  });
  const statements: string[] = prefix === "" ? [] : [prefix];
  const data: Buffer[][] = [];
  /** Adds the table's COPY; returns the bytes its buffer held (external bytes not counted: they are not copied into it). */
  const copy = (rows: BinaryCopyRows, table: string, columns: string): number => {
    if (rows.rows === 0) return 0;
    const messages = rows.messages();
    statements.push(`COPY ${table} (${columns}) FROM STDIN WITH (FORMAT binary)`);
    data.push(messages);
    return rows.bufferedBytes;
  };
  sizes.checkpoints = copy(checkpoints, t.checkpoints, CHECKPOINT_COLUMNS);
  sizes.writes = copy(writes, t.writes, WRITE_COLUMNS);
  sizes.chains = copy(chains, t.chains, CHAIN_COLUMNS);
  return data.length === 0 ? null : new CopyIn(statements.join(";\n"), data);
}

const bytes = (data: string | Uint8Array): Buffer => (typeof data === "string" ? Buffer.from(data, "utf8") : Buffer.from(data.buffer, data.byteOffset, data.byteLength));

function columns(n: number): unknown[][] {
  return Array.from({ length: n }, () => []);
}

export async function upsertBatch(db: pg.Pool | pg.ClientBase, t: Tables, ops: QueuedOp[]): Promise<void> {
  const puts = new Map<string, PutOp>();
  const keep = columns(9);
  const replace = new Map<string, unknown[]>();
  const chains = columns(5);
  for (const op of ops) {
    if (op.kind === "put") puts.set(`${op.threadId}\u0000${op.ns}\u0000${op.id}`, op);
    else if (op.kind === "chain") {
      // A chain written as queued holds new checkpoints only: it is stored again as it is (the batch is written again).
      const row = [op.threadId, op.firstId, op.lastId, op.parentId, op.bytes()];
      for (let i = 0; i < row.length; i++) chains[i].push(row[i]);
    } else {
      for (const w of op.rows) {
        const row = [op.threadId, op.ns, op.checkpointId, w.taskId, w.idx, w.channel, w.value[0], bytes(w.value[1]), w.taskPath];
        if (w.idx < 0) replace.set(`${op.threadId}\u0000${op.ns}\u0000${op.checkpointId}\u0000${w.taskId}\u0000${w.idx}`, row);
        else for (let i = 0; i < row.length; i++) keep[i].push(row[i]);
      }
    }
  }
  const cp = columns(8);
  for (const op of puts.values()) {
    const values = [op.threadId, op.ns, op.id, op.parentId, op.checkpoint[0], bytes(op.checkpoint[1]), op.metadata, op.layout];
    for (let i = 0; i < values.length; i++) cp[i].push(values[i]);
  }
  const rep = columns(9);
  for (const row of replace.values()) for (let i = 0; i < row.length; i++) rep[i].push(row[i]);
  if (chains[0].length > 0)
    await db.query(
      `INSERT INTO ${t.chains} (${CHAIN_COLUMNS}) SELECT a, '', b, c, d, e FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bytea[]) AS x(a, b, c, d, e)
       ON CONFLICT (thread_id, checkpoint_ns, first_id) DO UPDATE SET last_id = excluded.last_id, parent_id = excluded.parent_id, body = excluded.body`,
      chains,
    );
  const wTypes = (from: number) => ["text", "text", "text", "text", "int", "text", "text", "bytea", "text"].map((type, i) => `$${from + i}::${type}[]`).join(", ");
  await db.query(
    `WITH cp AS (
       INSERT INTO ${t.checkpoints} (${CHECKPOINT_COLUMNS})
       SELECT a, b, c, d, e, f, g, h FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bytea[], $7::text[], $8::text[]) AS x(a, b, c, d, e, f, g, h)
       ON CONFLICT (thread_id, checkpoint_ns, checkpoint_id) DO UPDATE SET parent_id = excluded.parent_id, type = excluded.type, checkpoint = excluded.checkpoint, metadata = excluded.metadata, layout = excluded.layout
     ), kw AS (
       INSERT INTO ${t.writes} (${WRITE_COLUMNS}) SELECT * FROM unnest(${wTypes(9)}) ON CONFLICT DO NOTHING
     )
     INSERT INTO ${t.writes} (${WRITE_COLUMNS}) SELECT * FROM unnest(${wTypes(18)})
     ON CONFLICT (thread_id, checkpoint_ns, checkpoint_id, task_id, idx) DO UPDATE SET channel = excluded.channel, type = excluded.type, value = excluded.value, task_path = excluded.task_path`,
    [...cp, ...keep, ...rep],
  );
}
