// What a deployment's run store (server/cluster/) refuses with: a run whose lease another process took
// (fencing), a new run past the deployment-wide RILL_MAX_RUNS, a new run on a thread busy elsewhere.

/** What createQueued rejects with when the deployment's running and queued runs were at its limit. */
export class NotAdmittedError extends Error {
  override name = "NotAdmittedError";
  constructor(
    readonly runId: string,
    readonly count: number,
    readonly limit: number,
  ) {
    super(`run "${runId}" was not queued: ${count} runs are running or queued in the deployment, its limit (RILL_MAX_RUNS=${limit})`);
  }
}

/** What a new run is refused with when its thread has a run going on another process of the deployment. */
export class ThreadBusyError extends Error {
  override name = "ThreadBusyError";
  constructor(
    readonly runId: string,
    readonly threadId: string,
    readonly busyWith: string,
  ) {
    super(`thread "${threadId}" is busy with run "${busyWith}" (on another process of the deployment)`);
  }
}

/** What a run's appends reject with once a commit refused its writes: another process holds its lease now. */
export class LeaseLostError extends Error {
  override name = "LeaseLostError";
  constructor(readonly runId: string) {
    super(`run "${runId}": another process of the deployment holds its lease now (this one's expired): its events were refused, and it stops here`);
  }
}
