// A run's committed events in a Redis Stream, one entry per event, the entry id `<seq>-0`: ids match the
// run log's seqs, so a follower on any process reads "after seq n" with XRANGE/XREAD and dedupes by seq.
// The executor adds events only once PostgreSQL has committed them (DurableStoreHooks.onCommitted): what
// Redis holds the log holds too, so a gap in Redis (trimmed, restarted, unreachable for a while) is
// always filled from the log, never the other way round (a gap in the middle too: an executor that hung
// between a commit and its add, and whose run was taken over meanwhile; readers stop at it). Streams are trimmed to about MAX_LEN entries
// and expire END_TTL_S after their run ends.
import type { Redis } from "ioredis";
import { isTerminalStatus, type RunStatus } from "../../lib/run/runStatus";
import type { StoredEvent } from "../runs/runStore";
import type { SerializedEvent } from "../runs/serializedEvent";

const MAX_LEN = 10_000;
const END_TTL_S = 300;
const STATUS_PREFIX = '["status",{"status":"';

export function streamKey(prefix: string, runId: string): string {
  return `${prefix}run:${runId}`;
}

/** True for a ["status", …] event that ends its run. */
function endsRun(json: string): boolean {
  if (!json.startsWith(STATUS_PREFIX)) return false;
  const status = json.slice(STATUS_PREFIX.length, json.indexOf('"', STATUS_PREFIX.length)) as RunStatus;
  return isTerminalStatus(status);
}

export class RunEventStreams {
  /** Adds that failed (Redis unreachable): followers read those events from the log instead. */
  failedAdds = 0;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  /** What the commit being published adds, sent as one pipeline once the commit's runs are all in. */
  private pending: { pipeline: ReturnType<Redis["pipeline"]>; events: number } | null = null;

  /**
   * Adds one commit's events of a run (never waited on by the run). The runs of one commit are told one
   * after the other in the same turn: they go to Redis together, in one pipeline (one round trip).
   */
  publish(runId: string, events: readonly SerializedEvent[]): void {
    if (this.redis.status !== "ready") {
      this.failedAdds += events.length;
      return;
    }
    if (!this.pending) {
      this.pending = { pipeline: this.redis.pipeline(), events: 0 };
      queueMicrotask(() => this.send());
    }
    const { pipeline } = this.pending;
    const key = streamKey(this.prefix, runId);
    let ended = false;
    for (const event of events) {
      pipeline.xadd(key, "MAXLEN", "~", MAX_LEN, `${event.seq}-0`, "e", event.json);
      if (endsRun(event.json)) ended = true;
    }
    this.pending.events += events.length;
    if (ended) pipeline.expire(key, END_TTL_S);
  }

  private send(): void {
    const pending = this.pending!;
    this.pending = null;
    pending.pipeline.exec().then(
      (results) => {
        for (const [error] of results ?? []) if (error) this.failedAdds += 1;
      },
      () => (this.failedAdds += pending.events),
    );
  }

  /** Up to `max` events after `afterSeq` that Redis holds, in order (possibly not starting at afterSeq + 1). */
  async range(runId: string, afterSeq: number, max: number): Promise<StoredEvent[]> {
    const entries = await this.redis.xrange(streamKey(this.prefix, runId), `${afterSeq + 1}-0`, "+", "COUNT", max);
    return entries.map(([id, fields]) => ({ seq: Number(id.slice(0, id.indexOf("-"))), json: fields[1]! }));
  }
}
