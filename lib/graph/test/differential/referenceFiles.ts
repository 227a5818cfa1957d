// Reads /work/shared/reference/*.jsonl (what LangGraph.js 1.7.3 streamed when the reference was recorded)
// as Outcomes, so they compare like live runs. A last `{"__stream_error__": …}` line is what the stream threw.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Outcome } from "./record";

export const REFERENCE_DIR = process.env.RILL_REFERENCE_DIR ?? "/work/shared/reference";

export function referenceAvailable(): boolean {
  return existsSync(REFERENCE_DIR);
}

export function readReference(name: string): Outcome {
  const lines = readFileSync(join(REFERENCE_DIR, `${name}.jsonl`), "utf8").split("\n").filter((l) => l.trim() !== "");
  const chunks: unknown[] = lines.map((line) => JSON.parse(line));
  const last = chunks.at(-1) as { __stream_error__?: { constructor: string; name: string; message: string } } | undefined;
  if (last && typeof last === "object" && "__stream_error__" in last && last.__stream_error__) {
    chunks.pop();
    const { constructor, name: errorName, message } = last.__stream_error__;
    return { kind: "stream", chunks, error: { constructor, name: errorName, message } };
  }
  return { kind: "stream", chunks, error: null };
}
