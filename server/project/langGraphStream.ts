// Streaming a graph compiled by the project's own @langchain/langgraph ("engine": "langgraph") the way the
// run manager streams Rill's: same options, same [mode, chunk] tuples. Two things are translated: a resume
// (the run manager builds Rill's Command; LangGraph.js wants its own class), and a "messages" tuple's
// message (a LangChain class instance, streamed as Rill's plain message shape so the playground reads both
// engines alike). Every other chunk is LangGraph.js's own.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { isCommand } from "../../lib/graph";
import type { StreamPart } from "../../lib/graph/types";
import type { GraphStreamOptions } from "../runs/graphSource";

type CommandClass = new (params: { resume?: unknown; update?: unknown; goto?: unknown }) => unknown;

interface LangGraphCompiled {
  stream(input: unknown, options: Record<string, unknown>): Promise<AsyncIterable<unknown>>;
}

/** The project's @langchain/langgraph, the ES module the graph file itself imported (resolved from `graphFile`). */
export async function importProjectLangGraph(graphFile: string): Promise<{ Command: CommandClass }> {
  const require = createRequire(graphFile);
  const manifestPath = require.resolve("@langchain/langgraph/package.json");
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as { exports?: Record<string, unknown> };
  const main = manifest.exports?.["."] as { import?: { default?: string } | string } | undefined;
  const entry = typeof main?.import === "string" ? main.import : main?.import?.default;
  if (!entry) throw new Error(`${manifestPath}: no ES module entry for "@langchain/langgraph"`);
  return (await import(pathToFileURL(path.join(path.dirname(manifestPath), entry)).href)) as { Command: CommandClass };
}

interface LangChainMessage {
  constructor: { name: string };
  type?: string;
  _getType?(): string;
  id?: string;
  content?: unknown;
  tool_call_chunks?: unknown;
  tool_calls?: unknown;
  usage_metadata?: unknown;
  response_metadata?: unknown;
}

/** Rill's plain message shape (lib/graph/messages.ts) for a LangChain message instance. */
export function plainMessage(value: unknown): unknown {
  if (value === null || typeof value !== "object" || Object.getPrototypeOf(value) === Object.prototype) return value;
  const message = value as LangChainMessage;
  const isChunk = message.constructor.name === "AIMessageChunk";
  const type = isChunk ? "AIMessageChunk" : (message.type ?? message._getType?.() ?? message.constructor.name);
  return {
    type,
    id: message.id,
    content: message.content,
    ...(isChunk ? { tool_call_chunks: message.tool_call_chunks ?? [] } : message.tool_calls !== undefined ? { tool_calls: message.tool_calls } : {}),
    ...(message.usage_metadata !== undefined ? { usage_metadata: message.usage_metadata } : {}),
    ...(message.response_metadata !== undefined ? { response_metadata: message.response_metadata } : {}),
  };
}

export async function streamOnLangGraph(
  compiled: LangGraphCompiled,
  Command: CommandClass,
  input: unknown,
  options: GraphStreamOptions,
): Promise<AsyncIterable<StreamPart>> {
  const translated = isCommand(input) ? new Command({ resume: input.resume, update: input.update, goto: input.goto }) : input;
  const stream = await compiled.stream(translated, { ...options });
  if (!options.streamMode.includes("messages")) return stream as AsyncIterable<StreamPart>;
  return (async function* () {
    for await (const part of stream) {
      // With subgraphs: true a part is [namespace, mode, chunk].
      const namespaced = Array.isArray((part as unknown[])[0]);
      const [mode, chunk] = (namespaced ? (part as unknown[]).slice(1) : part) as [string, unknown];
      if (mode !== "messages" || !Array.isArray(chunk)) yield part as StreamPart;
      else if (namespaced) yield [(part as unknown[])[0], "messages", [plainMessage(chunk[0]), chunk[1]]] as unknown as StreamPart;
      else yield ["messages", [plainMessage(chunk[0]), chunk[1]]] as unknown as StreamPart;
    }
  })();
}
