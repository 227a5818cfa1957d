// What a case records: the chunks a stream yields (and what it threw), or a returned value (and what
// was thrown). The differential test compares these, normalized, between LangGraph.js and Rill.

export interface ThrownError {
  constructor: string;
  name: string;
  message: string;
}

export type Outcome = (
  | { kind: "stream"; chunks: unknown[]; error: ThrownError | null; project?: Projection }
  | { kind: "value"; value: unknown; error: ThrownError | null }
) & { knownDifference?: KnownDifference };

/**
 * Where Rill deliberately does not reproduce LangGraph.js (a LangGraph.js bug, not behaviour users rely on):
 * `rillExpectation` turns LangGraph.js's outcome into what Rill must produce, and throws if LangGraph.js no
 * longer behaves as described (so a fixed upstream bug makes the test say so).
 */
export interface KnownDifference {
  reason: string;
  rillExpectation(langgraph: Outcome): Outcome;
}

/** Maps a stream's chunks to what is compared, where the two libraries differ on purpose (see messageProjection.ts). */
export type Projection = (chunks: unknown[]) => unknown[];

export type Recording = Map<string, Outcome>;

export function describeError(error: unknown): ThrownError {
  if (error instanceof Error) return { constructor: error.constructor.name, name: error.name, message: error.message };
  return { constructor: typeof error, name: "", message: String(error) };
}

/** Drains a stream as users write it (`for await (const c of await graph.stream(...))`). */
export async function drain(makeStream: () => Promise<AsyncIterable<unknown>> | AsyncIterable<unknown>): Promise<Outcome> {
  const chunks: unknown[] = [];
  try {
    for await (const chunk of await makeStream()) chunks.push(chunk);
  } catch (error) {
    return { kind: "stream", chunks, error: describeError(error) };
  }
  return { kind: "stream", chunks, error: null };
}

export async function settle(run: () => Promise<unknown> | unknown): Promise<Outcome> {
  try {
    return { kind: "value", value: await run(), error: null };
  } catch (error) {
    return { kind: "value", value: undefined, error: describeError(error) };
  }
}

/** Collects a case's outcomes under names; `stream()` and `value()` never throw, so one failure hides nothing else. */
export class Recorder {
  readonly recording: Recording = new Map();

  async stream(
    name: string,
    makeStream: () => Promise<AsyncIterable<unknown>> | AsyncIterable<unknown>,
    project?: Projection,
    knownDifference?: KnownDifference,
  ): Promise<Outcome> {
    const outcome = await drain(makeStream);
    if (project && outcome.kind === "stream") outcome.project = project;
    if (knownDifference) outcome.knownDifference = knownDifference;
    this.put(name, outcome);
    return outcome;
  }

  async value(name: string, run: () => Promise<unknown> | unknown): Promise<Outcome> {
    const outcome = await settle(run);
    this.put(name, outcome);
    return outcome;
  }

  private put(name: string, outcome: Outcome): void {
    if (this.recording.has(name)) throw new Error(`duplicate recording name ${name}`);
    this.recording.set(name, outcome);
  }
}
