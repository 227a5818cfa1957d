// How a durable saver (SQLite, PostgreSQL) lays out what it stores, shared by both:
// - a checkpoint row: the checkpoint without the values of its versioned channels, plus its metadata;
// - a blob per (channel, version): a versioned channel's value is stored once, when `put` names its version
//   in `newVersions` (the channels that changed), and found again through the checkpoint's channel_versions;
//   so an unchanged channel is neither serialized nor stored again at each step. Values of channels that
//   have no version stay inside the checkpoint row (LangGraph's savers allow both);
// - a row per pending write, keyed by (checkpoint, task, index) with LangGraph's replace rules.
// Channel versions are strings "<counter>.<random>" so two forks of a thread never share a blob key.
import {
  TASKS,
  WRITES_IDX_MAP,
  maxChannelVersion,
  type ChannelVersion,
  type ChannelVersions,
  type Checkpoint,
  type CheckpointConfig,
  type CheckpointMetadata,
  type CheckpointPendingWrite,
  type CheckpointTuple,
  type PendingWrite,
} from "../base";
import type { Encoded, ValueCodec } from "./serialized";

export interface BlobRecord {
  channel: string;
  version: string;
  /** null: the channel has a version but no value (LangGraph's "empty"). */
  value: Encoded | null;
}

export interface PutOp {
  kind: "put";
  threadId: string;
  ns: string;
  id: string;
  parentId: string | null;
  checkpoint: Encoded;
  metadata: string;
  blobs: BlobRecord[];
  /** Set while an async serializer is still encoding. */
  ready?: Promise<void>;
}

export interface WriteRecord {
  taskId: string;
  idx: number;
  channel: string;
  value: Encoded;
  taskPath: string;
}

export interface WritesOp {
  kind: "writes";
  threadId: string;
  ns: string;
  checkpointId: string;
  rows: WriteRecord[];
  ready?: Promise<void>;
}

export type SaverOp = PutOp | WritesOp;

/** A stored checkpoint row, as both backends read it back. */
export interface CheckpointRow {
  threadId: string;
  ns: string;
  id: string;
  parentId: string | null;
  type: string;
  data: string | Uint8Array;
  metadata: string;
}

export interface WriteRow {
  taskId: string;
  channel: string;
  type: string;
  data: string | Uint8Array;
}

export function threadIdOf(saver: string, method: string, config: CheckpointConfig): string {
  const value = config.configurable?.thread_id;
  if (typeof value === "string" && value !== "") return value;
  if (typeof value === "number") return String(value);
  const got = value === undefined ? "nothing" : value === null ? "null" : value === "" ? "an empty string" : typeof value;
  throw new Error(`${saver}.${method}: configurable.thread_id must be a non-empty string, got ${got} (pass { configurable: { thread_id: "..." } })`);
}

/** Turns `put`'s arguments into what is stored; throws for a bad config before anything is queued. */
export function preparePut(saver: string, codec: ValueCodec, config: CheckpointConfig, checkpoint: Checkpoint, metadata: CheckpointMetadata, newVersions: ChannelVersions): PutOp {
  const threadId = threadIdOf(saver, "put", config);
  const ns = (config.configurable?.checkpoint_ns as string | undefined) ?? "";
  const values = checkpoint.channel_values ?? {};
  const versions = checkpoint.channel_versions ?? {};
  const inline: Record<string, unknown> = {};
  const blobs: BlobRecord[] = [];
  const pending: Promise<void>[] = [];
  for (const channel in values) {
    if (versions[channel] === undefined) inline[channel] = values[channel];
    else if (newVersions[channel] !== undefined) {
      const blob: BlobRecord = { channel, version: String(newVersions[channel]), value: null };
      const encoded = codec.encode(values[channel]);
      if (encoded instanceof Promise) pending.push(encoded.then((e) => void (blob.value = e)));
      else blob.value = encoded;
      blobs.push(blob);
    }
  }
  for (const channel in newVersions) if (!(channel in values)) blobs.push({ channel, version: String(newVersions[channel]), value: null });
  const stored = { v: checkpoint.v, id: checkpoint.id, ts: checkpoint.ts, channel_values: inline, channel_versions: versions, versions_seen: checkpoint.versions_seen ?? {} };
  const op: PutOp = {
    kind: "put",
    threadId,
    ns,
    id: checkpoint.id,
    parentId: (config.configurable?.checkpoint_id as string | undefined) || null,
    checkpoint: ["json", ""],
    metadata: JSON.stringify(metadata ?? {}),
    blobs,
  };
  const encoded = codec.encode(stored);
  if (encoded instanceof Promise) pending.push(encoded.then((e) => void (op.checkpoint = e)));
  else op.checkpoint = encoded;
  if (pending.length > 0) op.ready = Promise.all(pending).then(() => undefined);
  return op;
}

export function prepareWrites(saver: string, codec: ValueCodec, config: CheckpointConfig, writes: PendingWrite[], taskId: string, taskPath = ""): WritesOp {
  const threadId = threadIdOf(saver, "putWrites", config);
  const checkpointId = config.configurable?.checkpoint_id as string | undefined;
  if (!checkpointId) throw new Error(`${saver}.putWrites: the config is missing configurable.checkpoint_id (thread ${threadId})`);
  const ns = (config.configurable?.checkpoint_ns as string | undefined) ?? "";
  const rows: WriteRecord[] = [];
  const pending: Promise<void>[] = [];
  for (let i = 0; i < writes.length; i++) {
    const [channel, value] = writes[i];
    const row: WriteRecord = { taskId, idx: WRITES_IDX_MAP[channel] ?? i, channel, value: ["json", ""], taskPath };
    const encoded = codec.encode(value);
    if (encoded instanceof Promise) pending.push(encoded.then((e) => void (row.value = e)));
    else row.value = encoded;
    rows.push(row);
  }
  const op: WritesOp = { kind: "writes", threadId, ns, checkpointId, rows };
  if (pending.length > 0) op.ready = Promise.all(pending).then(() => undefined);
  return op;
}

/**
 * Builds a tuple from a checkpoint row: the versioned channels' values come from `blob` (undefined when
 * none is stored), the pending writes from `writes`, and checkpoints before format 4 get their parent's
 * pending Sends (`parentSends`) as the TASKS channel, as LangGraph migrates them.
 */
export async function assembleTuple(
  codec: ValueCodec,
  row: CheckpointRow,
  blob: (channel: string, version: string) => Promise<{ type: string; data: string | Uint8Array } | null | undefined> | { type: string; data: string | Uint8Array } | null | undefined,
  writes: WriteRow[],
  parentSends: () => Promise<WriteRow[]> | WriteRow[],
  nextVersion: (current: ChannelVersion | undefined) => ChannelVersion,
): Promise<CheckpointTuple> {
  const checkpoint = (await codec.decode(row.type, row.data)) as Checkpoint;
  const values = (checkpoint.channel_values ??= {});
  const versions = (checkpoint.channel_versions ??= {});
  for (const channel in versions) {
    if (channel in values) continue;
    const stored = await blob(channel, String(versions[channel]));
    if (stored !== undefined && stored !== null && stored.type !== "empty") values[channel] = await codec.decode(stored.type, stored.data);
  }
  if (checkpoint.v < 4 && row.parentId !== null) {
    const sends: unknown[] = [];
    for (const w of await parentSends()) sends.push(await codec.decode(w.type, w.data));
    values[TASKS] = sends;
    const existing = Object.values(versions);
    versions[TASKS] = existing.length > 0 ? maxChannelVersion(...existing) : nextVersion(undefined);
  }
  const pendingWrites: CheckpointPendingWrite[] = [];
  for (const w of writes) pendingWrites.push([w.taskId, w.channel, await codec.decode(w.type, w.data)]);
  const tuple: CheckpointTuple = {
    config: { configurable: { thread_id: row.threadId, checkpoint_ns: row.ns, checkpoint_id: row.id } },
    checkpoint,
    metadata: JSON.parse(row.metadata) as CheckpointMetadata,
    pendingWrites,
  };
  if (row.parentId !== null) tuple.parentConfig = { configurable: { thread_id: row.threadId, checkpoint_ns: row.ns, checkpoint_id: row.parentId } };
  return tuple;
}

/** "<counter>.<random>": ordered by the counter (zero-padded), unique across forks by the random part. */
export function nextStringVersion(current: ChannelVersion | undefined): string {
  let n = 0;
  if (typeof current === "number") n = current;
  else if (typeof current === "string") n = Number.parseInt(current.split(".")[0], 10) || 0;
  return `${String(n + 1).padStart(32, "0")}.${Math.random().toString(16).slice(2, 18).padEnd(16, "0")}`;
}

/** The metadata filter keys a backend can test in SQL (simple names, string/number values); the rest is tested in JS. */
export function metadataMatches(metadata: CheckpointMetadata, filter: Record<string, unknown> | undefined): boolean {
  if (filter === undefined) return true;
  for (const key in filter) if (metadata[key] !== filter[key]) return false;
  return true;
}
