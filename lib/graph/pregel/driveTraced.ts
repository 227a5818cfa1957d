// The asynchronous driver for runs given LangChain callbacks: the graph's chain run starts before the first
// step (with the hidden `__start__` input task LangGraph.js reports) and ends with the run's output, or
// with its error. Untraced runs never come here.
import { randomUUID } from "node:crypto";
import { RunTracing } from "../langchain/runTracing";
import type { RunConfig } from "../runConfig";
import { driveAsync } from "./drive";
import { pickKeys, type PregelLoop } from "./loop";

export async function driveTraced(loop: PregelLoop, input: unknown, config: RunConfig, graphName: string): Promise<void> {
  const tracing = await RunTracing.start(config, graphName, input);
  loop.run.tracing = tracing;
  try {
    await tracing.traceInput(input, config, randomUUID());
    await driveAsync(loop, input);
  } catch (error) {
    await tracing.fail(error);
    throw error;
  }
  const outputKeys = loop.plan.outputKeys;
  const state = loop.state as Record<string, unknown>;
  await tracing.end(outputKeys !== null ? pickKeys(state, outputKeys) : state);
}
