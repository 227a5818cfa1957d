// Who a client is. An auth handler maps a request (an HTTP call, or a WebSocket's upgrade request with
// the connectionParams its client sent) to an identity, or to why it may not proceed. The server has at
// most one: RILL_TOKEN's tokens (tokenAuth.ts) or a LangGraph custom-auth module (langGraphAuth.ts).
// With none, every client is anonymous (identity null) and nothing is owned.
import type { IncomingMessage } from "node:http";

export interface AuthSource {
  req: IncomingMessage;
  /** What a WebSocket client sent as connectionParams; null over HTTP. */
  connectionParams: Record<string, unknown> | null;
}

/** Why a client may not proceed: the tRPC code it gets and a message telling it what to send. */
export interface AuthFailure {
  code: "UNAUTHORIZED" | "FORBIDDEN" | "BAD_REQUEST" | "TOO_MANY_REQUESTS" | "INTERNAL_SERVER_ERROR";
  message: string;
}

export type AuthOutcome = { identity: string; failure?: undefined } | { identity?: undefined; failure: AuthFailure };

export interface AuthHandler {
  /** Says where the identities come from, for logs and system.info: "RILL_TOKEN" or the module's path. */
  readonly source: string;
  /** Said once in the log when the server starts (what of the handler Rill does not use). */
  readonly warnings?: readonly string[];
  identify(source: AuthSource): AuthOutcome | Promise<AuthOutcome>;
}

/** The tRPC code for an HTTP status an auth handler rejected with (LangGraph's HTTPException carries one). */
export function failureCodeOf(status: number): AuthFailure["code"] {
  if (status === 403) return "FORBIDDEN";
  if (status === 400) return "BAD_REQUEST";
  if (status === 429) return "TOO_MANY_REQUESTS";
  if (status >= 500) return "INTERNAL_SERVER_ERROR";
  return "UNAUTHORIZED";
}
