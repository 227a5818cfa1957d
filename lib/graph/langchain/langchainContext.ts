// Makes a node's config visible to LangChain code the node calls without passing it on
// (`await model.invoke(messages)`): LangChain reads the current config from the AsyncLocalStorage it
// shares through `globalThis[Symbol.for("ls:tracing_async_local_storage")]`
// (AsyncLocalStorageProviderSingleton.getRunnableConfig reads `store.extra[Symbol.for("lc:child_config")]`).
// LangGraph.js enters it around every node; Rill enters it only for tasks whose run streams "messages",
// which is what needs it (the callbacks there carry the messages handler). No import of @langchain/core:
// when nothing set the storage up yet, Rill installs one, as @langchain/core itself would.
import { AsyncLocalStorage } from "node:async_hooks";

const TRACING_ALS_KEY = Symbol.for("ls:tracing_async_local_storage");
const LC_CHILD_KEY = Symbol.for("lc:child_config");
const CONTEXT_VARIABLES_KEY = Symbol.for("lc:context_variables");

type Store = Record<PropertyKey, unknown>;

function langchainStorage(): AsyncLocalStorage<Store> {
  const global = globalThis as unknown as Record<symbol, AsyncLocalStorage<Store> | undefined>;
  return (global[TRACING_ALS_KEY] ??= new AsyncLocalStorage<Store>());
}

/** Runs `fn` with `config` as LangChain's current runnable config (keeping LangChain's context variables). */
export function runWithLangChainConfig<T>(config: object, fn: () => T): T {
  const storage = langchainStorage();
  const previous = storage.getStore();
  const store: Store = { extra: { [LC_CHILD_KEY]: config } };
  if (previous !== undefined && previous[CONTEXT_VARIABLES_KEY] !== undefined) store[CONTEXT_VARIABLES_KEY] = previous[CONTEXT_VARIABLES_KEY];
  return storage.run(store, fn);
}

/**
 * LangGraph.js's `initializeAsyncLocalStorageSingleton()`: makes sure LangChain's shared AsyncLocalStorage
 * exists (as @langchain/core's `initializeGlobalInstance` would). Rill installs it on first use anyway, so
 * calling this is never required; it is exported so code written for LangGraph.js keeps working.
 */
export function initializeAsyncLocalStorageSingleton(): void {
  langchainStorage();
}
