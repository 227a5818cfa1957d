// Smoke test of the engine benchmark's (d): the createReactAgent loop computes the same conversation on
// LangGraph.js and on Rill, and the bare loop does the same model and tool calls. No timing is asserted.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { agentSteps, bareAgentLoop, buildAgentLoop } from "./agentWorkload";
import { measureInterleaved, workloads, type Workload } from "./engine";

describe("engine benchmark (d): createReactAgent loop", () => {
  it("runs 2 * turns - 1 steps on both libraries, leaving the same number of messages", async () => {
    const sides = [
      [await import("@langchain/langgraph"), await import("@langchain/langgraph/prebuilt")],
      [await import("../lib/graph/index"), await import("../lib/graph/prebuilt/index")],
    ] as const;
    for (const [lg, prebuilt] of sides) assert.equal(await buildAgentLoop(lg as never, prebuilt as never, 4)(), 8);
    assert.equal(await bareAgentLoop(4), 8);
    assert.equal(agentSteps(4), 7);
  });

  it("is listed with the other workloads", () => {
    const d = workloads.find((w) => w.key === "d")!;
    assert.equal(d.unit, "step");
    assert.equal(d.expected, (d.units + 1));
  });

  it("measureInterleaved samples Rill, the bare loop and LangGraph.js in turns and reports µs per step", async () => {
    const d = workloads.find((w) => w.key === "d")!;
    const tiny: Workload = { ...d, units: agentSteps(3), build: (lg, prebuilt) => buildAgentLoop(lg, prebuilt, 3), expected: 6, bare: () => bareAgentLoop(3) };
    const rill = { lg: (await import("../lib/graph/index")) as never, prebuilt: (await import("../lib/graph/prebuilt/index")) as never };
    const langgraph = { lg: (await import("@langchain/langgraph")) as never, prebuilt: (await import("@langchain/langgraph/prebuilt")) as never };
    const result = await measureInterleaved(tiny, rill, langgraph, 2, 0);
    for (const side of [result.rill, result.bare, result.langgraph]) {
      assert.equal(side.timing.samplesMs.length, 2);
      assert.ok(side.usPerUnit > 0 && Number.isFinite(side.usPerUnit));
    }
  });
});
