// The newest committed events of a run executing in this process, kept so that live followers read
// them without a query. Bounded (RECENT_EVENTS); replays of older events read the database. Dropped when
// the run ends: a finished run's log lives only in the database.
import { SerializedEvent } from "../../serializedEvent";

export const RECENT_EVENTS = 512;

export class RecentEvents {
  private events: SerializedEvent[] = [];
  private head = 0;

  /** Seq of the oldest event held, or Infinity when none is. */
  get firstSeq(): number {
    return this.head < this.events.length ? this.events[this.head]!.seq : Infinity;
  }

  push(event: SerializedEvent): void {
    this.events.push(event);
    if (this.events.length - this.head > RECENT_EVENTS) {
      this.head += 1;
      if (this.head >= RECENT_EVENTS) {
        this.events = this.events.slice(this.head);
        this.head = 0;
      }
    }
  }

  /** Held events `from..to` (the caller checked `from >= firstSeq`). */
  read(from: number, to: number): SerializedEvent[] {
    const base = this.events[this.head]!.seq;
    return this.events.slice(this.head + (from - base), this.head + (to - base) + 1);
  }
}
