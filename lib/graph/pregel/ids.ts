// Cheap unique ids. A run needs one id per task, so it draws random bits once and counts:
// "xxxxxxxx-xxxx-4xxx-yxxx-<48-bit counter>" looks and sorts like a UUID, is unique within the process
// and, with overwhelming probability, across processes.
//
// Random bits come from randomUUID(), which Node serves from a buffer it refills in bulk; randomBytes()
// goes to the system's generator on every call, about 20 µs for a few bytes here, which was a fifth
// of the cost of starting a short run.
import { randomUUID } from "node:crypto";

export class IdSequence {
  private readonly prefix: string;
  private counter = 0;

  constructor() {
    // The first four groups of a random UUID: 76 random bits (the version and variant digits are fixed).
    this.prefix = randomUUID().slice(0, 24);
  }

  next(): string {
    return this.prefix + (++this.counter).toString(16).padStart(12, "0");
  }
}

let lastTime = 0;
let sequence = 0;
/** The first two groups of the id for `lastTime` ("xxxxxxxx-xxxx-"), made once per millisecond. */
let timePrefix = "";
/** The last two groups: 4 hex digits (the first holding 2 random bits) and 12 random ones, drawn once per millisecond. */
let randomSuffix = "";

/**
 * Checkpoint ids that sort by creation time within the process (like LangGraph's uuid6 ids):
 * 48 bits of milliseconds, a 16-bit sequence for ids made in the same millisecond, 62 random bits.
 * The random bits are drawn once per millisecond: within it the sequence tells ids apart, and across
 * processes the random bits do, as before.
 */
export function checkpointId(): string {
  const now = Date.now();
  if (now === lastTime) sequence++;
  else {
    lastTime = now;
    sequence = 0;
    const time = now.toString(16).padStart(12, "0");
    timePrefix = `${time.slice(0, 8)}-${time.slice(8, 12)}-`;
    randomSuffix = randomUUID().slice(18);
  }
  return timePrefix + (sequence & 0xffff).toString(16).padStart(4, "0") + randomSuffix;
}

let stampedAt = Number.NaN;
let stamp = "";

/** `new Date().toISOString()`, formatted once per millisecond (a checkpoint's `ts`). */
export function checkpointTimestamp(): string {
  const now = Date.now();
  if (now !== stampedAt) {
    stampedAt = now;
    stamp = new Date(now).toISOString();
  }
  return stamp;
}

/** FNV-1a based 128-bit hex digest: deterministic interrupt ids from a task's namespace and index. */
export function hashHex32(text: string): string {
  let out = "";
  for (let seed = 0; seed < 4; seed++) {
    let h = 0x811c9dc5 ^ (seed * 0x9e3779b1);
    for (let i = 0; i < text.length; i++) {
      h ^= text.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
    out += (h >>> 0).toString(16).padStart(8, "0");
  }
  return out;
}
