// Config bound with `graph.withConfig(config)` merged under a call's config, as LangChain's mergeConfigs
// does: metadata and configurable merge key by key, tags are joined, signals are combined (either
// aborts), the shorter timeout wins, and every other key of the call replaces the bound one.
import type { RunConfig } from "./runConfig";

export function mergeRunConfig(bound: RunConfig, call: RunConfig): RunConfig {
  const merged: RunConfig = { ...bound, ...call };
  if (bound.metadata || call.metadata) merged.metadata = { ...bound.metadata, ...call.metadata };
  if (bound.configurable || call.configurable) merged.configurable = { ...bound.configurable, ...call.configurable };
  if (bound.tags && call.tags) merged.tags = [...new Set([...bound.tags, ...call.tags])];
  if (bound.signal && call.signal && bound.signal !== call.signal) merged.signal = AbortSignal.any([bound.signal, call.signal]);
  if (bound.timeout !== undefined && call.timeout !== undefined) merged.timeout = Math.min(bound.timeout, call.timeout);
  return merged;
}
