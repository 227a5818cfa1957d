// A run record is a projection of its log: status, interrupts, reason, error and endedAt are what the
// run's ["status", …] and ["error", …] events say. Every store applies appended events through this
// one function (a durable store also when it rebuilds a record), so no caller writes status twice.
// Only those two kinds are parsed; every other event costs one prefix comparison.
import type { Interrupt, TaskError } from "../../lib/graph/types";
import { isTerminalStatus } from "../../lib/run/runStatus";
import type { RunStatusEvent } from "./runEvent";
import type { RunRecord } from "./runStore";

const STATUS_PREFIX = '["status",';
const ERROR_PREFIX = '["error",';

/** What an event changes in its run's record: "status", "error", or null for every other event. */
export function projectedKind(json: string): "status" | "error" | null {
  if (json.startsWith(STATUS_PREFIX)) return "status";
  if (json.startsWith(ERROR_PREFIX)) return "error";
  return null;
}

/**
 * Applies one appended event to `record` (already numbered: lastSeq is set by the store); returns true
 * when the event ended the run. `now` is when it was appended (epoch ms).
 */
export function applyToRecord(record: RunRecord, json: string, now: number): boolean {
  const kind = projectedKind(json);
  if (kind === null) return false;
  if (kind === "error") {
    record.error = (JSON.parse(json) as ["error", TaskError])[1];
    return false;
  }
  const change = (JSON.parse(json) as ["status", RunStatusEvent])[1];
  record.status = change.status;
  record.updatedAt = now;
  if (change.status === "interrupted") record.interrupts = (change.interrupts ?? []) as Interrupt[];
  else delete record.interrupts;
  if (change.reason !== undefined) record.reason = change.reason;
  if (!isTerminalStatus(change.status)) return false;
  record.endedAt ??= now;
  return true;
}
