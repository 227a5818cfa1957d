// tRPC's building blocks for this server: the context every procedure gets, and the mapping from the
// run manager's errors to TRPCErrors.
import { initTRPC, TRPCError } from "@trpc/server";
import type { AuthFailure } from "./auth/authHandler";
import { RunRequestError } from "./runs/runErrors";
import { EventsEvictedError, RunNotFoundError } from "./runs/runStore";
import type { SubscriberSocket } from "./runs/subscriberPacing";

export interface RillContext {
  /**
   * Who the client is (RILL_TOKEN's token name, or the identity the auth module gave): runs it starts are
   * its own, and it sees only those. Null when the server has no auth: every client sees every run.
   */
  identity: string | null;
  /** Set when the server has auth and the client failed it: every procedure then answers with it. */
  authFailure: AuthFailure | null;
  /** One per WebSocket connection, one per HTTP request: the unit of RILL_MAX_RUNS_PER_CONNECTION. */
  connectionId: string;
  /** The WebSocket a subscription streams to (null over HTTP): pacing watches its unsent bytes. */
  socket: SubscriberSocket | null;
}

export const t = initTRPC.context<RillContext>().create();

/**
 * Every procedure goes through this. A wrong token is answered per request (the client sees a clear
 * error on the call it made) rather than by refusing the connection, which wsLink would retry forever.
 */
export const procedure = t.procedure.use(({ ctx, next }) => {
  if (ctx.authFailure) throw new TRPCError({ code: ctx.authFailure.code, message: ctx.authFailure.message });
  return next();
});

/**
 * The client that per-client limits count for: its identity when the server has auth (so reconnecting
 * does not reset its count), else its connection.
 */
export function clientKeyOf(ctx: Pick<RillContext, "identity" | "connectionId">): string {
  return ctx.identity !== null ? `identity:${ctx.identity}` : ctx.connectionId;
}

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
