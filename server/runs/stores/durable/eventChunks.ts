// Reading the chunks a durable log stores (runLogBackend.ts EventChunk: one row per run per commit, its
// events' JSON joined by "\n"). Eight events a tick from a hundred runs are a hundred rows, not 800.
import type { StoredLogEvent } from "./runLogBackend";

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
