// Cooperative draining (LangGraph.js's RunControl): `requestDrain()` lets the running step finish,
// saves its checkpoint, and stops the run at the next superstep boundary with GraphDrained. Running
// work is not cancelled (abort `config.signal` for that). Pass one as `config.control`; nodes find the
// run's as `config.control` (a fresh one when the caller passed none).

export class RunControl {
  #drainReason: string | undefined = undefined;

  /** Ask the run to stop at the next superstep boundary. */
  requestDrain(reason = "shutdown"): void {
    this.#drainReason = reason;
  }

  get drainRequested(): boolean {
    return this.#drainReason !== undefined;
  }

  get drainReason(): string | undefined {
    return this.#drainReason;
  }
}
