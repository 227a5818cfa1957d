// `@langchain/core` is an optional peer of the engine: nothing here imports it statically. The messages
// reducer loads `@langchain/core/messages` synchronously (a reducer cannot await) the first time a message
// needs coercion; when the package is not installed, Rill keeps its plain JSON messages.
//
// It is loaded through `require`, which resolves @langchain/core's CommonJS build. Message classes of
// @langchain/core 1.x recognise each other across builds (`instanceof` checks a Symbol.for brand), so
// instances made here pass the user's `instanceof AIMessage` and LangGraph's `isAIMessage`.
import { createRequire } from "node:module";

export type CoreMessagesModule = typeof import("@langchain/core/messages");

let loaded: CoreMessagesModule | null | undefined;
let disabledForTest = false;

/** `@langchain/core/messages`, or null when it is not installed. Loaded at most once. */
export function coreMessages(): CoreMessagesModule | null {
  if (disabledForTest) return null;
  if (loaded === undefined) {
    try {
      loaded = createRequire(import.meta.url)("@langchain/core/messages") as CoreMessagesModule;
    } catch {
      loaded = null;
    }
  }
  return loaded;
}

let jsonSchemaModule: typeof import("@langchain/core/utils/json_schema") | null | undefined;

/** `@langchain/core/utils/json_schema` (zod 3 schemas' JSON schemas), or null when core is not installed. */
export function coreJsonSchema(): typeof import("@langchain/core/utils/json_schema") | null {
  if (disabledForTest) return null;
  if (jsonSchemaModule === undefined) {
    try {
      jsonSchemaModule = createRequire(import.meta.url)("@langchain/core/utils/json_schema") as typeof import("@langchain/core/utils/json_schema");
    } catch {
      jsonSchemaModule = null;
    }
  }
  return jsonSchemaModule;
}

/** Tests only: behave as if @langchain/core were not installed while `fn` runs. */
export function withoutLangChainCore<T>(fn: () => T): T {
  disabledForTest = true;
  try {
    return fn();
  } finally {
    disabledForTest = false;
  }
}

const MESSAGE_BRAND = Symbol.for("langchain.message");

/** True for a @langchain/core message instance (any copy of the package), by its brand; never loads core. */
export function isLangChainMessage(value: unknown): value is { type: string; id?: string; content: unknown; lc_kwargs: Record<string, unknown> } {
  return value !== null && typeof value === "object" && (value as Record<symbol, unknown>)[MESSAGE_BRAND] === true;
}
