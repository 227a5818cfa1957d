// An innocent client streaming a long run on its own connection while the attacks go on. It must lose and
// duplicate nothing, keep its connection, and keep receiving events after every attack.
import assert from "node:assert/strict";
import type { WebSocket } from "ws";
import { collect, connect, type Collected, type Received } from "../test/harness";

export interface Bystander {
  runId: string;
  /** Events received so far. */
  received(): number;
  /** Resolves once more than `count` events have arrived. */
  receivedMoreThan(count: number): Promise<void>;
  /** Cancels the run, waits for its end, and asserts the whole stream: every event once, in order, one connection. */
  finish(): Promise<void>;
}

/** A ticker that would run for hours: a custom event `{ n }` every few milliseconds, until cancelled. */
const LONG_RUN = { graphId: "ticker", input: { count: 1_000_000, every: 1, delayMs: 3 }, streamMode: ["custom" as const] };

export async function startBystander(target: { wsUrl: string }): Promise<Bystander> {
  const client = connect(target, { retryDelayMs: 50 });
  let events: Received[] = [];
  let waiters: Array<{ count: number; resolve: () => void }> = [];
  let firstSocket: WebSocket | null = null;
  let ended!: Promise<Collected>;
  const started = new Promise<string>((resolve) => {
    const done: Promise<Collected> = collect(client, LONG_RUN, (_event, all) => {
      events = all;
      firstSocket ??= client.socket();
      if (all.length === 1) resolve(String((all[0]!.data[1] as { run_id: string }).run_id));
      waiters = waiters.filter((waiter) => (all.length > waiter.count ? (waiter.resolve(), false) : true));
    });
    ended = done;
  });
  const runId = await started;

  return {
    runId,
    received: () => events.length,
    receivedMoreThan: (count) =>
      events.length > count ? Promise.resolve() : new Promise((resolve) => waiters.push({ count, resolve })),
    async finish() {
      assert.equal(client.socket(), firstSocket, "the bystander kept its one connection");
      await client.trpc.runs.cancel.mutate({ runId, reason: "the attack suite is done" });
      const { events: all, error } = await ended;
      assert.equal(error, undefined, `the bystander's subscription failed: ${error?.message}`);
      all.forEach((event, seq) => assert.equal(event.id, `${runId}:${seq}`, "every event once, in order"));
      const ticks = all.filter((e) => e.data[0] === "custom").map((e) => (e.data[1] as { n: number }).n);
      ticks.forEach((n, i) => assert.equal(n, i + 1, "the ticks are 1, 2, 3, ... with none lost or repeated"));
      assert.ok(ticks.length > 0);
      assert.deepEqual(all.at(-1)!.data[0], "status");
      assert.equal((all.at(-1)!.data[1] as { status: string }).status, "cancelled");
      await client.close();
    },
  };
}
