// tRPC's building blocks for this server: the context every procedure gets, and the mapping from the
// run manager's errors to TRPCErrors.
import { initTRPC, TRPCError } from "@trpc/server";
import { RunRequestError } from "./runs/runErrors";
import { EventsEvictedError, RunNotFoundError } from "./runs/runStore";
import type { SubscriberSocket } from "./runs/subscriberPacing";

export interface RillContext {
  /** False when RILL_TOKEN is set and the client did not send it: every procedure then answers UNAUTHORIZED. */
  authorized: boolean;
  /** One per WebSocket connection, one per HTTP request: the unit of RILL_MAX_RUNS_PER_CONNECTION. */
  connectionId: string;
  /** The WebSocket a subscription streams to (null over HTTP): pacing watches its unsent bytes. */
  socket: SubscriberSocket | null;
}

export const t = initTRPC.context<RillContext>().create();

export const UNAUTHORIZED_MESSAGE =
  "this server requires RILL_TOKEN: send it as connectionParams { token } (WebSocket) or Authorization: Bearer <token> (HTTP)";

/**
 * Every procedure goes through this. A wrong token is answered per request (the client sees a clear
 * error on the call it made) rather than by refusing the connection, which wsLink would retry forever.
 */
export const procedure = t.procedure.use(({ ctx, next }) => {
  if (!ctx.authorized) throw new TRPCError({ code: "UNAUTHORIZED", message: UNAUTHORIZED_MESSAGE });
  return next();
});

/** Rethrows what the run manager or store threw as the TRPCError clients should see. */
export function asTRPCError(error: unknown): unknown {
  if (error instanceof TRPCError) return error;
  if (error instanceof RunRequestError) return new TRPCError({ code: error.code, message: error.message, cause: error });
  if (error instanceof RunNotFoundError) return new TRPCError({ code: "NOT_FOUND", message: error.message, cause: error });
  if (error instanceof EventsEvictedError) {
    return new TRPCError({ code: "PRECONDITION_FAILED", message: error.message, cause: error });
  }
  return error;
}
