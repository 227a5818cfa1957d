// Helpers for the LangChain differential tests: the same graph code on LangGraph.js 1.7.3 and on Rill
// (only the module changes), streams drained and made comparable (LangChain's JSON of every chunk, run-
// specific ids numbered in order of appearance, key order aside).
import { IdNormalizer } from "../../test/differential/normalize";

export type GraphLib = typeof import("@langchain/langgraph");
export type Prebuilt = typeof import("@langchain/langgraph/prebuilt");

export interface SideLibs {
  name: "langgraph" | "rill";
  lg: GraphLib;
  prebuilt: Prebuilt;
}

export async function sides(): Promise<[SideLibs, SideLibs]> {
  return [
    { name: "langgraph", lg: await import("@langchain/langgraph"), prebuilt: await import("@langchain/langgraph/prebuilt") },
    {
      name: "rill",
      lg: (await import("../../index")) as unknown as GraphLib,
      prebuilt: (await import("../../prebuilt/index")) as unknown as Prebuilt,
    },
  ];
}

// Provider ids that differ on every request: OpenAI-style tool call and completion ids.
const PROVIDER_ID = /\b(call_[A-Za-z0-9_-]{8,}|chatcmpl-[A-Za-z0-9_-]{8,})/g;

export function comparable(value: unknown): unknown {
  const ids = new IdNormalizer();
  const providerIds = new Map<string, string>();
  const json = JSON.stringify(value).replace(PROVIDER_ID, (raw) => {
    if (!providerIds.has(raw)) providerIds.set(raw, `<provider-id${providerIds.size + 1}>`);
    return providerIds.get(raw)!;
  });
  return sortKeys(ids.value(JSON.parse(json)));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]));
}

/** Every chunk of a stream, then what it threw (as `{ error: name: message }`). */
export async function drain(stream: Promise<AsyncIterable<unknown>> | AsyncIterable<unknown>): Promise<unknown[]> {
  const chunks: unknown[] = [];
  try {
    for await (const chunk of await stream) chunks.push(chunk);
  } catch (error) {
    chunks.push({ error: `${(error as Error).name}: ${(error as Error).message}` });
  }
  return chunks;
}
