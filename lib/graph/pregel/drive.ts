// Drivers of a loop: the synchronous one (streamSync) and the asynchronous one (stream/invoke).
// Both run the same phases; the async one awaits only what returned a promise, waits for the consumer
// when the buffer is full, stops promptly on cancellation, and yields to the event loop now and then
// so a long run of synchronous nodes cannot starve other work in the process (timers, sockets).
import { abortError } from "../errors";
import { executeTask } from "./execute";
import type { PregelLoop } from "./loop";

/** A run of synchronous steps gives the event loop a turn after this many milliseconds. */
const FAIR_SLICE_MS = 20;

function mustBeSync(value: unknown): void {
  if (value !== undefined) {
    (value as Promise<unknown>).then(undefined, () => {});
    throw new Error("streamSync can only run synchronous graphs (a checkpointer or path function returned a Promise); use stream() instead.");
  }
}

export function driveSync(loop: PregelLoop, input: unknown): void {
  mustBeSync(loop.begin(input));
  while (loop.nextStep()) {
    mustBeSync(loop.runTasks(executeTask));
    loop.commitStep();
  }
  mustBeSync(loop.finish());
}

function raceCancel<T>(loop: PregelLoop, pending: Promise<T>): Promise<T> {
  const run = loop.run;
  const signal = run.signal;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      if (run.cancelled) reject(abortError(signal));
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });
    pending.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export async function driveAsync(loop: PregelLoop, input: unknown): Promise<void> {
  const run = loop.run;
  const begun = loop.begin(input);
  if (begun !== undefined) await raceCancel(loop, begun);
  let sliceStart = performance.now();
  let steps = 0;
  while (loop.nextStep()) {
    const buffer = run.buffer;
    if (buffer !== null && buffer.full) {
      await buffer.waitForSpace(run.signal);
      sliceStart = performance.now();
    }
    if (run.cancelled) throw abortError(run.signal);
    const running = loop.runTasks(executeTask);
    if (running !== undefined) {
      // `stepTimeout` bounds the step's asynchronous part (a synchronous step cannot be interrupted).
      const timer = run.stepTimeout > 0 ? setTimeout(() => run.stepTimedOut(), run.stepTimeout) : undefined;
      try {
        await raceCancel(loop, running);
      } catch (error) {
        // Cancelled mid-step: the tasks that finished keep their writes with the checkpoint (as LangGraph.js
        // saves each task's writes when it finishes), so continuing the thread runs only the others.
        if (run.cancelled) await loop.keepFinishedWrites();
        throw error;
      } finally {
        if (timer !== undefined) clearTimeout(timer);
      }
      sliceStart = performance.now();
    }
    loop.commitStep();
    if ((++steps & 63) === 0 && performance.now() - sliceStart > FAIR_SLICE_MS) {
      await yieldToEventLoop();
      sliceStart = performance.now();
    }
  }
  const finished = loop.finish();
  if (finished !== undefined) await finished;
}
