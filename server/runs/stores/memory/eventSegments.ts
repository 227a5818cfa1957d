// One run's events, held compactly and counted in bytes of memory. The newest events (the "tail", up
// to SEGMENT_EVENTS events or SEGMENT_CHARS characters) stay the SerializedEvent objects they were
// logged as, so live subscribers read them without any copy. When the tail fills up, or the run ends,
// it is packed into a segment: one UTF-8 Buffer holding the events' JSON back to back and a Uint32Array
// of where each ends; the strings and objects go. Readers of packed events (replays) get PackedEvents,
// whose text is decoded from the Buffer when it is sent: a copy, but no object graph kept per event.
//
// Counting (see the README's configuration section for the measurement): a tail event counts
// TAIL_EVENT_OVERHEAD plus its characters at V8's size (1 byte each if all are ASCII, else 2); a segment
// counts its Buffer and offsets plus SEGMENT_OVERHEAD. A segment's bytes are freed only when its last
// event is evicted, so they stay counted until then: the count is never below what is held.
import { SerializedEvent } from "../../serializedEvent";
import type { StoredEvent } from "../../runStore";
import { PackedEvent } from "./packedEvent";

/** Measured on Node 20 (64-bit): string header + SerializedEvent object + array slot, rounded up. */
export const TAIL_EVENT_OVERHEAD = 96;
/** Measured: the Buffer and Uint32Array objects and their backing stores' allocator headers, the segment object. */
export const SEGMENT_OVERHEAD = 512;
export const SEGMENT_EVENTS = 256;
export const SEGMENT_CHARS = 64 * 1024;

/** Bytes a logged event's text takes as a V8 string, with its object (an upper bound). */
export function tailEventBytes(json: string): number {
  const oneByte = Buffer.byteLength(json, "utf8") === json.length;
  return TAIL_EVENT_OVERHEAD + json.length * (oneByte ? 1 : 2);
}

interface Segment {
  firstSeq: number;
  /** Offset in `buf` where event i ends (it starts where i - 1 ends, or at 0). */
  ends: Uint32Array;
  buf: Buffer;
  bytes: number;
}

const COMPACT_AFTER = 64;

export class EventSegments {
  private segments: Segment[] = [];
  private segmentHead = 0;
  private tail: Array<SerializedEvent | null> = [];
  private tailHead = 0;
  /** Seq of tail[0]. */
  private tailBase: number;
  private tailChars = 0;
  /** Bytes counted for what is held. */
  bytes = 0;
  /** Seq of the oldest event held (`nextSeq` when none is). */
  firstSeq: number;
  private nextSeq: number;

  constructor(firstSeq = 1) {
    this.firstSeq = firstSeq;
    this.nextSeq = firstSeq;
    this.tailBase = firstSeq;
  }

  get count(): number {
    return this.nextSeq - this.firstSeq;
  }

  /** Appends the next event (seq `nextSeq`) and returns how many bytes the count grew by. */
  append(json: string): number {
    const before = this.bytes;
    this.tail.push(new SerializedEvent(json, this.nextSeq));
    this.nextSeq += 1;
    this.tailChars += json.length;
    this.bytes += tailEventBytes(json);
    if (this.tail.length - this.tailHead >= SEGMENT_EVENTS || this.tailChars >= SEGMENT_CHARS) this.seal();
    return this.bytes - before;
  }

  /** Up to `max` events from `from` on (all held: the caller checked `from >= firstSeq`). */
  read(from: number, max: number): StoredEvent[] {
    const out: StoredEvent[] = [];
    let seq = from;
    const end = Math.min(this.nextSeq, from + max);
    while (seq < end && seq < this.tailBase + this.tailHead) {
      const segment = this.segmentOf(seq);
      const last = Math.min(end, segment.firstSeq + segment.ends.length);
      for (; seq < last; seq++) {
        const i = seq - segment.firstSeq;
        const start = i === 0 ? 0 : segment.ends[i - 1]!;
        out.push(new PackedEvent(segment.buf, start, segment.ends[i]!, seq));
      }
    }
    for (; seq < end; seq++) out.push(this.tail[seq - this.tailBase]!);
    return out;
  }

  /** Drops the oldest event; returns how many bytes the count shrank by (0 until a whole segment goes). */
  evictOldest(): number {
    if (this.count === 0) return 0;
    const seq = this.firstSeq;
    this.firstSeq += 1;
    if (seq >= this.tailBase + this.tailHead) {
      const event = this.tail[this.tailHead]!;
      this.tail[this.tailHead] = null;
      this.tailHead += 1;
      this.tailChars -= event.json.length;
      const freed = tailEventBytes(event.json);
      this.bytes -= freed;
      if (this.tailHead === this.tail.length) {
        this.tail = [];
        this.tailBase = this.nextSeq;
        this.tailHead = 0;
      }
      return freed;
    }
    const segment = this.segments[this.segmentHead]!;
    if (seq < segment.firstSeq + segment.ends.length - 1) return 0;
    this.segments[this.segmentHead] = undefined as unknown as Segment;
    this.segmentHead += 1;
    if (this.segmentHead >= COMPACT_AFTER && this.segmentHead * 2 >= this.segments.length) {
      this.segments = this.segments.slice(this.segmentHead);
      this.segmentHead = 0;
    }
    this.bytes -= segment.bytes;
    return segment.bytes;
  }

  /** Packs the tail into a segment (when it fills, and when the run ends: nothing more comes). */
  seal(): void {
    const events = this.tail.length - this.tailHead;
    if (events === 0) return;
    const ends = new Uint32Array(events);
    let size = 0;
    for (let i = 0; i < events; i++) {
      size += Buffer.byteLength(this.tail[this.tailHead + i]!.json, "utf8");
      ends[i] = size;
    }
    // Not from Buffer's shared pool: a pooled slice would keep its whole 8 KiB slab alive.
    const buf = Buffer.allocUnsafeSlow(size);
    let tailBytes = 0;
    for (let i = 0; i < events; i++) {
      const { json } = this.tail[this.tailHead + i]!;
      buf.write(json, i === 0 ? 0 : ends[i - 1]!, "utf8");
      tailBytes += tailEventBytes(json);
    }
    const bytes = size + ends.byteLength + SEGMENT_OVERHEAD;
    this.segments.push({ firstSeq: this.tailBase + this.tailHead, ends, buf, bytes });
    this.bytes += bytes - tailBytes;
    this.tail = [];
    this.tailHead = 0;
    this.tailBase = this.nextSeq;
    this.tailChars = 0;
  }

  /** The segment holding `seq` (a packed, held event): binary search, segments are in seq order. */
  private segmentOf(seq: number): Segment {
    let lo = this.segmentHead;
    let hi = this.segments.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.segments[mid]!.firstSeq <= seq) lo = mid;
      else hi = mid - 1;
    }
    return this.segments[lo]!;
  }
}
