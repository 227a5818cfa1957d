// The replay pacer's share of a busy loop: with several replays waiting on a spent budget, they rest as
// long as the turn worked, or `restWhileLive` times as long once a live subscriber has delivered.
// Timers are mocked and the pacer reads a test clock: the rests are checked in fake milliseconds.
import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it, mock } from "node:test";
import { ReplayPacer, noteLiveDelivery } from "./replayPacer";

const BUDGET = { eventsPerTurn: 1, bytesPerTurn: 1 << 30, msPerTurn: 1_000, restWhileLive: 4 };

/** Two replays spend a turn that worked 2 ms and wait; resolves how many fake ms pass before they are woken. */
async function restAfterBusyTurn(beforeRest?: () => void): Promise<number> {
  let clock = 0;
  const pacer = new ReplayPacer(BUDGET, () => clock);
  pacer.spend(1, 100);
  clock = 2;
  let woken = 0;
  void pacer.nextTurn().then(() => woken++);
  void pacer.nextTurn().then(() => woken++);
  beforeRest?.();
  for (let ms = 0; ms <= 20; ms++) {
    mock.timers.tick(ms === 0 ? 0 : 1);
    await Promise.resolve();
    await Promise.resolve();
    if (woken === 2) return ms;
  }
  throw new Error("the replays were never woken");
}

describe("ReplayPacer", () => {
  beforeEach(() => mock.timers.enable({ apis: ["setTimeout", "setImmediate"] }));
  afterEach(() => mock.timers.reset());

  it("several replays on a spent budget rest as long as the turn worked", async () => {
    assert.equal(await restAfterBusyTurn(), 2);
  });

  it("...and four times as long while a live subscriber delivers", async () => {
    assert.equal(await restAfterBusyTurn(() => noteLiveDelivery()), 8);
  });

  it("a lone replay does not rest", async () => {
    const pacer = new ReplayPacer(BUDGET, () => 5);
    pacer.spend(1, 100);
    noteLiveDelivery();
    let woken = false;
    void pacer.nextTurn().then(() => (woken = true));
    mock.timers.tick(0);
    await Promise.resolve();
    assert.ok(woken);
  });
});
