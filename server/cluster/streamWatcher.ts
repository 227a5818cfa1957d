// Wakes this process's followers of runs executed by other processes: one blocking XREAD over every run
// stream somebody waits on, on a connection of its own. A follower registers the seq it has read up to
// (one-shot, like ActiveRun.onNextAppend) and is woken once its run's stream holds a later entry; it then
// reads the events itself (the store: Redis, else the log), so a wake-up is only a hint and can never
// duplicate or lose an event.
//
// A new waiter while XREAD blocks unblocks it (CLIENT UNBLOCK from the command connection) so the next
// call includes it. When XREAD times out every waiter is woken to look at the log (a safety net for
// events whose add to Redis failed), and while Redis is unreachable waiters are woken every POLL_MS to
// read the durable log instead: followers catch up without Redis and switch back when it returns.
import type { Redis } from "ioredis";
import type { StoredEvent } from "../runs/runStore";
import { streamKey } from "./runEventStreams";

const BLOCK_MS = 2000;
/** Entries XREAD returns per stream: handed to the store (onEntries) so the woken followers read them without another round trip. */
const READ_AHEAD = 256;
const POLL_MS = 250;

interface Waiting {
  afterSeq: number;
  wakes: Array<() => void>;
}

export class StreamWatcher {
  private readonly waiting = new Map<string, Waiting>();
  /** Runs and cursors of the XREAD in flight. */
  private inFlight: Map<string, number> | null = null;
  private blockingClientId: number | null = null;
  private unblockSent = false;
  private idle: (() => void) | null = null;
  private closed = false;
  private readonly loop: Promise<void>;

  constructor(
    /** Used for blocking reads only. */
    private readonly blocking: Redis,
    /** Sends CLIENT UNBLOCK. */
    private readonly control: Redis,
    private readonly prefix: string,
    /** Told of the entries each XREAD returned for a run (after the lowest cursor waiting on it), before its followers are woken. */
    private readonly onEntries: (runId: string, events: StoredEvent[]) => void = () => undefined,
  ) {
    blocking.on("ready", () => {
      this.blockingClientId = null;
    });
    this.loop = this.run();
  }

  /** Calls `wake` once, when the run's stream has an entry after `afterSeq` (or to look at the log). */
  watch(runId: string, afterSeq: number, wake: () => void): void {
    let entry = this.waiting.get(runId);
    if (!entry) this.waiting.set(runId, (entry = { afterSeq, wakes: [] }));
    entry.afterSeq = Math.min(entry.afterSeq, afterSeq);
    entry.wakes.push(wake);
    this.idle?.();
    const current = this.inFlight?.get(runId);
    if (this.inFlight && (current === undefined || current > afterSeq)) this.unblock();
  }

  get waiters(): number {
    let count = 0;
    for (const entry of this.waiting.values()) count += entry.wakes.length;
    return count;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.idle?.();
    this.unblock();
    this.wakeAll();
    this.blocking.disconnect();
    await this.loop;
  }

  private unblock(): void {
    if (this.unblockSent || this.blockingClientId === null || this.control.status !== "ready") return;
    this.unblockSent = true;
    this.control.client("UNBLOCK", this.blockingClientId).catch(() => undefined);
  }

  private wake(runId: string): void {
    const entry = this.waiting.get(runId);
    if (!entry) return;
    this.waiting.delete(runId);
    for (const wake of entry.wakes) wake();
  }

  private wakeAll(): void {
    for (const runId of [...this.waiting.keys()]) this.wake(runId);
  }

  private async run(): Promise<void> {
    while (!this.closed) {
      if (this.waiting.size === 0) {
        await new Promise<void>((resolve) => (this.idle = resolve));
        this.idle = null;
        continue;
      }
      try {
        if (this.blocking.status !== "ready") throw new Error("redis not ready");
        this.blockingClientId ??= Number(await this.blocking.client("ID"));
        const runs = [...this.waiting.keys()];
        this.inFlight = new Map(runs.map((runId) => [runId, this.waiting.get(runId)!.afterSeq]));
        this.unblockSent = false;
        const keys = runs.map((runId) => streamKey(this.prefix, runId));
        const ids = runs.map((runId) => `${this.inFlight!.get(runId)!}-0`);
        const answer = (await this.blocking.xread("COUNT", READ_AHEAD, "BLOCK", BLOCK_MS, "STREAMS", ...keys, ...ids)) as Array<
          [string, Array<[string, string[]]>]
        > | null;
        const unblocked = this.unblockSent;
        this.inFlight = null;
        if (answer) {
          const byKey = new Map(runs.map((runId) => [streamKey(this.prefix, runId), runId]));
          for (const [key, entries] of answer) {
            const runId = byKey.get(key)!;
            this.onEntries(runId, entries.map(([id, fields]) => ({ seq: Number(id.slice(0, id.indexOf("-"))), json: fields[1]! })));
            this.wake(runId);
          }
        } else if (!unblocked) {
          this.wakeAll();
        }
      } catch {
        this.inFlight = null;
        if (this.closed) break;
        // Redis unreachable: followers read the durable log every POLL_MS until it answers again.
        this.blockingClientId = null;
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
        this.wakeAll();
      }
    }
  }
}
