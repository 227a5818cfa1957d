import type { Side } from "./graphLibrary";
import type { Recorder } from "./record";

/** One graph (or a few) exercised the way users write it; `run` records every stream and result by name. */
export interface DifferentialCase {
  name: string;
  run(side: Side, recorder: Recorder): Promise<void>;
}
