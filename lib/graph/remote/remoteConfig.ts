// What RemoteGraph sends as a run's config: JSON-safe (a repeated or circular object becomes
// "[Circular]", a bigint its digits), LangGraph's configurable keys copied into `metadata` where it
// lacks them, and only the configurable keys a server accepts (thread_id travels in the URL).
import type { RunConfig } from "../runConfig";

const TO_METADATA = ["thread_id", "checkpoint_id", "checkpoint_ns", "task_id", "run_id", "assistant_id", "graph_id"];
const NOT_SENT = new Set(["callbacks", "checkpoint_map", "checkpoint_id", "checkpoint_ns"]);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A JSON-safe copy; objects met before anywhere in the walk (not only ancestors) become "[Circular]", as LangGraph.js sends them. */
export function jsonSafe(value: unknown, seen = new WeakSet<object>()): unknown {
  if (typeof value === "bigint") return value.toString();
  if (typeof value !== "object" || value === null) return value;
  const withJson = value as { toJSON?: () => unknown };
  if (typeof withJson.toJSON === "function") return jsonSafe(withJson.toJSON(), seen);
  if (seen.has(value)) return "[Circular]";
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => (item === undefined || typeof item === "function" || typeof item === "symbol" ? null : jsonSafe(item, seen)));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (item === undefined || typeof item === "function" || typeof item === "symbol") continue;
    out[key] = jsonSafe(item, seen);
  }
  // A config anywhere inside (the run's own, or one in its tags) carries its configurable ids in metadata.
  if (isPlainObject(out.configurable)) {
    const configurable = out.configurable;
    const metadata = isPlainObject(out.metadata) ? out.metadata : {};
    for (const key of TO_METADATA) if (!(key in metadata) && configurable[key] !== undefined) metadata[key] = configurable[key];
    out.metadata = metadata;
  }
  return out;
}

export interface RemoteRunConfig {
  tags: unknown[];
  metadata: Record<string, unknown>;
  configurable: Record<string, unknown>;
  recursion_limit: number | undefined;
}

/** The config a remote run gets, and the thread it runs on. */
export function remoteRunConfig(config: RunConfig): { threadId: string | undefined; config: RemoteRunConfig } {
  // Walked in this order (tags, metadata, configurable), which decides which repeat becomes "[Circular]".
  const sent = { tags: config.tags, metadata: config.metadata, configurable: config.configurable, recursionLimit: config.recursionLimit };
  const safe = jsonSafe(sent) as Record<string, unknown>;
  const configurable: Record<string, unknown> = {};
  for (const [key, value] of Object.entries((safe.configurable as Record<string, unknown> | undefined) ?? {})) {
    if (!NOT_SENT.has(key) && !key.startsWith("__pregel_")) configurable[key] = value;
  }
  const threadId = configurable.thread_id as string | undefined;
  delete configurable.thread_id;
  return {
    threadId,
    config: {
      tags: (safe.tags as unknown[] | undefined) ?? [],
      metadata: (safe.metadata as Record<string, unknown> | undefined) ?? {},
      configurable,
      recursion_limit: safe.recursionLimit as number | undefined,
    },
  };
}

/** Config merged as LangChain merges a bound config under a call's (fresh tags and metadata objects). */
export function mergeConfigs(base: RunConfig | undefined, call: RunConfig | undefined): RunConfig {
  const merged: RunConfig = { ...base, ...call };
  if (base?.metadata || call?.metadata) merged.metadata = { ...base?.metadata, ...call?.metadata };
  if (base?.configurable || call?.configurable) merged.configurable = { ...base?.configurable, ...call?.configurable };
  if (base?.tags || call?.tags) merged.tags = [...new Set([...(base?.tags ?? []), ...(call?.tags ?? [])])];
  return merged;
}
