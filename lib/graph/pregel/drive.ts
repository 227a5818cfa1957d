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

/**
 * Races what a step awaits against the run's cancellation: the awaited promise rejects with the abort error
 * as soon as the run is cancelled. One abort listener serves the whole drive (adding and removing one per
 * step costs more than a small step's engine work); `dispose` removes it.
 */
class CancelRace {
  private rejectCurrent: ((error: unknown) => void) | null = null;
  private listening = false;

  constructor(private readonly loop: PregelLoop) {}

  private readonly onAbort = (): void => {
    const run = this.loop.run;
    if (run.cancelled && this.rejectCurrent !== null) this.rejectCurrent(abortError(run.signal));
  };

  race<T>(pending: Promise<T>): Promise<T> {
    const signal = this.loop.run.signal;
    if (!this.listening && !signal.aborted) {
      signal.addEventListener("abort", this.onAbort, { once: true });
      this.listening = true;
    }
    return new Promise<T>((resolve, reject) => {
      this.rejectCurrent = reject;
      if (signal.aborted) this.onAbort();
      pending.then(
        (value) => {
          if (this.rejectCurrent === reject) this.rejectCurrent = null;
          resolve(value);
        },
        (error) => {
          if (this.rejectCurrent === reject) this.rejectCurrent = null;
          reject(error);
        },
      );
    });
  }

  dispose(): void {
    if (this.listening) this.loop.run.signal.removeEventListener("abort", this.onAbort);
    this.listening = false;
  }
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export async function driveAsync(loop: PregelLoop, input: unknown): Promise<void> {
  const cancel = new CancelRace(loop);
  try {
    await driveSteps(loop, input, cancel);
  } catch (error) {
    // A failed run's writes (its failed tasks' errors, the finished tasks' writes) reach the saver before
    // the run rejects, as LangGraph.js awaits them: a saver written in the background is waited for.
    await settleWrites(loop);
    throw error;
  } finally {
    cancel.dispose();
  }
}

async function settleWrites(loop: PregelLoop): Promise<void> {
  try {
    await loop.store?.flush();
  } catch {
    // the run's own error is the one reported
  }
}

async function driveSteps(loop: PregelLoop, input: unknown, cancel: CancelRace): Promise<void> {
  const run = loop.run;
  const begun = loop.begin(input);
  if (begun !== undefined) await cancel.race(begun);
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
        await cancel.race(running);
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
    // durability "sync": the step's checkpoint and writes reach the saver before the next step starts.
    if (run.durability === "sync") {
      const saved = loop.store?.flush();
      if (saved !== undefined) await saved;
    }
    // A durable saver writing behind the run holds a bounded backlog: past it, the run waits for the saver.
    const behind = loop.store?.backpressure();
    if (behind !== undefined) {
      await cancel.race(behind);
      sliceStart = performance.now();
    }
    if ((++steps & 63) === 0 && performance.now() - sliceStart > FAIR_SLICE_MS) {
      await yieldToEventLoop();
      sliceStart = performance.now();
    }
  }
  const finished = loop.finish();
  if (finished !== undefined) await finished;
}
