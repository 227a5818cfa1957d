// The JSON of what a durable saver stores at each of the engine's steps, written out by hand for the shapes
// the engine makes (a checkpoint's scheduled tasks, its metadata, a layout's channel versions), byte for
// byte what JSON.stringify writes. Node 20's JSON.stringify costs about 0.3 µs per call plus a good deal
// per nested object or array; a step's tasks, metadata and versions took three quarters of its encoding.
// Any other shape (a key out of the engine's order, a value that is not a plain string or number) goes
// to JSON.stringify, so the output is always JSON.stringify's.
import { PULL } from "../../constants";

/** Keys and other short strings seen again and again (channels, node names, triggers), quoted once. */
const quotedCache = new Map<string, string>();
const QUOTED_CACHE_MAX = 4096;

/** JSON.stringify(text) for a string that recurs (a cached copy). */
export function quoteCached(text: string): string {
  let quoted = quotedCache.get(text);
  if (quoted === undefined) {
    if (quotedCache.size >= QUOTED_CACHE_MAX) quotedCache.clear();
    quoted = JSON.stringify(text);
    quotedCache.set(text, quoted);
  }
  return quoted;
}

/** JSON.stringify(text) for a one-off string (an id): quoted as is when no character needs escaping. */
export function quote(text: string): string {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // Control characters, '"', '\\' and surrogates (JSON.stringify escapes a lone one) take the slow path.
    if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd800 && c <= 0xdfff)) return JSON.stringify(text);
  }
  return `"${text}"`;
}

/** A finite number as JSON.stringify writes it, or undefined (NaN, ±Infinity: JSON.stringify writes null). */
function numberJson(value: unknown): string | undefined {
  return typeof value === "number" && Number.isFinite(value) ? String(value) : undefined;
}

/** `{ channel: version }` with number versions (a layout's), as JSON.stringify writes it. */
export function versionsJson(versions: Record<string, unknown>): string {
  if (Object.getPrototypeOf(versions) !== Object.prototype) return JSON.stringify(versions);
  let out = "";
  for (const channel in versions) {
    const version = numberJson(versions[channel]);
    if (version === undefined) return JSON.stringify(versions);
    out += (out === "" ? "{" : ",") + quoteCached(channel) + ":" + version;
  }
  return out === "" ? "{}" : out + "}";
}

/**
 * A layout's versions as JSON (versionsJson), for layouts one after another: the quoted keys of the last
 * set of channels are kept, so a put with the same channels in the same order writes only its numbers.
 */
export class VersionsText {
  private keys: string[] = [];
  /** For each key, what comes before its number: `{"n":` for the first, `,"next":` for the others. */
  private prefixes: string[] = [];

  of(versions: Record<string, unknown>): string {
    if (Object.getPrototypeOf(versions) !== Object.prototype) return versionsJson(versions);
    const keys = this.keys;
    let out = "";
    let i = 0;
    for (const channel in versions) {
      const version = numberJson(versions[channel]);
      if (version === undefined) return versionsJson(versions);
      if (i >= keys.length || keys[i] !== channel) return this.learn(versions);
      out += this.prefixes[i] + version;
      i++;
    }
    if (i !== keys.length) return this.learn(versions);
    return i === 0 ? "{}" : out + "}";
  }

  /** Keeps `versions`' keys for the next call; returns its JSON. */
  private learn(versions: Record<string, unknown>): string {
    this.keys = Object.keys(versions);
    this.prefixes = this.keys.map((key, i) => (i === 0 ? "{" : ",") + quoteCached(key) + ":");
    return versionsJson(versions);
  }
}

let lastRunId: string | undefined;
let lastRunIdJson = "";

/** The engine's checkpoint metadata `{ source, step, parents: {}, run_id? }`, as JSON.stringify writes it. */
export function metadataJson(metadata: Record<string, unknown>): string {
  const keys = engineMetadataKeys(metadata);
  if (keys === 0) return JSON.stringify(metadata);
  const { source, step, run_id } = metadata as unknown as EngineMetadata;
  let out = `{"source":${quoteCached(source)},"step":${String(step)},"parents":{}`;
  if (keys === 4) {
    if (run_id !== lastRunId) {
      lastRunId = run_id;
      lastRunIdJson = JSON.stringify(run_id);
    }
    out += `,"run_id":${lastRunIdJson}`;
  }
  return out + "}";
}

/** The engine's checkpoint metadata, as engineMetadataKeys finds it. */
export interface EngineMetadata {
  source: string;
  step: number;
  parents: Record<string, never>;
  run_id?: string;
}

/**
 * 3 or 4 when `metadata` is the engine's `{ source, step, parents: {}, run_id? }` (a string, a finite number,
 * an empty plain object and a string, in that order): its number of keys; else 0 (written by JSON.stringify).
 */
export function engineMetadataKeys(metadata: unknown): 0 | 3 | 4 {
  if (metadata === null || typeof metadata !== "object" || Object.getPrototypeOf(metadata) !== Object.prototype) return 0;
  let keys = 0;
  for (const key in metadata) {
    const expected = keys === 0 ? "source" : keys === 1 ? "step" : keys === 2 ? "parents" : keys === 3 ? "run_id" : undefined;
    if (key !== expected) return 0;
    keys++;
  }
  const { source, step, parents, run_id } = metadata as Record<string, unknown>;
  if (keys < 3 || typeof source !== "string" || numberJson(step) === undefined || !isEmptyPlainObject(parents)) return 0;
  if (keys === 4 && typeof run_id !== "string") return 0;
  return keys as 3 | 4;
}

/** Whether the engine's scheduled tasks are written with the checkpoint (JSON.stringify leaves out undefined, functions and symbols). */
export function storesTasks(tasks: unknown): boolean {
  return tasks !== undefined && typeof tasks !== "function" && typeof tasks !== "symbol";
}

/**
 * The engine's scheduled tasks (checkpointFields.ts' SavedTask: `{ id, name, path, triggers, args? }`),
 * as JSON.stringify writes them; `args` (a Send's argument, any value) goes to JSON.stringify.
 */
export function savedTasksJson(tasks: unknown): string | undefined {
  if (!Array.isArray(tasks)) return JSON.stringify(tasks);
  let out = "[";
  for (let i = 0; i < tasks.length; i++) {
    const task = savedTaskJson(tasks[i]);
    if (task === undefined) return JSON.stringify(tasks);
    out += i === 0 ? task : "," + task;
  }
  return out + "]";
}

/**
 * 4 or 5 when `task` is a plain object with the keys id, name, path, triggers and maybe args, in that order,
 * its id and name strings: its number of keys; else 0.
 */
export function savedTaskKeys(task: unknown): 0 | 4 | 5 {
  if (task === null || typeof task !== "object" || Object.getPrototypeOf(task) !== Object.prototype) return 0;
  let keys = 0;
  for (const key in task) {
    const expected = keys === 0 ? "id" : keys === 1 ? "name" : keys === 2 ? "path" : keys === 3 ? "triggers" : keys === 4 ? "args" : undefined;
    if (key !== expected) return 0;
    keys++;
  }
  const { id, name } = task as Record<string, unknown>;
  return keys < 4 || typeof id !== "string" || typeof name !== "string" ? 0 : (keys as 4 | 5);
}

function savedTaskJson(task: unknown): string | undefined {
  const keys = savedTaskKeys(task);
  if (keys === 0) return undefined;
  const { id, name, path, triggers, args } = task as { id: string; name: string; path: unknown; triggers: unknown; args?: unknown };
  const tail = taskTailJson(name, path, triggers);
  if (tail === undefined) return undefined;
  let out = `{"id":${quote(id)}${tail}`;
  if (keys === 5) {
    const argsJson = JSON.stringify(args);
    if (argsJson !== undefined) out += `,"args":${argsJson}`;
  }
  return out + "}";
}

/** A task's name, path and triggers as written after its id, by the path array (the engine reuses a node's for its every pull task). */
const taskTails = new WeakMap<unknown[], { name: string; triggers: unknown[]; items: unknown[]; json: string }>();

/** `,"name":…,"path":…,"triggers":…`, or undefined when the path or triggers cannot be written by hand. */
export function taskTailJson(name: string, path: unknown, triggers: unknown): string | undefined {
  if (!Array.isArray(path) || !Array.isArray(triggers)) return undefined;
  // A Send's task has a path of its own (its index): written each time, not kept.
  if (path[0] !== PULL) return writtenTail(name, path, triggers);
  const known = taskTails.get(path);
  // The same arrays holding the same items (compared one by one: an array may have changed since).
  if (known !== undefined && known.name === name && known.triggers === triggers && sameItems(known.items, path, triggers)) return known.json;
  const json = writtenTail(name, path, triggers);
  if (json !== undefined) taskTails.set(path, { name, triggers, items: [...path, ...triggers], json });
  return json;
}

function writtenTail(name: string, path: unknown[], triggers: unknown[]): string | undefined {
  const pathJson = pathJsonOf(path);
  const triggersJson = stringsJson(triggers);
  if (pathJson === undefined || triggersJson === undefined) return undefined;
  return `,"name":${quoteCached(name)},"path":${pathJson},"triggers":${triggersJson}`;
}

function sameItems(items: unknown[], path: unknown[], triggers: unknown[]): boolean {
  if (items.length !== path.length + triggers.length) return false;
  for (let i = 0; i < path.length; i++) if (items[i] !== path[i]) return false;
  for (let i = 0; i < triggers.length; i++) if (items[path.length + i] !== triggers[i]) return false;
  return true;
}

/** A task path: strings, finite numbers and booleans. */
function pathJsonOf(path: unknown): string | undefined {
  return Array.isArray(path) ? arrayJson(path, pathPartJson, 0) : undefined;
}

function pathPartJson(part: unknown): string | undefined {
  if (typeof part === "string") return quoteCached(part);
  if (typeof part === "boolean") return part ? "true" : "false";
  return numberJson(part);
}

function stringsJson(strings: unknown): string | undefined {
  return Array.isArray(strings) ? arrayJson(strings, recurringStringJson, 0) : undefined;
}

function recurringStringJson(text: unknown): string | undefined {
  return typeof text === "string" ? quoteCached(text) : undefined;
}

/** `array` with each item written by `itemJson` (given `depth`), or undefined when one item cannot be. */
function arrayJson(array: unknown[], itemJson: (item: unknown, depth: number) => string | undefined, depth: number): string | undefined {
  let out = "[";
  for (let i = 0; i < array.length; i++) {
    const json = itemJson(array[i], depth);
    if (json === undefined) return undefined;
    out += i === 0 ? json : "," + json;
  }
  return out + "]";
}

export function isEmptyPlainObject(value: unknown): boolean {
  if (value === null || typeof value !== "object" || Array.isArray(value) || typeof (value as { toJSON?: unknown }).toJSON === "function") return false;
  for (const _ in value) return false;
  return true;
}

/**
 * A checkpoint as a durable saver stores it, `{ v, ts, channel_values, versions_seen }`, with the engine's
 * scheduled tasks (`tasks`, the channel `tasksChannel`, taken out of `values`) written by savedTasksJson:
 * JSON.stringify's output but for that channel's place among the values (last).
 */
export function storedCheckpointJson(v: unknown, ts: unknown, values: Record<string, unknown>, tasksChannel: string, tasks: unknown, hasTasks: boolean, versionsSeen: unknown): string {
  const valuesJson = plainObjectJson(values);
  if (valuesJson !== undefined && valuesJson.charCodeAt(0) === 0x7b) {
    const json = checkpointJson(v, ts, valuesJson.slice(1, -1), tasksChannel, tasks, hasTasks, versionsSeen);
    if (json !== undefined) return json;
  }
  return JSON.stringify({ v, ts, channel_values: hasTasks ? { ...values, [tasksChannel]: tasks } : values, versions_seen: versionsSeen });
}

/**
 * `{ v, ts, channel_values, versions_seen }` as storedCheckpointJson writes it, the values given as `entries`
 * (what an object's JSON holds inside its braces: heldValuesJson's), the scheduled tasks appended last;
 * undefined when `v`, `ts` or `versionsSeen` is of a type not written here (the caller then uses JSON.stringify).
 */
export function checkpointJson(v: unknown, ts: unknown, entries: string, tasksChannel: string, tasks: unknown, hasTasks: boolean, versionsSeen: unknown): string | undefined {
  const vJson = numberJson(v);
  const seenJson = isEmptyPlainObject(versionsSeen) ? "{}" : JSON.stringify(versionsSeen);
  if (vJson === undefined || typeof ts !== "string" || seenJson === undefined) return undefined;
  let body = entries;
  // Tasks JSON.stringify would leave out (a toJSON giving undefined) are left out.
  const tasksJson = hasTasks ? savedTasksJson(tasks) : undefined;
  if (tasksJson !== undefined) body = `${body === "" ? "" : `${body},`}${quoteCached(tasksChannel)}:${tasksJson}`;
  return `{"v":${vJson},"ts":${timestampJson(ts)},"channel_values":{${body}},"versions_seen":${seenJson}}`;
}

let lastTimestamp = "";
let lastTimestampJson = '""';

/** quote(ts) for a checkpoint's timestamp, which the engine keeps for every checkpoint of the same millisecond. */
export function timestampJson(ts: string): string {
  if (ts !== lastTimestamp) {
    lastTimestampJson = quote(ts);
    lastTimestamp = ts;
  }
  return lastTimestampJson;
}

/**
 * `"channel":value` for each channel of `channels` (but `skip`, when given), in its order, its value from `values`, joined
 * by commas: what plainObjectJson writes inside the braces for an object of those values, without building
 * that object. Undefined when `values` lacks one of them, or a value is not a string, number, boolean,
 * null or array of those.
 */
export function heldValuesJson(values: Record<string, unknown>, channels: Record<string, unknown>, skip?: string): string | undefined {
  let out = "";
  for (const channel in channels) {
    if (channel === skip) continue;
    if (!Object.prototype.hasOwnProperty.call(values, channel)) return undefined;
    const json = primitiveJson(values[channel], 0);
    if (json === undefined) return undefined;
    out += out === "" ? quoteCached(channel) + ":" + json : "," + quoteCached(channel) + ":" + json;
  }
  return out;
}

/**
 * A value as JSON.stringify writes it, arrays of strings, numbers, booleans and null (nested up to four
 * deep, the engine's pending writes `[["n", 1]]` among them) written by hand, anything else by JSON.stringify.
 */
export function valueJson(value: unknown): string | undefined {
  return (Array.isArray(value) ? primitiveArrayJson(value, 0) : undefined) ?? JSON.stringify(value);
}

function primitiveArrayJson(array: unknown[], depth: number): string | undefined {
  if (depth > 3 || typeof (array as { toJSON?: unknown }).toJSON === "function") return undefined;
  return arrayJson(array, primitiveJson, depth + 1);
}

/** A string, number, boolean, null or array of those (nested up to four deep) as JSON.stringify writes it, else undefined. */
function primitiveJson(value: unknown, depth: number): string | undefined {
  if (typeof value === "string") return quote(value);
  if (typeof value === "number") return numberJson(value) ?? "null";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (value === null) return "null";
  if (Array.isArray(value)) return primitiveArrayJson(value, depth);
  return undefined;
}

/**
 * A plain object whose values are strings, numbers, booleans, null or arrays of those (a state of counters,
 * flags and names), as JSON.stringify writes it; any other object or value by JSON.stringify.
 */
function plainObjectJson(object: Record<string, unknown>): string | undefined {
  if (Object.getPrototypeOf(object) !== Object.prototype) return JSON.stringify(object);
  const entries = heldValuesJson(object, object);
  return entries === undefined ? JSON.stringify(object) : `{${entries}}`;
}
