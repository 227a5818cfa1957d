// A project's langgraph.json, in LangGraph's format, read into what Rill serves. Paths are relative to the
// file. A file that is not JSON, or not LangGraph's shape, is a ProjectConfigError naming the file and the
// line/column or the key; the server does not start on one (exit code 2).
//
//   { "graphs": { "agent": "./src/agent.ts:graph", "other": { "path": "./src/other.ts:make", "description": "…" } },
//     "env": ".env" | { "KEY": "value" },
//     "auth": { "path": "./src/auth.ts:auth" },
//     "rill": { "graphs": { "agent": { "engine": "rill" | "langgraph", "exampleInput": {…}, "title": "…" } } } }
//
// LangGraph keys Rill has no use for are accepted and ignored (IGNORED_KEYS; README lists them).
import { readFileSync } from "node:fs";
import path from "node:path";
import { parseEnv } from "node:util";
import { z } from "zod";
import type { Engine } from "./engineMapping";
import { firstJsonErrorOffset, positionAt } from "./jsonErrorPosition";

export class ProjectConfigError extends Error {
  override name = "ProjectConfigError";
}

/** LangGraph's langgraph.json keys that only matter to its own build and deployment. */
export const IGNORED_KEYS = [
  "dependencies",
  "node_version",
  "python_version",
  "pip_config_file",
  "dockerfile_lines",
  "image_distro",
  "base_image",
  "api_version",
  "keep_pkg_tools",
  "store",
  "checkpointer",
  "http",
  "ui",
  "ui_config",
  "webhooks",
  "$schema",
] as const;

export const GRAPH_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;

const graphSpec = z.union(
  [z.string().min(1), z.looseObject({ path: z.string().min(1), description: z.string().optional() })],
  { error: 'expected "./file.ts:export" or { "path": "./file.ts:export", "description": "..." }' },
);

const rillGraphOptions = z.strictObject({
  engine: z.enum(["rill", "langgraph"]).optional(),
  exampleInput: z.unknown().optional(),
  title: z.string().min(1).max(200).optional(),
});

const configShape = z.looseObject({
  graphs: z.record(z.string(), graphSpec),
  env: z.union([z.string().min(1), z.record(z.string(), z.string())]).optional(),
  auth: z.looseObject({ path: z.string().min(1).optional() }).optional(),
  rill: z.strictObject({ graphs: z.record(z.string(), rillGraphOptions).optional() }).optional(),
});

export interface ProjectGraph {
  id: string;
  /** Absolute path of the module. */
  file: string;
  /** The export naming the graph or its factory ("default" when the spec names none). */
  exportName: string;
  /** The spec as written in the file, for messages. */
  spec: string;
  title: string;
  description: string;
  engine: Engine;
  exampleInput: unknown;
}

export interface ProjectConfig {
  /** Absolute path of the langgraph.json. */
  file: string;
  graphs: ProjectGraph[];
  /** Variables the graphs run with (the `env` file's or object's); the caller applies them. */
  env: Record<string, string>;
  /** `auth.path` resolved against the file (module path and export), when present. */
  authPath: string | undefined;
}

function keyPath(pathParts: ReadonlyArray<PropertyKey>): string {
  return pathParts.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("").replace(/^\./, "") || "(top level)";
}

/** `./src/agent.ts:graph` -> the absolute file and the export; resolved against the config's folder. */
function splitSpec(spec: string, dir: string): { file: string; exportName: string } {
  // A drive letter ("C:\...") is not an export separator.
  const from = /^[A-Za-z]:[\\/]/.test(spec) ? 2 : 0;
  const colon = spec.indexOf(":", from);
  const file = colon < 0 ? spec : spec.slice(0, colon);
  const exportName = colon < 0 ? "default" : spec.slice(colon + 1) || "default";
  return { file: path.resolve(dir, file), exportName };
}

export function parseProjectConfig(text: string, file: string): ProjectConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    let offset: number | null = null;
    try {
      offset = firstJsonErrorOffset(text);
    } catch {
      // nested too deep to scan; the parser's own message stands
    }
    const where = offset === null ? "" : (({ line, column }) => `:${line}:${column}`)(positionAt(text, offset));
    throw new ProjectConfigError(`${file}${where}: not valid JSON (${(error as Error).message})`);
  }
  const parsed = configShape.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ProjectConfigError(`${file}: "${keyPath(issue.path)}": ${issue.message}`);
  }
  const config = parsed.data;
  const dir = path.dirname(file);
  for (const id of Object.keys(config.graphs)) {
    if (!GRAPH_ID_PATTERN.test(id)) throw new ProjectConfigError(`${file}: "graphs.${id}": a graph id is letters, digits, '_', '.' and '-' (at most 100)`);
  }
  const rillOptions = config.rill?.graphs ?? {};
  for (const id of Object.keys(rillOptions)) {
    if (!(id in config.graphs)) throw new ProjectConfigError(`${file}: "rill.graphs.${id}": no graph "${id}" under "graphs"`);
  }
  const graphs: ProjectGraph[] = Object.entries(config.graphs).map(([id, entry]) => {
    const spec = typeof entry === "string" ? entry : entry.path;
    const description = typeof entry === "string" ? undefined : entry.description;
    const options = rillOptions[id] ?? {};
    const { file: graphFile, exportName } = splitSpec(spec, dir);
    return {
      id,
      file: graphFile,
      exportName,
      spec,
      title: options.title ?? id,
      description: description ?? `${spec} (from ${path.basename(file)})`,
      engine: options.engine ?? "rill",
      exampleInput: options.exampleInput ?? {},
    };
  });
  return { file, graphs, env: readEnv(config.env, dir, file), authPath: config.auth?.path ? path.resolve(dir, config.auth.path) : undefined };
}

function readEnv(env: string | Record<string, string> | undefined, dir: string, configFile: string): Record<string, string> {
  if (env === undefined) return {};
  if (typeof env !== "string") return { ...env };
  const envFile = path.resolve(dir, env);
  let text: string;
  try {
    text = readFileSync(envFile, "utf8");
  } catch (error) {
    throw new ProjectConfigError(`${configFile}: "env": cannot read ${envFile} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  return parseEnv(text) as Record<string, string>;
}

/** Reads and checks a langgraph.json (or the langgraph.json in a folder). */
export function readProjectConfig(fileOrFolder: string): ProjectConfig {
  const file = path.resolve(fileOrFolder);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EISDIR") return readProjectConfig(path.join(file, "langgraph.json"));
    throw new ProjectConfigError(`${file}: cannot read the project config (${code ?? (error as Error).message})`);
  }
  return parseProjectConfig(text, file);
}
