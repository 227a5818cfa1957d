// A project's graphs as the server serves them: every graph of its langgraph.json loaded (a failure logged
// as one line naming the graph, its file and the cause, and served as a broken graph), and, in dev, the
// graph files and the project files they import watched so an edit reloads the graphs that import it.
//
// Reload: the edited graph is imported again at a new version (engineMapping.ts), which loads a fresh copy
// of every project file under it; the registry then serves the new graph to new runs while runs in flight
// finish on the old one. Old module copies stay in memory (Node cannot unload ES modules): dev only.
import { watch, type FSWatcher } from "node:fs";
import path from "node:path";
import type { ServedGraph } from "../graphRegistry";
import type { Logger } from "../log";
import { ensureEngineMapping, onProjectImport } from "./engineMapping";
import type { ProjectConfig, ProjectGraph } from "./projectConfig";
import { loadProjectGraph } from "./projectGraph";

/** Edits within this long of each other are one reload (an editor's save is several file events). */
const SETTLE_MS = 40;

let nextVersion = 1;

async function loadOne(spec: ProjectGraph, log: Logger): Promise<ServedGraph> {
  const { graph, error } = await loadProjectGraph(spec, nextVersion++);
  if (error) log({ level: "error", msg: "graph not loaded", graph: spec.id, file: spec.file, error: graph.error ?? error });
  return graph;
}

/** Loads every graph of `project` (never throws for a graph: a broken one is served with its error). */
export async function loadProjectGraphs(project: ProjectConfig, log: Logger): Promise<ServedGraph[]> {
  ensureEngineMapping();
  const graphs: ServedGraph[] = [];
  // One at a time: imports are mostly synchronous work, and the log reads in the config's order.
  for (const spec of project.graphs) graphs.push(await loadOne(spec, log));
  return graphs;
}

export interface ProjectWatcher {
  /** Resolves once every reload started so far has been applied (for tests and shutdown). */
  settled(): Promise<void>;
  close(): void;
}

/**
 * Watches the project's graph files and the project files they import (learned from the module hook as
 * they are imported); an edit reloads the graphs whose import tree holds the file and hands each to
 * `reloaded`. Start it before loading the project, so it hears of the first imports.
 */
export function watchProject(project: ProjectConfig, log: Logger, reloaded: (graph: ServedGraph) => void): ProjectWatcher {
  ensureEngineMapping();
  /** imported file -> the files importing it */
  const importers = new Map<string, Set<string>>();
  const specsByFile = new Map<string, ProjectGraph[]>();
  const watchers = new Map<string, FSWatcher>();
  const changed = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let chain: Promise<void> = Promise.resolve();
  let closed = false;

  const known = (file: string) => specsByFile.has(file) || importers.has(file);
  const watchDir = (dir: string) => {
    if (watchers.has(dir) || closed) return;
    try {
      const watcher = watch(dir, (_event, name) => {
        if (!name) return;
        const file = path.join(dir, name.toString());
        if (!known(file)) return;
        changed.add(file);
        clearTimeout(timer);
        timer = setTimeout(flush, SETTLE_MS);
      });
      watcher.on("error", () => undefined);
      watchers.set(dir, watcher);
    } catch (error) {
      log({ level: "warn", msg: "cannot watch a project folder", dir, error: (error as Error).message });
    }
  };

  for (const spec of project.graphs) {
    specsByFile.set(spec.file, [...(specsByFile.get(spec.file) ?? []), spec]);
    watchDir(path.dirname(spec.file));
  }
  const stopListening = onProjectImport((importer, imported) => {
    let set = importers.get(imported);
    if (!set) importers.set(imported, (set = new Set()));
    set.add(importer);
    watchDir(path.dirname(imported));
  });

  /** The graphs whose import tree holds one of `files` (a walk up the importers, each file once). */
  const affected = (files: Iterable<string>): ProjectGraph[] => {
    const seen = new Set<string>();
    const stack = [...files];
    const specs = new Set<ProjectGraph>();
    while (stack.length > 0) {
      const file = stack.pop()!;
      if (seen.has(file)) continue;
      seen.add(file);
      for (const spec of specsByFile.get(file) ?? []) specs.add(spec);
      for (const importer of importers.get(file) ?? []) stack.push(importer);
    }
    return [...specs];
  };

  function flush(): void {
    const files = [...changed];
    changed.clear();
    chain = chain.then(async () => {
      if (closed) return;
      for (const spec of affected(files)) {
        const graph = await loadOne(spec, log);
        if (closed) return;
        reloaded(graph);
        if (!graph.error) log({ level: "info", msg: "graph reloaded", graph: spec.id, file: spec.file });
      }
    });
  }

  return {
    settled: async () => {
      if (timer && changed.size > 0) {
        clearTimeout(timer);
        flush();
      }
      await chain;
    },
    close: () => {
      closed = true;
      clearTimeout(timer);
      stopListening();
      for (const watcher of watchers.values()) watcher.close();
      watchers.clear();
    },
  };
}
