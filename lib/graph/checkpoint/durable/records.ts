// How a durable saver (SQLite, PostgreSQL) lays out what it stores, shared by both:
// - one row per checkpoint: the checkpoint holding the values of the channels that changed (those `put`
//   names in `newVersions`) and of unversioned channels, its metadata, and its layout: every versioned
//   channel's version, and for each channel another row holds, that row's id (see Layout). An unchanged
//   channel is thus neither serialized nor stored again at each step, and a read fetches it from that row.
//   The layout of a put is computed at commit time from its parent's (kept in a bounded cache, or read
//   back), in call order, so a batch may hold a whole run;
// - one row per pending write, keyed by (checkpoint, task, index) with LangGraph's replace rules.
// Channel versions are numbers (a thread stored by an earlier Rill keeps its strings "<counter>.<suffix>");
// two forks of a thread may number a channel alike, and never mix values up: layouts name rows, not versions.
import {
  TASKS,
  maxChannelVersion,
  writeIndex,
  type ChannelVersion,
  type ChannelVersions,
  type Checkpoint,
  type CheckpointConfig,
  type CheckpointMetadata,
  type CheckpointPendingWrite,
  type CheckpointTuple,
  type PendingWrite,
} from "../base";
import { setOwnValue } from "../../prototypeKeys";
import { NEXT_TASKS_CHANNEL } from "../checkpointFields";
import { checkpointJson, heldValuesJson, metadataJson, storedCheckpointJson, storesTasks, VersionsText } from "./stepJson";
import type { Encoded, ValueCodec } from "./serialized";

/**
 * A row's layout: every versioned channel's version (a row written by this Rill keeps its channel versions
 * here only), and, for each channel whose value another row holds, that row's id; a channel without a
 * pointer is held by this row. Stored as the JSON `[versions, pointers]`; rows an earlier Rill wrote hold
 * `{ channel: [version, id of the row holding it (none: this row)] }` instead (parseLayout reads both).
 */
export interface Layout {
  versions: Record<string, ChannelVersion>;
  pointers: Record<string, string>;
}

/** A row's stored layout, either form, read as a Layout (`rowId`: the row's own id). */
export function parseLayout(json: string, rowId: string): Layout {
  const parsed = JSON.parse(json) as [Record<string, ChannelVersion>, Record<string, string>] | Record<string, [ChannelVersion, string?]>;
  if (Array.isArray(parsed)) return { versions: parsed[0], pointers: parsed[1] };
  const versions: Record<string, ChannelVersion> = {};
  const pointers: Record<string, string> = {};
  for (const channel in parsed) {
    const [version, at] = parsed[channel];
    setOwnValue(versions, channel, version);
    if (at !== undefined && at !== rowId) setOwnValue(pointers, channel, at);
  }
  return { versions, pointers };
}

export interface PutOp {
  kind: "put";
  threadId: string;
  ns: string;
  id: string;
  parentId: string | null;
  checkpoint: Encoded;
  metadata: string;
  /** The versioned channels (channel → version); this row holds those that are keys of `stored` too. */
  versions: Record<string, ChannelVersion>;
  stored: Record<string, unknown>;
  /** Filled in at commit (resolveLayouts). */
  layout: string;
  /** Set while an async serializer is still encoding. */
  ready?: Promise<void>;
  /** The engine's own checkpoint (queuePut: `owned`): a new id, never put again, so it may go in a chain (chains.ts). */
  chained: boolean;
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
  layout: string;
}

export interface WriteRow {
  taskId: string;
  channel: string;
  type: string;
  data: string | Uint8Array;
  /** Where a reader merges writes of two sources (chains: chains.ts). */
  idx?: number;
  taskPath?: string;
}

export function threadIdOf(saver: string, method: string, config: CheckpointConfig): string {
  const value = config.configurable?.thread_id;
  if (typeof value === "string" && value !== "") return value;
  if (typeof value === "number") return String(value);
  const got = value === undefined ? "nothing" : value === null ? "null" : value === "" ? "an empty string" : typeof value;
  throw new Error(`${saver}.${method}: configurable.thread_id must be a non-empty string, got ${got} (pass { configurable: { thread_id: "..." } })`);
}

/**
 * Turns `put`'s arguments into what is stored; throws for a bad config before anything is queued. `owned`:
 * the caller hands over the checkpoint's channel_versions (every value a version, every channel of
 * channel_values among them, never changed afterwards: Rill's engine's, through queuePut), kept as they are.
 */
export function preparePut(saver: string, codec: ValueCodec, config: CheckpointConfig, checkpoint: Checkpoint, metadata: CheckpointMetadata, newVersions: ChannelVersions, owned = false): PutOp {
  const threadId = threadIdOf(saver, "put", config);
  const ns = (config.configurable?.checkpoint_ns as string | undefined) ?? "";
  const values = checkpoint.channel_values ?? {};
  const versions = checkpoint.channel_versions ?? {};
  if (owned && codec.synchronous) {
    // The row holds exactly the channels that moved (owned versions version every channel of the values,
    // so the moved ones are all among them): `stored` is newVersions itself.
    const json = ownedCheckpointJson(checkpoint, values, newVersions);
    if (json !== undefined) return putOp(threadId, ns, config, checkpoint, metadata, versions as Record<string, ChannelVersion>, newVersions, true, json);
  }
  // Own keys only, "__proto__" set as data: a channel may be named "__proto__" or "constructor" (a saver's
  // caller is not only Rill's engine, which refuses such state keys). Plain objects stay V8's fast ones.
  const inline: Record<string, unknown> = {};
  let versioned = versions as Record<string, ChannelVersion>;
  if (!owned) {
    versioned = {};
    for (const channel in versions) {
      const version = versions[channel];
      if (version !== undefined) setOwnValue(versioned, channel, version);
    }
  }
  // The engine's scheduled tasks are kept apart from the other values when encoded as JSON (stepJson.ts).
  const plainJson = codec.synchronous;
  let tasks: unknown;
  let tookTasks = false;
  let hasTasks = false;
  // The row holds the channels that moved (newVersions) and the unversioned ones; owned versions version
  // every channel, so then those are newVersions' (in the values' order: the engine's are made in it).
  for (const channel in owned ? newVersions : values) {
    const held = owned
      ? hasOwn(values, channel)
      : !hasOwn(versions, channel) || versions[channel] === undefined || (hasOwn(newVersions, channel) && newVersions[channel] !== undefined);
    if (!held) continue;
    if (plainJson && channel === NEXT_TASKS_CHANNEL) {
      tasks = values[channel];
      tookTasks = true;
      hasTasks = storesTasks(tasks);
    } else setOwnValue(inline, channel, values[channel]);
  }
  const op = putOp(threadId, ns, config, checkpoint, metadata, versioned, inline, owned, "");
  if (plainJson) {
    op.checkpoint[1] = storedCheckpointJson(checkpoint.v, checkpoint.ts, inline, NEXT_TASKS_CHANNEL, tasks, hasTasks, checkpoint.versions_seen ?? {});
    if (tookTasks) setOwnValue(inline, NEXT_TASKS_CHANNEL, tasks);
    return op;
  }
  const encoded = codec.encode({ v: checkpoint.v, ts: checkpoint.ts, channel_values: inline, versions_seen: checkpoint.versions_seen ?? {} });
  if (encoded instanceof Promise) op.ready = encoded.then((e) => void (op.checkpoint = e));
  else op.checkpoint = encoded;
  return op;
}

/** A put's operation; the row's key holds the id, and its layout the channel versions: neither is encoded again. */
function putOp(
  threadId: string,
  ns: string,
  config: CheckpointConfig,
  checkpoint: Checkpoint,
  metadata: CheckpointMetadata,
  versions: Record<string, ChannelVersion>,
  stored: Record<string, unknown>,
  chained: boolean,
  json: string,
): PutOp {
  return {
    kind: "put",
    threadId,
    ns,
    id: checkpoint.id,
    parentId: (config.configurable?.checkpoint_id as string | undefined) || null,
    checkpoint: ["json", json],
    metadata: metadataJson((metadata ?? {}) as Record<string, unknown>),
    versions,
    stored,
    layout: "{}",
    chained,
  };
}

/**
 * The JSON of the engine's own checkpoint (owned, plain JSON) written straight from the channels that moved,
 * without building the object of their values, when they are written by hand (heldValuesJson); undefined
 * otherwise (preparePut's general path writes it, as storedCheckpointJson).
 */
function ownedCheckpointJson(checkpoint: Checkpoint, values: Record<string, unknown>, newVersions: ChannelVersions): string | undefined {
  const entries = heldValuesJson(values, newVersions, NEXT_TASKS_CHANNEL);
  if (entries === undefined) return undefined;
  const tookTasks = hasOwn(newVersions, NEXT_TASKS_CHANNEL);
  if (tookTasks && !hasOwn(values, NEXT_TASKS_CHANNEL)) return undefined;
  const tasks = tookTasks ? values[NEXT_TASKS_CHANNEL] : undefined;
  return checkpointJson(checkpoint.v, checkpoint.ts, entries, NEXT_TASKS_CHANNEL, tasks, storesTasks(tasks), checkpoint.versions_seen ?? {});
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
    const row: WriteRecord = { taskId, idx: writeIndex(channel, i), channel, value: ["json", ""], taskPath };
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
 * Builds a tuple from a checkpoint row: a versioned channel the row does not hold comes from the row its
 * layout names (`source`: that row's checkpoint, decoded), the pending writes from `writes`, and
 * checkpoints before format 4 get their parent's pending Sends (`parentSends`) as the TASKS channel, as
 * LangGraph migrates them.
 */
export async function assembleTuple(
  codec: ValueCodec,
  row: CheckpointRow,
  source: (checkpointId: string) => Promise<Checkpoint | undefined>,
  writes: WriteRow[],
  parentSends: () => Promise<WriteRow[]> | WriteRow[],
  nextVersion: (current: ChannelVersion | undefined) => ChannelVersion,
): Promise<CheckpointTuple> {
  const stored = (await codec.decode(row.type, row.data)) as Checkpoint;
  const layout = parseLayout(row.layout, row.id);
  let checkpoint = stored;
  if (stored.channel_versions === undefined) {
    // Written by this Rill: the id is the row's, the versions are the layout's.
    const versions: ChannelVersions = { ...layout.versions };
    checkpoint = { v: stored.v, id: row.id, ts: stored.ts, channel_values: stored.channel_values, channel_versions: versions, versions_seen: stored.versions_seen ?? {} };
    for (const key in stored) if (!hasOwn(checkpoint, key)) setOwnValue(checkpoint as unknown as Record<string, unknown>, key, (stored as unknown as Record<string, unknown>)[key]);
  }
  const values = (checkpoint.channel_values ??= {});
  const versions = checkpoint.channel_versions;
  const { pointers } = layout;
  for (const channel in versions) {
    if (hasOwn(values, channel) || !hasOwn(pointers, channel) || !sameVersion(layout.versions[channel], versions[channel])) continue;
    const from = await source(pointers[channel]);
    if (from !== undefined && hasOwn(from.channel_values, channel)) setOwnValue(values, channel, from.channel_values[channel]);
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

/** What a put's layout is resolved from. */
export type LayoutPut = Pick<PutOp, "threadId" | "ns" | "id" | "parentId" | "versions" | "stored">;

/** A put's resolved layout (its versions and pointers), as the cache and a batch keep it. */
export interface ResolvedLayout extends Layout {
  threadId: string;
  ns: string;
  id: string;
  /** The JSON of `pointers` and how many it holds (a child pointing the same way reuses the text); -1: not known (a layout read back). */
  pointersJson: string;
  pointerCount: number;
}

/** Layouts resolved but maybe not readable yet (their batch still committing), by checkpoint id. */
export type ResolvedLayouts = Map<string, ResolvedLayout>;

/**
 * Computes the layouts of a batch's puts, in call order: a channel this row holds has no pointer, an
 * unchanged one points wherever its parent found the same version. The last layout of each
 * (thread, namespace) is cached (bounded: the thread cached longest ago goes first); a parent missing from
 * the cache is read back with `readLayout`. Keys are the ids as given (no string built per put).
 */
export class LayoutCache {
  /** The root namespace's last layouts by thread id; other namespaces' by namespace, then thread id. */
  private readonly root = new Map<string, ResolvedLayout>();
  private readonly nested = new Map<string, Map<string, ResolvedLayout>>();
  private nestedSize = 0;
  private readonly versionsText = new VersionsText();

  constructor(private readonly maxEntries = 10_000) {}

  /**
   * Resolves in call order. `batch` collects the layouts resolved (by checkpoint id) and is searched first:
   * one that outlives a call covers puts not readable yet. `readLayout` reads a committed parent back
   * (PostgreSQL's, which reads asynchronously, throws to stop there and resolves that put later).
   */
  resolveSync(ops: SaverOp[], readLayout: (threadId: string, ns: string, id: string) => Layout | undefined, batch: ResolvedLayouts = new Map()): void {
    for (const op of ops) {
      if (op.kind !== "put") continue;
      let parent: ResolvedLayout | undefined;
      const last = this.lastOf(op);
      if (op.parentId !== null) {
        parent = this.known(op, last, batch);
        if (parent === undefined) {
          const read = readLayout(op.threadId, op.ns, op.parentId);
          if (read !== undefined) parent = { threadId: op.threadId, ns: op.ns, id: op.parentId, versions: read.versions, pointers: read.pointers, pointersJson: "", pointerCount: -1 };
        }
      }
      const resolved = this.resolveOne(op, last, parent, batch);
      op.layout = `[${this.versionsText.of(op.versions)},${resolved.pointersJson}]`;
    }
  }

  /**
   * The layout of a put resolved as it is queued (its JSON is the caller's to write, before the thread's
   * next put is resolved), when it has no parent or its parent's layout is its thread's last; else
   * undefined. Only while no put queued before it waits to be resolved (the cache then holds every layout
   * it may need).
   */
  resolveQueued(put: LayoutPut): ResolvedLayout | undefined {
    const last = this.lastOf(put);
    if (put.parentId !== null && (last === undefined || last.id !== put.parentId)) return undefined;
    return this.resolveOne(put, last, put.parentId === null ? undefined : last, undefined);
  }

  /** After a failed commit: the cached layouts may name rows that were never written. */
  clear(): void {
    this.root.clear();
    this.nested.clear();
    this.nestedSize = 0;
  }

  forgetThread(threadId: string): void {
    this.root.delete(threadId);
    for (const threads of this.nested.values()) if (threads.delete(threadId)) this.nestedSize--;
  }

  /** Whether resolveQueued can resolve a put of this thread and namespace with parent `parentId`. */
  knowsParent(threadId: string, ns: string, parentId: string | null): boolean {
    return parentId === null || this.lastOf({ threadId, ns })?.id === parentId;
  }

  private lastOf(op: Pick<LayoutPut, "threadId" | "ns">): ResolvedLayout | undefined {
    return op.ns === "" ? this.root.get(op.threadId) : this.nested.get(op.ns)?.get(op.threadId);
  }

  /** The parent's layout when known: the thread's last one (the usual case: a run's next step), else one of the batch. */
  private known(op: PutOp, last: ResolvedLayout | undefined, batch: ResolvedLayouts): ResolvedLayout | undefined {
    if (last !== undefined && last.id === op.parentId) return last;
    const resolved = batch.get(op.parentId!);
    return resolved !== undefined && resolved.threadId === op.threadId && resolved.ns === op.ns ? resolved : undefined;
  }

  /**
   * Resolves `op`'s layout; returns it: a copy of the cache's entry when `batch` is given (then kept in it),
   * else maybe the entry itself (to be read before the thread's next put is resolved).
   */
  private resolveOne(op: LayoutPut, last: ResolvedLayout | undefined, parent: ResolvedLayout | undefined, batch: ResolvedLayouts | undefined): ResolvedLayout {
    const versions = op.versions;
    let pointers: Record<string, string>;
    let pointersJson: string;
    let pointerCount = 0;
    if (parent === undefined) {
      pointers = {};
      pointersJson = "{}";
    } else {
      // The usual step: every channel this row does not hold points where its parent's pointer does, and
      // the parent has no other pointer; then this row shares the parent's pointers and their text.
      let asParent = parent.pointerCount >= 0;
      const { versions: parentVersions, pointers: parentPointers } = parent;
      for (const channel in versions) {
        if (!points(op, parentVersions, channel)) continue;
        pointerCount++;
        if (asParent && !hasOwn(parentPointers, channel)) asParent = false;
      }
      if (asParent && pointerCount === parent.pointerCount) {
        pointers = parentPointers;
        pointersJson = parent.pointersJson;
      } else {
        pointers = {};
        for (const channel in versions) if (points(op, parentVersions, channel)) setOwnValue(pointers, channel, hasOwn(parentPointers, channel) ? parentPointers[channel] : parent.id);
        pointersJson = JSON.stringify(pointers);
      }
    }
    if (last !== undefined) {
      // The thread's entry, updated in place (its place in the eviction order stays); the batch keeps a copy.
      last.id = op.id;
      last.versions = versions;
      last.pointers = pointers;
      last.pointersJson = pointersJson;
      last.pointerCount = pointerCount;
      if (batch === undefined) return last;
      const copy: ResolvedLayout = { threadId: op.threadId, ns: op.ns, id: op.id, versions, pointers, pointersJson, pointerCount };
      batch.set(op.id, copy);
      return copy;
    }
    const resolved: ResolvedLayout = { threadId: op.threadId, ns: op.ns, id: op.id, versions, pointers, pointersJson, pointerCount };
    batch?.set(op.id, resolved);
    if (op.ns === "") {
      this.root.set(op.threadId, { ...resolved });
      if (this.root.size > this.maxEntries) this.root.delete(this.root.keys().next().value!);
    } else {
      let threads = this.nested.get(op.ns);
      if (threads === undefined) this.nested.set(op.ns, (threads = new Map()));
      threads.set(op.threadId, { ...resolved });
      if (++this.nestedSize > this.maxEntries) this.evictNested();
    }
    return resolved;
  }

  /** Drops the oldest entry of the first namespace (namespaces come and go with their subgraphs' runs). */
  private evictNested(): void {
    for (const [ns, threads] of this.nested) {
      const oldest = threads.keys().next();
      if (!oldest.done) {
        threads.delete(oldest.value);
        this.nestedSize--;
      }
      if (threads.size === 0) this.nested.delete(ns);
      return;
    }
  }
}

const hasOwn = (object: object, key: string) => Object.prototype.hasOwnProperty.call(object, key);

/**
 * Whether `op`'s row points at another row for `channel`: it does not hold the channel, and the parent has
 * the same version of it (a channel changed but not held, or new, has no value to point at).
 */
function points(op: LayoutPut, parentVersions: Record<string, ChannelVersion>, channel: string): boolean {
  return !hasOwn(op.stored, channel) && hasOwn(parentVersions, channel) && sameVersion(parentVersions[channel], op.versions[channel]);
}

/** Versions as equal as layouts compare them (rows written before kept them as strings). */
function sameVersion(a: ChannelVersion | undefined, b: ChannelVersion | undefined): boolean {
  return a === b || (a !== undefined && b !== undefined && String(a) === String(b));
}

const versionSuffix = Math.random().toString(36).slice(2, 8).padEnd(6, "0");
let versionCounter = 0;

/** "<counter>.<suffix>": ordered by the zero-padded counter; the suffix (random per process, then a count) keeps forks apart. */
export function nextStringVersion(current: ChannelVersion | undefined): string {
  let n = 0;
  if (typeof current === "number") n = current;
  else if (typeof current === "string") n = Number.parseInt(current, 10) || 0;
  return `${String(n + 1).padStart(12, "0")}.${versionSuffix}${(++versionCounter).toString(36)}`;
}

/** The metadata filter keys a backend can test in SQL (simple names, string/number values); the rest is tested in JS. */
export function metadataMatches(metadata: CheckpointMetadata, filter: Record<string, unknown> | undefined): boolean {
  if (filter === undefined) return true;
  for (const key in filter) if (metadata[key] !== filter[key]) return false;
  return true;
}
