// A run's statuses and which of them are final. Shared by the run server and the browser: no dependencies.

/** Every status a run can have, in the order a run may pass through them. */
export const RUN_STATUSES = ["running", "interrupted", "done", "error", "cancelled"] as const;

export type RunStatus = (typeof RUN_STATUSES)[number];

/** The statuses a run never leaves: its log is complete. */
export const TERMINAL_STATUSES: ReadonlySet<RunStatus> = new Set<RunStatus>(["done", "error", "cancelled"]);

/** True for a status the run never leaves; false for any other string (the app's own "idle", "connecting"). */
export function isTerminalStatus(status: string): boolean {
  return (TERMINAL_STATUSES as ReadonlySet<string>).has(status);
}
