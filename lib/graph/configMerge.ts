// Config bound with `graph.withConfig(config)` merged under a call's config, as LangChain's mergeConfigs
// does: metadata and configurable merge key by key, tags are joined, signals are combined (either
// aborts), the shorter timeout wins, callbacks are joined, and every other key of the call replaces the bound one.
import type { RunConfig } from "./runConfig";

export function mergeRunConfig(bound: RunConfig, call: RunConfig): RunConfig {
  const merged: RunConfig = { ...bound, ...call };
  if (bound.metadata || call.metadata) merged.metadata = { ...bound.metadata, ...call.metadata };
  if (bound.configurable || call.configurable) merged.configurable = { ...bound.configurable, ...call.configurable };
  if (bound.tags && call.tags) merged.tags = [...new Set([...bound.tags, ...call.tags])];
  if (bound.signal && call.signal && bound.signal !== call.signal) merged.signal = AbortSignal.any([bound.signal, call.signal]);
  if (bound.timeout !== undefined && call.timeout !== undefined) merged.timeout = Math.min(bound.timeout, call.timeout);
  if (bound.callbacks && call.callbacks) merged.callbacks = mergeCallbacks(bound.callbacks, call.callbacks) as RunConfig["callbacks"];
  return merged;
}

type Manager = { copy(): Manager; addHandler(handler: unknown, inherit?: boolean): void; handlers: unknown[] };

/** Both configs' LangChain callbacks (handler lists joined, or added to a CallbackManager's copy), each once. */
function mergeCallbacks(bound: unknown, call: unknown): unknown {
  if (Array.isArray(bound) && Array.isArray(call)) return [...new Set([...bound, ...call])];
  const [manager, extra] = Array.isArray(bound) ? [call as Manager, bound] : [bound as Manager, Array.isArray(call) ? call : (call as Manager).handlers];
  const copy = manager.copy();
  for (const handler of extra) if (!copy.handlers.includes(handler)) copy.addHandler(handler, true);
  return copy;
}
