import type { DifferentialCase } from "./differentialCase";
import type { Side } from "./graphLibrary";
import { normalize } from "./normalize";
import { Recorder, type Outcome } from "./record";

export async function runCase(testCase: DifferentialCase, side: Side): Promise<Map<string, Outcome>> {
  const recorder = new Recorder();
  await testCase.run(side, recorder);
  return recorder.recording;
}

/** What is compared for one outcome: ids and timestamps normalized, intentional differences projected away. */
export function comparable(outcome: Outcome): unknown {
  if (outcome.kind === "stream") {
    const chunks = outcome.project ? outcome.project(outcome.chunks) : outcome.chunks;
    return normalize({ chunks, error: outcome.error });
  }
  return normalize({ value: outcome.value, error: outcome.error });
}
