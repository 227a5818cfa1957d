// Who may use the offline model's /v1 routes on the run server: the same Origin check as tRPC (403) and,
// when the server has auth (RILL_TOKEN or a LangGraph auth module), the same identity check: the token as
// the bearer API key, or whatever the auth module reads from the request (401/403 in OpenAI's error shape,
// which the openai client throws as an AuthenticationError / PermissionDeniedError). The process's own
// models send `ownModelKey` instead, a secret that never leaves the process: it passes the check and is not
// counted against RILL_OFFLINE_MAX_STREAMS (the runs making those calls are bounded by RILL_MAX_RUNS).
import type { IncomingMessage } from "node:http";
import type { OfflineModelOptions, OfflineRefusal } from "../lib/llm";
import { bearerToken, originRejection, tokenMatches, type AccessPolicy } from "./access";
import type { AuthHandler, AuthOutcome } from "./auth/authHandler";

type Access = Required<Pick<OfflineModelOptions, "authorize" | "unlimited">>;

export function offlineModelAccess(access: AccessPolicy, ownModelKey: string, auth: AuthHandler | null): Access {
  return {
    unlimited: (req) => tokenMatches(ownModelKey, bearerToken(req)),
    authorize: (req) => {
      const rejection = originRejection(req, access);
      if (rejection) return { status: 403, message: rejection, code: "origin_not_allowed" };
      if (auth === null || tokenMatches(ownModelKey, bearerToken(req))) return undefined;
      const outcome = auth.identify({ req, connectionParams: null });
      return outcome instanceof Promise
        ? outcome.then((answer) => refusalOf(answer, req, auth), () => ({ status: 500, message: `The auth handler (${auth.source}) failed.`, code: "auth_failed" }))
        : refusalOf(outcome, req, auth);
    },
  };
}

function refusalOf(outcome: AuthOutcome, req: IncomingMessage, auth: AuthHandler): OfflineRefusal | undefined {
  if (!outcome.failure) return undefined;
  const status = outcome.failure.code === "FORBIDDEN" ? 403 : outcome.failure.code === "UNAUTHORIZED" ? 401 : outcome.failure.code === "INTERNAL_SERVER_ERROR" ? 500 : 400;
  if (status !== 401 || auth.source !== "RILL_TOKEN") return { status, message: outcome.failure.message, code: status === 401 ? "invalid_api_key" : status === 403 ? "forbidden" : "auth_failed" };
  const message =
    bearerToken(req) === undefined
      ? "This server requires its token (RILL_TOKEN) as an API key: send Authorization: Bearer <token>."
      : "Incorrect API key provided: this server's /v1 takes its token (RILL_TOKEN) as the key.";
  return { status, message, code: "invalid_api_key" };
}
