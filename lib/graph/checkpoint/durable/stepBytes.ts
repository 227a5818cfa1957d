// The fields of the engine's step as bytes, for a chain written as it is queued (queuedChains.ts): the
// checkpoint, its metadata, its layout's versions and its writes' values, byte for byte the UTF-8 of what
// stepJson.ts writes. Each writer handles the shapes the engine makes and returns false for any other
// (the caller then rewinds and writes stepJson.ts' string), so the bytes are always those of the string.
import type { ChannelVersions, Checkpoint } from "../base";
import { ByteWriter, pieceOf, Pieces } from "./byteWriter";
import { engineMetadataKeys, isEmptyPlainObject, quoteCached, savedTaskKeys, storesTasks, taskTailJson, timestampJson, type EngineMetadata } from "./stepJson";

const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const QUOTE = 0x22;

const VERSIONS_SEEN = pieceOf('},"versions_seen":{}}');
const TASKS_END = pieceOf(']},"versions_seen":{}}');
const NEXT_TASK_ID = pieceOf(',{"id":"');
const NO_VERSIONS = pieceOf("[{},");
const VERSIONS_END = pieceOf("},");
const TRUE = pieceOf("true");
const FALSE = pieceOf("false");
const NULL = pieceOf("null");

const hasOwn = (object: object, key: string) => Object.prototype.hasOwnProperty.call(object, key);

/**
 * The engine's checkpoint as ownedCheckpointJson writes it (`channels`: the channels that moved, whose
 * values the checkpoint holds; `tasksChannel`'s value, the scheduled tasks, last), or false.
 */
export function writeCheckpoint(w: ByteWriter, checkpoint: Checkpoint, channels: ChannelVersions, tasksChannel: string): boolean {
  const { v, ts, channel_values: values } = checkpoint;
  if (typeof v !== "number" || !Number.isFinite(v) || typeof ts !== "string" || !isEmptyPlainObject(checkpoint.versions_seen ?? {})) return false;
  w.piece(headPiece(v, ts));
  let first = true;
  for (const channel in channels) {
    if (channel === tasksChannel) continue;
    const value = values[channel];
    if (value === undefined && !hasOwn(values, channel)) return false;
    w.piece(keyPiece(channel, first));
    first = false;
    if (!writePrimitive(w, value, 0)) return false;
  }
  if (hasOwn(channels, tasksChannel)) {
    const tasks = values[tasksChannel];
    if (tasks === undefined && !hasOwn(values, tasksChannel)) return false;
    // Left out as JSON.stringify leaves them out; any other shape than the engine's array is not written here.
    if (storesTasks(tasks)) {
      if (!Array.isArray(tasks)) return false;
      return writeTasks(w, tasks, tasksChannel, first);
    }
  }
  w.piece(VERSIONS_SEEN);
  return true;
}

let lastV = 0;
let lastTimestamp = "";
let lastHead = pieceOf("");

/** `{"v":…,"ts":…,"channel_values":{`, kept for the checkpoints of the same millisecond. */
function headPiece(v: number, ts: string): Uint8Array {
  if (ts !== lastTimestamp || v !== lastV) {
    lastHead = Buffer.from(`{"v":${String(v)},"ts":${timestampJson(ts)},"channel_values":{`, "utf8");
    lastTimestamp = ts;
    lastV = v;
  }
  return lastHead;
}

/** `"key":` and `,"key":`. */
const firstKeys = new Pieces((key) => `${quoteCached(key)}:`);
const laterKeys = new Pieces((key) => `,${quoteCached(key)}:`);

function keyPiece(key: string, first: boolean): Uint8Array {
  return (first ? firstKeys : laterKeys).get(key);
}

/** A task's id's closing quote, its tail (taskTailJson's) and its closing brace. */
const tails = new Pieces((tail) => `"${tail}}`);
/** The tasks' key and what opens their first task, up to its id's opening quote. */
const firstTasksHeads = new Pieces((key) => `${quoteCached(key)}:[{"id":"`);
const laterTasksHeads = new Pieces((key) => `,${quoteCached(key)}:[{"id":"`);

/**
 * The engine's scheduled tasks (pull tasks: no args) as savedTasksJson writes them, under their key
 * (`first`: the first of the values), and the checkpoint's end; or false.
 */
function writeTasks(w: ByteWriter, tasks: unknown[], key: string, first: boolean): boolean {
  if (tasks.length === 0) {
    w.piece(keyPiece(key, first));
    w.byte(OPEN_BRACKET);
  }
  for (let i = 0; i < tasks.length; i++) {
    const task = tasks[i] as { id: string; name: string; path: unknown; triggers: unknown };
    if (savedTaskKeys(task) !== 4) return false;
    const tail = taskTailJson(task.name, task.path, task.triggers);
    if (tail === undefined) return false;
    w.piece(i > 0 ? NEXT_TASK_ID : first ? firstTasksHeads.get(key) : laterTasksHeads.get(key));
    if (!writeUnescaped(w, task.id)) return false;
    w.piece(tails.get(tail));
  }
  w.piece(TASKS_END);
  return true;
}

let lastRunId: string | undefined;
let lastMetadataTail = pieceOf("");
const NO_RUN_ID_TAIL = pieceOf(',"parents":{}}');

/** The engine's checkpoint metadata as metadataJson writes it, or false. */
export function writeMetadata(w: ByteWriter, metadata: unknown): boolean {
  const keys = engineMetadataKeys(metadata);
  if (keys === 0) return false;
  const { source, step, run_id } = metadata as EngineMetadata;
  w.piece(sources.get(source));
  w.number(step);
  if (keys === 4) {
    if (run_id !== lastRunId) {
      lastMetadataTail = Buffer.from(`,"parents":{},"run_id":${JSON.stringify(run_id)}}`, "utf8");
      lastRunId = run_id;
    }
    w.piece(lastMetadataTail);
  } else w.piece(NO_RUN_ID_TAIL);
  return true;
}

/** `{"source":…,"step":` by source. */
const sources = new Pieces((source) => `{"source":${quoteCached(source)},"step":`);

/** A write's value as valueJson writes it when it is an array of primitives (the engine's `[["n", 1]]`), or false. */
export function writeValue(w: ByteWriter, value: unknown): boolean {
  return Array.isArray(value) && writePrimitiveArray(w, value, 0);
}

/**
 * A layout's versions as VersionsText writes them (numbers), the quoted keys of the last set of channels
 * kept as bytes, with what comes before and after them in a layout; false for any other versions.
 */
export class VersionsBytes {
  private keys: string[] = [];
  /** For each key, what comes before its number: `{"n":` for the first, `,"next":` for the others. */
  private prefixes: Uint8Array[] = [];

  /** `[` and the versions as VersionsText writes them, and `,` (a layout's start, up to its pointers), or false. */
  write(w: ByteWriter, versions: Record<string, unknown>): boolean {
    if (Object.getPrototypeOf(versions) !== Object.prototype) return false;
    let i = 0;
    for (const channel in versions) {
      const version = versions[channel];
      if (typeof version !== "number" || !Number.isFinite(version)) return false;
      if (i >= this.keys.length || this.keys[i] !== channel) return this.learn(versions);
      w.piece(this.prefixes[i]);
      w.number(version);
      i++;
    }
    if (i !== this.keys.length) return this.learn(versions);
    w.piece(i === 0 ? NO_VERSIONS : VERSIONS_END);
    return true;
  }

  /** Keeps the keys of `versions` for the next call; false (the caller rewinds and writes this call's versions as text). */
  private learn(versions: Record<string, unknown>): false {
    this.keys = Object.keys(versions);
    this.prefixes = this.keys.map((key, i) => Buffer.from((i === 0 ? "[{" : ",") + quoteCached(key) + ":", "utf8"));
    return false;
  }
}

/** A string as quote() writes it when it needs no escaping and is ASCII, else false. */
function writeString(w: ByteWriter, text: string): boolean {
  w.byte(QUOTE);
  if (!writeUnescaped(w, text)) return false;
  w.byte(QUOTE);
  return true;
}

/** What quote() writes between the quotes, when the string needs no escaping and is ASCII; else false. */
function writeUnescaped(w: ByteWriter, text: string): boolean {
  const n = text.length;
  w.room(n);
  const buf = w.buf;
  let at = w.at;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || c >= 0x80) return false;
    buf[at++] = c;
  }
  w.at = at;
  return true;
}

/** As stepJson's primitiveJson, or false (non-ASCII and escaped strings too: the caller writes the string). */
function writePrimitive(w: ByteWriter, value: unknown, depth: number): boolean {
  switch (typeof value) {
    case "string":
      return writeString(w, value);
    case "number":
      if (Number.isFinite(value)) w.number(value);
      else w.piece(NULL);
      return true;
    case "boolean":
      w.piece(value ? TRUE : FALSE);
      return true;
    case "object":
      if (value === null) {
        w.piece(NULL);
        return true;
      }
      return Array.isArray(value) && writePrimitiveArray(w, value, depth);
    default:
      return false;
  }
}

function writePrimitiveArray(w: ByteWriter, array: unknown[], depth: number): boolean {
  if (depth > 3 || typeof (array as { toJSON?: unknown }).toJSON === "function") return false;
  w.byte(OPEN_BRACKET);
  for (let i = 0; i < array.length; i++) {
    if (i > 0) w.byte(COMMA);
    if (!writePrimitive(w, array[i], depth + 1)) return false;
  }
  w.byte(CLOSE_BRACKET);
  return true;
}
