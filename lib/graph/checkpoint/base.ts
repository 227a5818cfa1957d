// The checkpointer contract, LangGraph.js's `BaseCheckpointSaver` (from @langchain/langgraph-checkpoint 1.x):
// where a thread's checkpoints and the writes of its unfinished steps are kept. The types have
// LangGraph's shapes, so a LangGraph saver (MemorySaver, SqliteSaver, ...) can be given to Rill's
// engine and Rill's savers to LangGraph's engine. Users extend the class as they extend LangGraph's.
// One implementation per folder (memory/, ...), all tested by the same cases (checkpointer.cases.ts).
import { checkpointId } from "../pregel/ids";
import { setOwnValue } from "../prototypeKeys";
import { JsonSerializer, type SerializerProtocol } from "./serde";

export type { SerializerProtocol } from "./serde";

/** A config naming a thread, a namespace (subgraphs) and optionally a checkpoint (LangGraph's RunnableConfig, reduced). */
export interface CheckpointConfig {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  configurable?: Record<string, any>;
}

export type ChannelVersion = number | string;
export type ChannelVersions = Record<string, ChannelVersion>;

/**
 * A checkpoint in LangGraph's format (v 4). Rill's engine keeps the state's keys in `channel_values`
 * and its own bookkeeping there too, under reserved channels (see checkpointFields.ts).
 */
export interface Checkpoint {
  v: number;
  id: string;
  /** ISO timestamp of creation. */
  ts: string;
  channel_values: Record<string, unknown>;
  channel_versions: ChannelVersions;
  versions_seen: Record<string, ChannelVersions>;
}

export type CheckpointMetadata = {
  source: "input" | "loop" | "update" | "fork";
  step: number;
  parents: Record<string, string>;
  [key: string]: unknown;
};

/** [channel, value]: a write as `putWrites` receives it. */
export type PendingWrite = [channel: string, value: unknown];
/** [taskId, channel, value]: a write of a task of the step after the checkpoint (kept while that step is unfinished). */
export type CheckpointPendingWrite = [taskId: string, channel: string, value: unknown];

export interface CheckpointTuple {
  config: CheckpointConfig;
  checkpoint: Checkpoint;
  metadata?: CheckpointMetadata;
  parentConfig?: CheckpointConfig;
  pendingWrites?: CheckpointPendingWrite[];
}

export interface CheckpointListOptions {
  limit?: number;
  /** Only checkpoints created before this one (smaller checkpoint id). */
  before?: CheckpointConfig;
  /** Only checkpoints whose metadata has these values. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  filter?: Record<string, any>;
}

/** One channel's history below a checkpoint (LangGraph's DeltaChannelHistory, beta). */
export interface DeltaChannelHistory {
  writes: CheckpointPendingWrite[];
  seed?: unknown;
}

/** LangGraph's reserved write channels. */
export const ERROR = "__error__";
export const SCHEDULED = "__scheduled__";
export const INTERRUPT_WRITE = "__interrupt__";
export const RESUME_WRITE = "__resume__";
/** Pending Sends of checkpoints older than format 4 (kept as writes of the parent checkpoint). */
export const TASKS = "__pregel_tasks";

/**
 * Special writes take negative indices, so a task's later error/interrupt/resume replaces its earlier
 * one, while a regular write (index ≥ 0) already stored for (task, index) is kept (LangGraph's rule).
 */
export const WRITES_IDX_MAP: Record<string, number> = { [ERROR]: -1, [SCHEDULED]: -2, [INTERRUPT_WRITE]: -3, [RESUME_WRITE]: -4 };

/** The index a pending write is stored at: its special index, else its position (own keys only: "constructor" is a channel). */
export function writeIndex(channel: string, position: number): number {
  return Object.hasOwn(WRITES_IDX_MAP, channel) ? WRITES_IDX_MAP[channel] : position;
}

/** A checkpoint with nothing in it (a new, time-ordered id). */
export function emptyCheckpoint(): Checkpoint {
  return { v: 4, id: checkpointId(), ts: new Date().toISOString(), channel_values: {}, channel_versions: {}, versions_seen: {} };
}

export function copyCheckpoint(checkpoint: Checkpoint): Checkpoint {
  return {
    v: checkpoint.v,
    id: checkpoint.id,
    ts: checkpoint.ts,
    channel_values: { ...(checkpoint.channel_values ?? {}) },
    channel_versions: { ...(checkpoint.channel_versions ?? {}) },
    versions_seen: Object.fromEntries(Object.entries(checkpoint.versions_seen ?? {}).map(([k, v]) => [k, { ...v }])),
  };
}

export function compareChannelVersions(a: ChannelVersion, b: ChannelVersion): number {
  if (typeof a === "number" && typeof b === "number") return Math.sign(a - b);
  return String(a).localeCompare(String(b));
}

export function maxChannelVersion(...versions: ChannelVersion[]): ChannelVersion {
  return versions.reduce((max, v) => (compareChannelVersions(max, v) >= 0 ? max : v));
}

/** The checkpoint a config names: `checkpoint_id` (or the legacy `thread_ts`), "" for none. */
export function getCheckpointId(config: CheckpointConfig): string {
  return (config.configurable?.checkpoint_id as string | undefined) || (config.configurable?.thread_ts as string | undefined) || "";
}

/** Writes of one step sort by (task path, task id, index), the order LangGraph applies them in; strings by code point. */
export function compareWriteKeys(a: readonly [string, string, number], b: readonly [string, string, number]): number {
  if (a[0] !== b[0]) return compareCodePoints(a[0], b[0]);
  if (a[1] !== b[1]) return compareCodePoints(a[1], b[1]);
  return a[2] - b[2];
}

function compareCodePoints(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(j)!;
    if (x !== y) return x < y ? -1 : 1;
    i += x > 0xffff ? 2 : 1;
    j += y > 0xffff ? 2 : 1;
  }
  if (i >= a.length && j >= b.length) return 0;
  return i >= a.length ? -1 : 1;
}

/**
 * The saver contract. Subclasses implement `getTuple`, `list`, `put`, `putWrites` and `deleteThread`;
 * `get`, `getNextVersion` (integer versions) and `getDeltaChannelHistory` have defaults.
 */
export abstract class BaseCheckpointSaver<V extends string | number = number> {
  serde: SerializerProtocol = new JsonSerializer();

  constructor(serde?: SerializerProtocol) {
    this.serde = serde || this.serde;
  }

  /** Keeps JSON.stringify of a config holding a saver short. */
  toJSON(): string {
    return `[${this.constructor.name}]`;
  }

  /** The checkpoint named by `config`, or the thread's latest. */
  async get(config: CheckpointConfig): Promise<Checkpoint | undefined> {
    return (await this.getTuple(config))?.checkpoint;
  }

  /** The checkpoint named by `config` (checkpoint_id), or the thread's latest in its namespace. */
  abstract getTuple(config: CheckpointConfig): Promise<CheckpointTuple | undefined>;
  /** Checkpoints newest first: of the thread (every thread without thread_id), of the namespace (every one without checkpoint_ns). */
  abstract list(config: CheckpointConfig, options?: CheckpointListOptions): AsyncGenerator<CheckpointTuple>;
  /** Stores a checkpoint; returns the config that names it. `config` names its parent (or none). */
  abstract put(config: CheckpointConfig, checkpoint: Checkpoint, metadata: CheckpointMetadata, newVersions: ChannelVersions): Promise<CheckpointConfig>;
  /** Adds writes of a task of the step after the checkpoint named by `config`. */
  abstract putWrites(config: CheckpointConfig, writes: PendingWrite[], taskId: string, taskPath?: string): Promise<void>;
  /** Deletes every checkpoint and write of a thread. */
  abstract deleteThread(threadId: string): Promise<void>;

  /**
   * A channel's writes on the path from `config`'s checkpoint back to the nearest ancestor that stores
   * the channel's value (the seed), oldest first; LangGraph's DeltaChannel reads this.
   */
  async getDeltaChannelHistory(options: { config: CheckpointConfig; channels: string[] }): Promise<Record<string, DeltaChannelHistory>> {
    const { config, channels } = options;
    if (channels.length === 0) return {};
    // Maps and own keys: a channel may be named "__proto__" or "constructor".
    const collected = new Map<string, CheckpointPendingWrite[]>();
    const seeds = new Map<string, unknown>();
    const remaining = new Set(channels);
    for (const channel of channels) collected.set(channel, []);
    let cursor = (await this.getTuple(config))?.parentConfig;
    while (cursor !== undefined && remaining.size > 0) {
      const tuple = await this.getTuple(cursor);
      if (tuple === undefined) break;
      const writes = tuple.pendingWrites ?? [];
      for (let i = writes.length - 1; i >= 0; i--) if (remaining.has(writes[i][1])) collected.get(writes[i][1])!.push(writes[i]);
      for (const channel of [...remaining]) {
        if (Object.hasOwn(tuple.checkpoint.channel_values, channel)) {
          seeds.set(channel, tuple.checkpoint.channel_values[channel]);
          remaining.delete(channel);
        }
      }
      cursor = tuple.parentConfig;
    }
    const result: Record<string, DeltaChannelHistory> = {};
    for (const channel of channels) {
      const entry: DeltaChannelHistory = { writes: collected.get(channel)!.reverse() };
      if (seeds.has(channel)) entry.seed = seeds.get(channel);
      setOwnValue(result, channel, entry);
    }
    return result;
  }

  /** The next version of a channel: integers counting from 1. Override for string versions. */
  getNextVersion(current: V | undefined): V {
    if (typeof current === "string") throw new Error("Please override this method to use string versions.");
    return (current !== undefined && typeof current === "number" ? current + 1 : 1) as V;
  }
}
