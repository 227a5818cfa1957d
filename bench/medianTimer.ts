// Timing for the benchmarks: warm up, then repeat a run and keep every sample; report the median,
// which one slow sample (a GC, another process on this shared 2-core machine) does not move.

export interface TimingOptions {
  /** Runs before measuring, to let the JIT compile the hot paths. */
  warmup: number;
  /** At least this many measured runs. */
  minRepeats: number;
  /** At most this many measured runs. */
  maxRepeats: number;
  /** Keep repeating (up to maxRepeats) until the measured runs took this long in total. */
  minTotalMs: number;
}

export interface Timing {
  samplesMs: number[];
  medianMs: number;
}

export function median(values: number[]): number {
  if (values.length === 0) throw new Error("median of no values");
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export async function timeRuns(run: () => Promise<unknown>, options: TimingOptions): Promise<Timing> {
  for (let i = 0; i < options.warmup; i++) await run();
  const samplesMs: number[] = [];
  let total = 0;
  while (samplesMs.length < options.minRepeats || (total < options.minTotalMs && samplesMs.length < options.maxRepeats)) {
    const start = performance.now();
    await run();
    const elapsed = performance.now() - start;
    samplesMs.push(elapsed);
    total += elapsed;
  }
  return { samplesMs, medianMs: median(samplesMs) };
}
