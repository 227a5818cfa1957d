import { agentSteps, bareAgentLoop, buildAgentLoop } from "./bench/agentWorkload";
import { timeRuns } from "./bench/medianTimer";
import { RILL_TIMING } from "./bench/engine";
await import("@langchain/langgraph");
const rl = await import("./lib/graph/index"); const rpb = await import("./lib/graph/prebuilt/index");
const run = buildAgentLoop(rl as any, rpb as any, 20);
for (let i = 0; i < 3; i++) {
  const a = await timeRuns(run, RILL_TIMING); const b = await timeRuns(() => bareAgentLoop(20), RILL_TIMING);
  console.log("rill", (a.medianMs * 1000 / 39).toFixed(1), "bare", (b.medianMs * 1000 / 39).toFixed(1));
}
