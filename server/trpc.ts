// tRPC's building blocks for this server: the context every procedure gets, and the mapping from the
// run manager's errors to TRPCErrors.
import { databaseUnavailableMessage, isDatabaseUnavailable } from "./runs/databaseUnavailable";
import { initTRPC, TRPCError } from "@trpc/server";
import type { AuthFailure } from "./auth/authHandler";
import { batchTooLargeMessage, tooManyCallsMessage, type ConnectionBudget } from "./connectionBudget";
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
  /** One per WebSocket connection, one per HTTP request: (anonymous clients' unit of the per-client run limits). */
  connectionId: string;
  /** The WebSocket a subscription streams to (null over HTTP): pacing watches its unsent bytes. */
  socket: SubscriberSocket | null;
  /** This connection's calls a second and concurrent replays (one per WebSocket, one per HTTP keep-alive socket). */
  budget: ConnectionBudget;
  /**
   * In a deployment (server/cluster/), this process's RILL_INSTANCE_ID: a SERVICE_UNAVAILABLE answer names it,
   * so that an operator behind a load balancer knows which process could not serve.
   */
  instance?: string;
}

/**
 * The client a call counts against for the per-client run limits (RILL_MAX_RUNS_PER_CLIENT,
 * RILL_MAX_INTERRUPTED_RUNS_PER_CLIENT, RILL_RESERVED_RUNS). The one place that decides it: the
 * authenticated identity when there is one (so an identity's counts survive reconnecting), else the
 * connection. An anonymous client that reconnects is a new client; what bounds anonymous clients
 * together is the server-wide limits (RILL_MAX_RUNS and the interrupted-run pool).
 */
export function clientKeyOf(ctx: Pick<RillContext, "identity" | "connectionId">): string {
  return ctx.identity !== null ? `identity:${ctx.identity}` : ctx.connectionId;
}

const BATCH_TOO_LARGE = "Batch call exceeds maximum size";

export const t = initTRPC.context<RillContext>().create({
  // No server stack traces in error replies, whatever NODE_ENV says: they tell clients the server's
  // paths, and building them made each refused call cost several times more (a flood of refusals).
  isDev: false,
  // tRPC's own message for a batch over maxBatchSize names no limit: say which, and its value.
  errorFormatter: ({ shape, error, ctx }) => {
    if (error.message === BATCH_TOO_LARGE) return { ...shape, message: batchTooLargeMessage(ctx?.budget.limits.maxBatchSize) };
    if (error.code === "SERVICE_UNAVAILABLE" && ctx?.instance !== undefined) return { ...shape, message: `${shape.message} (instance ${ctx.instance})` };
    return shape;
  },
});

/**
 * Every procedure goes through this. A wrong token is answered per request (the client sees a clear
 * error on the call it made) rather than by refusing the connection, which wsLink would retry forever.
 */
export const procedure = t.procedure.use(({ ctx, next }) => {
  if (ctx.authFailure) throw new TRPCError({ code: ctx.authFailure.code, message: ctx.authFailure.message });
  if (!ctx.budget.takeCall()) throw new TRPCError({ code: "TOO_MANY_REQUESTS", message: tooManyCallsMessage(ctx.budget.limits) });
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
  if (isDatabaseUnavailable(error)) return new TRPCError({ code: "SERVICE_UNAVAILABLE", message: databaseUnavailableMessage(error as Error), cause: error });
  return error;
}
