// Who may see a run: with auth, only the identity that started it; without auth (identity null), anyone.
// A run someone may not see is answered exactly as a run that does not exist, so its id, status or
// existence never leaks to another identity.
import { RunNotFoundError, type RunRecord } from "../runs/runStore";

export function isVisibleTo(record: RunRecord, identity: string | null): boolean {
  return identity === null || record.owner === identity;
}

/** The run, when `identity` may see it; else throws the RunNotFoundError an unknown id gets. */
export function requireVisibleRun(record: RunRecord | undefined, runId: string, identity: string | null): RunRecord {
  if (!record || !isVisibleTo(record, identity)) throw new RunNotFoundError(runId);
  return record;
}
