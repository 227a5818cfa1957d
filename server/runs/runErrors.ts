// Errors the run manager throws for a caller's mistake or a limit. Each carries the tRPC error code it
// maps to, so the router turns them into TRPCErrors without a table, and tests can assert on the code.
// Messages name the field, the limit (with its environment variable) or the graph.

export type RunErrorCode =
  | "BAD_REQUEST"
  | "NOT_FOUND"
  | "CONFLICT"
  | "PRECONDITION_FAILED"
  | "PAYLOAD_TOO_LARGE"
  | "TOO_MANY_REQUESTS"
  | "SERVICE_UNAVAILABLE";

export class RunRequestError extends Error {
  override name = "RunRequestError";
  constructor(
    readonly code: RunErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** The message for a lastEventId that is not an event id of run `runId` (malformed, or another run's). */
export function notAnEventOfRunMessage(lastEventId: string, runId: string): string {
  return `lastEventId: "${lastEventId}" is not an event of run "${runId}" (expected "${runId}:<seq>")`;
}
