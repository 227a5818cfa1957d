// A durable log stores one row per run per commit, not one per event: the events of that run in that
// batch, their JSON texts joined by "\n" (JSON.stringify never writes a raw newline, and the store
// refuses a text that has one). Eight events a tick from a hundred runs are a hundred rows, not 800.
import type { StoredLogEvent } from "./runLogBackend";

export interface EventChunk {
  runId: string;
  firstSeq: number;
  lastSeq: number;
  /** The events' JSON, in seq order, joined by "\n". */
  text: string;
}

/** One chunk per run, from a batch's events (a run's events in a batch are consecutive seqs, in order). */
export function chunksOf(events: ReadonlyArray<{ runId: string; seq: number; json: string }>): EventChunk[] {
  const byRun = new Map<string, { firstSeq: number; lastSeq: number; texts: string[] }>();
  for (const { runId, seq, json } of events) {
    const chunk = byRun.get(runId);
    if (chunk) {
      chunk.texts.push(json);
      chunk.lastSeq = seq;
    } else byRun.set(runId, { firstSeq: seq, lastSeq: seq, texts: [json] });
  }
  return [...byRun].map(([runId, { firstSeq, lastSeq, texts }]) => ({ runId, firstSeq, lastSeq, text: texts.join("\n") }));
}

/** The events `from..to` of stored chunks (in firstSeq order; they may start before `from`). */
export function eventsOfChunks(chunks: ReadonlyArray<{ firstSeq: number; text: string }>, from: number, to: number): StoredLogEvent[] {
  const out: StoredLogEvent[] = [];
  for (const { firstSeq, text } of chunks) {
    let seq = firstSeq;
    let start = 0;
    while (start <= text.length && seq <= to) {
      let end = text.indexOf("\n", start);
      if (end < 0) end = text.length;
      if (seq >= from) out.push({ seq, json: text.slice(start, end) });
      seq += 1;
      start = end + 1;
    }
  }
  return out;
}

/** The sizes (JSON length) of the events of stored chunks from `from` on. */
export function sizesOfChunks(chunks: ReadonlyArray<{ firstSeq: number; text: string }>, from: number): number[] {
  return eventsOfChunks(chunks, from, Infinity).map((event) => event.json.length);
}
