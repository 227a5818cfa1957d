// The asynchronous driver for runs given LangChain callbacks: the graph's chain run starts before the first
// step (with the hidden `__start__` input task LangGraph.js reports) and ends with the run's output, or
// with its error. Untraced runs never come here.
import { randomUUID } from "node:crypto";
import { RunTracing } from "../langchain/runTracing";
import type { RunConfig } from "../runConfig";
import { driveAsync } from "./drive";
import type { PregelLoop } from "./loop";
import { pickKeys } from "./pickKeys";

/**
 * Drives the run; resolves with what reports the graph run's end, to be called once the consumer took every
 * chunk (LangChain's event stream reports a chunk of the graph run only while that run is open).
 */
export async function driveTraced(loop: PregelLoop, input: unknown, config: RunConfig, graphName: string): Promise<() => Promise<void>> {
  const tracing = await RunTracing.start(config, graphName, input);
  loop.run.tracing = tracing;
  try {
    // LangGraph.js's entrypoint, plain Graph and Pregel have no __start__ task: the input triggers the first nodes.
    if (loop.plan.functional !== true && loop.plan.directInput !== true) await tracing.traceInput(input, config, randomUUID());
    await driveAsync(loop, input);
  } catch (error) {
    await tracing.fail(error);
    throw error;
  }
  const outputKeys = loop.plan.outputKeys;
  const state = loop.state as Record<string, unknown>;
  const valueKey = loop.plan.plainValueKey;
  const output = valueKey !== undefined ? state[valueKey] : outputKeys !== null ? pickKeys(state, outputKeys) : state;
  return () => tracing.end(output);
}

/** `stream`, whose end (done) waits until the graph run's end is reported (`end()` is set before the stream closes). */
export function endingWithTrace<S extends { next(): Promise<IteratorResult<unknown>> }>(stream: S, end: () => (() => Promise<void>) | undefined): S {
  const next = stream.next;
  stream.next = async () => {
    const result = await next();
    const report = result.done ? end() : undefined;
    if (report !== undefined) await report();
    return result;
  };
  return stream;
}
