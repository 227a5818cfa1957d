// Timing for the benchmarks: warm up, then repeat and report the median sample, which one slow sample
// (another process on this shared 2-core machine) does not move.
//
// A sample is the mean time of a batch of consecutive runs lasting at least `minBatchMs`. Runs shorter
// than a garbage collection cycle would otherwise let the median skip the collections entirely for a
// small workload and catch them for a larger one: a batch spreads each run's share of GC into its time.

export interface TimingOptions {
  /** Runs before measuring, to let the JIT compile the hot paths. */
  warmup: number;
  /** Keep warming up until this much time has passed too (a fresh process needs a few hundred ms). Default 0. */
  minWarmupMs?: number;
  /** At least this many samples. */
  minRepeats: number;
  /** At most this many samples. */
  maxRepeats: number;
  /** Keep sampling (up to maxRepeats) until the samples took this long in total. */
  minTotalMs: number;
  /** Each sample averages as many runs as fit in this time (at least one). Default 0: one run per sample. */
  minBatchMs?: number;
}

export interface Timing {
  /** Per-run time of each sample, in ms. */
  samplesMs: number[];
  medianMs: number;
  /** Runs averaged in each sample. */
  batch: number;
}

export function median(values: number[]): number {
  if (values.length === 0) throw new Error("median of no values");
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export async function timeRuns(run: () => Promise<unknown>, options: TimingOptions): Promise<Timing> {
  const batch = await warmUp(run, options);
  const samplesMs: number[] = [];
  let total = 0;
  while (samplesMs.length < options.minRepeats || (total < options.minTotalMs && samplesMs.length < options.maxRepeats)) {
    const perRun = await sampleBatch(run, batch);
    samplesMs.push(perRun);
    total += perRun * batch;
  }
  return { samplesMs, medianMs: median(samplesMs), batch };
}

/** Runs the warm-up and returns the batch size: runs per sample, from the fastest warm-up run. */
export async function warmUp(
  run: () => Promise<unknown>,
  options: Pick<TimingOptions, "warmup" | "minWarmupMs" | "minBatchMs">,
): Promise<number> {
  let fastest = Number.POSITIVE_INFINITY;
  const began = performance.now();
  for (let i = 0; i < Math.max(1, options.warmup) || performance.now() - began < (options.minWarmupMs ?? 0); i++) {
    const start = performance.now();
    await run();
    fastest = Math.min(fastest, performance.now() - start);
  }
  const minBatchMs = options.minBatchMs ?? 0;
  return minBatchMs > 0 ? Math.max(1, Math.ceil(minBatchMs / Math.max(fastest, 0.001))) : 1;
}

/** Mean time per run of `batch` consecutive runs, in ms. */
export async function sampleBatch(run: () => Promise<unknown>, batch: number): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < batch; i++) await run();
  return (performance.now() - start) / batch;
}
