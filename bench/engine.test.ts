// Smoke test of the engine benchmark: tiny versions of each workload, on Rill and on LangGraph.js,
// compute the right results, and the measuring functions return well-formed figures. No timing is asserted.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadLangGraph, loadRill } from "../lib/graph/test/differential/graphLibrary";
import { measureBare, measureFanOutLinearity, measurePeakMemory, measureWorkload, workloads, type Workload } from "./engine";
import { bareChain, bareFanOut, bareLoop, buildChain, buildFanOut, buildLoop } from "./engineWorkloads";
import { median, timeRuns } from "./medianTimer";

const tiny = { warmup: 1, minRepeats: 2, maxRepeats: 2, minTotalMs: 0 };

describe("engine benchmark workloads", () => {
  for (const name of ["langgraph", "rill"] as const) {
    describe(name, () => {
      const load = () => (name === "rill" ? loadRill() : loadLangGraph()).then((side) => side.lg);

      it("(a) the loop streams one update per step and counts to the step limit", async () => {
        const lg = await load();
        const seen: number[] = [];
        assert.deepStrictEqual(await buildLoop(lg, 10)((count) => seen.push(count)), { chunks: 10, last: 10 });
        assert.deepStrictEqual(seen, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      });

      it("(b) the chain runs every node once", async () => {
        assert.equal(await buildChain(await load(), 7)(), 7);
      });

      it("(c) the fan-out runs every Send task and reduces all of them", async () => {
        assert.equal(await buildFanOut(await load(), 50)(), (50 * 49) / 2);
        assert.equal(await buildFanOut(await load(), 0)(), 0);
      });

      it("measureWorkload checks the result and reports µs per unit", async () => {
        const workload: Workload = { ...workloads[1]!, units: 5, build: (lg) => buildChain(lg, 5), expected: 5 };
        const result = await measureWorkload(await load(), workload, tiny);
        assert.equal(result.timing.samplesMs.length, 2);
        assert.ok(result.usPerUnit > 0);
        const wrong: Workload = { ...workload, expected: 6 };
        await assert.rejects(measureWorkload(await load(), wrong, tiny), /expected 6, got 5/);
      });
    });
  }

  it("the bare loops do the same work", async () => {
    assert.deepStrictEqual(await bareLoop(10), { chunks: 10, last: 10 });
    assert.equal(await bareChain(7), 7);
    assert.equal(await bareFanOut(50), (50 * 49) / 2);
    const result = await measureBare({ ...workloads[2]!, units: 50, bare: () => bareFanOut(50), expected: 1225 }, tiny);
    assert.ok(result.usPerUnit > 0);
  });

  it("median and timeRuns", async () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    let runs = 0;
    const timing = await timeRuns(async () => void runs++, { warmup: 2, minRepeats: 3, maxRepeats: 3, minTotalMs: 0 });
    assert.equal(runs, 5);
    assert.equal(timing.samplesMs.length, 3);
    assert.equal(timing.batch, 1);
    // A run far shorter than minBatchMs is repeated within each sample, and the sample is the per-run mean.
    const batched = await timeRuns(async () => undefined, { warmup: 1, minRepeats: 2, maxRepeats: 2, minTotalMs: 0, minBatchMs: 2 });
    assert.ok(batched.batch > 1, `batch ${batched.batch}`);
    assert.ok(batched.samplesMs.every((ms) => ms < 2));
  });

  it("fan-out linearity measures both sizes on Rill", async () => {
    const lg = (await loadRill()).lg;
    const result = await measureFanOutLinearity(lg, 20, 80, tiny);
    assert.equal(result.small.tasks, 20);
    assert.equal(result.large.tasks, 80);
    assert.ok(result.ratio > 0 && Number.isFinite(result.ratio));
  });

  it("the memory probe runs the loop in a child process and reports idle, peak and retained memory", async () => {
    const memory = await measurePeakMemory("rill", 200);
    assert.equal(memory.result.chunks, 200);
    assert.ok(memory.result.samples >= 8, `samples: ${memory.result.samples}`);
    assert.ok(memory.result.peak.rss >= memory.result.idle.rss);
    assert.ok(memory.result.peak.heapUsed >= memory.result.idle.heapUsed);
    assert.ok(Number.isFinite(memory.heapMb) && Number.isFinite(memory.rssMb));
  });
});
