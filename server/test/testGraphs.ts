// Graphs only the tests and benchmarks register (through createRillServer's `extraGraphs`): long runs
// with many events, so that disconnects, slow readers and cancels land in the middle of something.
import { z } from "zod";
import { Annotation, END, START, StateGraph } from "../../lib/graph";
import type { GraphDefinition } from "../../graphs/graphDefinition";

const TickerState = Annotation.Root({
  count: Annotation<number>(),
  every: Annotation<number>(),
  delayMs: Annotation<number>(),
  payload: Annotation<number>(),
  stamp: Annotation<boolean>(),
  emitted: Annotation<number>(),
});

function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = ms > 0 ? setTimeout(done, ms) : null;
    if (!timer) setImmediate(done);
    function done() {
      if (timer) clearTimeout(timer);
      signal?.removeEventListener("abort", aborted);
      resolve();
    }
    function aborted() {
      if (timer) clearTimeout(timer);
      reject(signal?.reason);
    }
    signal?.addEventListener("abort", aborted, { once: true });
  });
}

const tickerInput = z.strictObject({
  count: z.number().int().min(1).max(1_000_000),
  /** Pause after every `every` events... */
  every: z.number().int().min(1).default(10),
  /** ...for this long (0 = one event-loop turn). */
  delayMs: z.number().min(0).default(0),
  /** Extra characters per event. */
  payload: z.number().int().min(0).default(0),
  /** Stamp each event with its emit time (performance.timeOrigin + performance.now()). */
  stamp: z.boolean().default(false),
});

/** One node writing `count` custom events `{ n, at?, pad? }`, pausing now and then; then an update. */
export const tickerGraph: GraphDefinition<typeof tickerInput> = {
  id: "ticker",
  title: "Ticker (test)",
  description: "Writes `count` custom events from one node, pausing every `every` events.",
  input: tickerInput,
  exampleInput: { count: 100 },
  build() {
    return new StateGraph(TickerState)
      .addNode("tick", async (state, config) => {
        const pad = state.payload > 0 ? "x".repeat(state.payload) : undefined;
        for (let n = 1; n <= state.count; n++) {
          config.writer?.({
            n,
            ...(state.stamp ? { at: performance.timeOrigin + performance.now() } : {}),
            ...(pad ? { pad } : {}),
          });
          if (n % state.every === 0 && n < state.count) await pause(state.delayMs, config.signal);
        }
        return { emitted: state.count };
      })
      .addEdge(START, "tick")
      .addEdge("tick", END)
      .compile();
  },
};
