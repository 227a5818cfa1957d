// Node caching: a node with a `cachePolicy`, in a graph compiled with `{ cache }`, runs once per
// distinct input; later tasks with the same input reuse its writes (and routes), streamed as
// `{ node: update, __metadata__: { cached: true } }`. The cache is LangGraph.js's BaseCache contract
// (namespaced keys, `ttl` in seconds), so LangGraph's InMemoryCache works here and Rill's works there.
import { createHash } from "node:crypto";

export interface CachePolicy {
  /** The key for a node's input (it gets `[input]`); default: its JSON. */
  keyFunc?: (args: unknown[]) => string;
  /** Seconds an entry lives; default: forever. */
  ttl?: number;
}

export type CacheNamespace = string[];
export type CacheFullKey = [namespace: CacheNamespace, key: string];

/** LangGraph.js's BaseCache methods (what `compile({ cache })` needs). */
export interface NodeCache {
  get(keys: CacheFullKey[]): Promise<Array<{ key: CacheFullKey; value: unknown }>>;
  set(pairs: Array<{ key: CacheFullKey; value: unknown; ttl?: number }>): Promise<void>;
  clear(namespaces: CacheNamespace[]): Promise<void>;
}

/** LangGraph.js's namespace for cached node writes: `[CACHE_NS_WRITES, graph name, node]`. */
export const CACHE_NS_WRITES = "__pregel_ns_writes";

/** `cachePolicy: true` means `{}`, `false` none (and opts a node out of a graph default). */
export function coerceCachePolicy(value: CachePolicy | boolean | undefined, where: string): CachePolicy | false | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "boolean") return value ? {} : false;
  if (typeof value !== "object") throw new Error(`${where}cachePolicy must be an object { keyFunc?, ttl? } or a boolean, got ${typeof value}`);
  if (value.keyFunc !== undefined && typeof value.keyFunc !== "function") throw new Error(`${where}cachePolicy.keyFunc must be a function`);
  if (value.ttl !== undefined && value.ttl !== null && !(typeof value.ttl === "number" && value.ttl > 0)) throw new Error(`${where}cachePolicy.ttl must be a positive number of seconds, got ${String(value.ttl)}`);
  return value;
}

/** The key of a task's input under `policy`: a digest of `keyFunc([input])` (default JSON). */
export function cacheKeyOf(policy: CachePolicy, input: unknown): string {
  const text = (policy.keyFunc ?? JSON.stringify)([input]);
  return createHash("sha256").update(String(text)).digest("hex");
}

function namespaceKey(ns: CacheNamespace): string {
  return JSON.stringify(ns);
}

/**
 * A cache in this process's memory. Values are held by reference (the engine stores each task's
 * writes, which it never mutates); entries with a `ttl` expire lazily, when read.
 */
export class InMemoryCache implements NodeCache {
  private readonly entries = new Map<string, Map<string, { value: unknown; expiresAt: number }>>();

  async get(keys: CacheFullKey[]): Promise<Array<{ key: CacheFullKey; value: unknown }>> {
    const now = Date.now();
    const out: Array<{ key: CacheFullKey; value: unknown }> = [];
    for (const key of keys) {
      const space = this.entries.get(namespaceKey(key[0]));
      const entry = space?.get(key[1]);
      if (entry === undefined) continue;
      if (entry.expiresAt <= now) {
        space!.delete(key[1]);
        continue;
      }
      out.push({ key, value: entry.value });
    }
    return out;
  }

  async set(pairs: Array<{ key: CacheFullKey; value: unknown; ttl?: number }>): Promise<void> {
    const now = Date.now();
    for (const { key, value, ttl } of pairs) {
      const ns = namespaceKey(key[0]);
      let space = this.entries.get(ns);
      if (space === undefined) this.entries.set(ns, (space = new Map()));
      space.set(key[1], { value, expiresAt: ttl !== undefined && ttl !== null ? now + ttl * 1000 : Infinity });
    }
  }

  async clear(namespaces: CacheNamespace[] = []): Promise<void> {
    if (namespaces.length === 0) this.entries.clear();
    else for (const ns of namespaces) this.entries.delete(namespaceKey(ns));
  }
}
