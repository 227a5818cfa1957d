// Where a user's graph module gets `@langchain/langgraph` from. Rill imports a project's graph file through
// projectModuleURL(): the URL's query tells engineHooks.mjs (a Node module hook, registered here once per
// process, after tsx's so user .ts files still compile) which engine the module tree is for and which
// version of it to load. Engine "rill" maps the LangGraph.js specifiers to Rill's modules; "langgraph"
// leaves them to the user's own node_modules.
import { existsSync } from "node:fs";
import { register } from "node:module";
import { MessageChannel } from "node:worker_threads";
import { pathToFileURL } from "node:url";
import path from "node:path";
import { fileURLToPath } from "node:url";

export type Engine = "rill" | "langgraph";

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, "../..");

/** The module each LangGraph.js specifier becomes on Rill's engine (files that may not exist yet are checked). */
const RILL_MODULES: Record<string, string> = {
  "@langchain/langgraph": "server/project/langgraphModule.ts",
  "@langchain/langgraph/web": "server/project/langgraphModule.ts",
  "@langchain/langgraph/prebuilt": "lib/graph/prebuilt/index.ts",
  "@langchain/langgraph/zod": "lib/graph/zod.ts",
  "@langchain/langgraph/zod/schema": "lib/graph/zodJsonSchema.ts",
  "@langchain/langgraph-checkpoint": "server/project/checkpointModule.ts",
};

let registered = false;
const importListeners = new Set<(importer: string, imported: string) => void>();

/**
 * Hears of every project file a project module imports (as file paths), for dev reload's dependency
 * tracking. Returns the unsubscribe.
 */
export function onProjectImport(listener: (importer: string, imported: string) => void): () => void {
  importListeners.add(listener);
  return () => importListeners.delete(listener);
}

/** Registers the module hook once (idempotent). */
export function ensureEngineMapping(): void {
  if (registered) return;
  registered = true;
  const { port1, port2 } = new MessageChannel();
  port1.on("message", ([importer, imported]: [string, string]) => {
    if (importListeners.size === 0) return;
    const [from, to] = [fileURLToPath(importer.split("?")[0]!), fileURLToPath(imported)];
    for (const listener of importListeners) listener(from, to);
  });
  // The hook thread's messages must not keep the process alive.
  port1.unref();
  const targets: Record<string, string> = {};
  const missing: Record<string, string> = {};
  for (const [specifier, file] of Object.entries(RILL_MODULES)) {
    const absolute = path.join(repoRoot, file);
    if (existsSync(absolute)) targets[specifier] = pathToFileURL(absolute).href;
    else {
      missing[specifier] =
        `"${specifier}" has no Rill counterpart in this version of Rill (${file} is missing); ` +
        `run this graph with "engine": "langgraph" under "rill.graphs.<id>" in langgraph.json`;
    }
  }
  register(new URL("./engineHooks.mjs", import.meta.url), { data: { targets, missing, port: port2 }, transferList: [port2] });
}

/** The URL to import a project file with, so its import tree is loaded for `engine`, at `version`. */
export function projectModuleURL(file: string, engine: Engine, version: number): string {
  return `${pathToFileURL(file).href}?rill-engine=${engine}&rill-version=${version}`;
}
