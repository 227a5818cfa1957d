// An event read from a packed segment (eventSegments.ts), decoded from the segment's bytes each time its
// text is asked for (once per send: the wire encoder, or a batch's join) instead of when it is read.
// A replayed event is held after its send: tRPC races each subscription event's promise against the
// subscription's abort in a WeakMap-cached wrapper, which keeps the resolved value alive through
// young-generation GCs (they copy it, then promote it) until the next full GC. Holding no text, a
// replayed event costs those GCs a small object instead (measured, 100 replays: about a fifth less
// copied and promoted per scavenge; the rest is tRPC's own per-message objects).
import { SerializedEvent } from "../../serializedEvent";

export class PackedEvent extends SerializedEvent {
  constructor(
    private readonly buf: Buffer,
    private readonly start: number,
    private readonly end: number,
    seq: number,
  ) {
    super("", seq);
  }

  override get json(): string {
    return this.buf.toString("utf8", this.start, this.end);
  }

  override get jsonLength(): number {
    return this.end - this.start;
  }
}
