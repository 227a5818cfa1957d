// Cheap unique ids. A run needs one id per task; generating random UUIDs costs ~1 µs each, so a run
// draws 80 random bits once and counts: "xxxxxxxx-xxxx-xxxx-xxxx-<48-bit counter>" looks and sorts like
// a UUID, is unique within the process and, with overwhelming probability, across processes.
import { randomBytes } from "node:crypto";

export class IdSequence {
  private readonly prefix: string;
  private counter = 0;

  constructor() {
    const hex = randomBytes(10).toString("hex");
    this.prefix = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-`;
  }

  next(): string {
    return this.prefix + (++this.counter).toString(16).padStart(12, "0");
  }
}

let lastTime = 0;
let sequence = 0;

/**
 * Checkpoint ids that sort by creation time within the process (like LangGraph's uuid6 ids):
 * 48 bits of milliseconds, a 16-bit sequence for ids made in the same millisecond, 64 random bits.
 */
export function checkpointId(): string {
  const now = Date.now();
  if (now === lastTime) sequence++;
  else {
    lastTime = now;
    sequence = 0;
  }
  const time = now.toString(16).padStart(12, "0");
  const seq = (sequence & 0xffff).toString(16).padStart(4, "0");
  const rand = randomBytes(8).toString("hex");
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-${seq}-${rand.slice(0, 4)}-${rand.slice(4, 16)}`;
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
