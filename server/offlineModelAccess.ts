// Who may use the offline model's /v1 routes on the run server: the same Origin check as tRPC (403) and,
// when RILL_TOKEN is set, the token as the bearer API key (401 in OpenAI's error shape, which the openai
// client throws as an AuthenticationError). The process's own models send `ownModelKey` instead, a secret
// that never leaves the process: it passes the token check and is not counted against
// RILL_OFFLINE_MAX_STREAMS (the runs making those calls are bounded by RILL_MAX_RUNS).
import type { OfflineModelOptions } from "../lib/llm";
import { bearerToken, originRejection, tokenMatches, type AccessPolicy } from "./access";

export function offlineModelAccess(access: AccessPolicy, ownModelKey: string): Required<Pick<OfflineModelOptions, "authorize" | "unlimited">> {
  return {
    unlimited: (req) => tokenMatches(ownModelKey, bearerToken(req)),
    authorize: (req) => {
      const rejection = originRejection(req, access);
      if (rejection) return { status: 403, message: rejection, code: "origin_not_allowed" };
      const key = bearerToken(req);
      if (tokenMatches(access.token, key) || tokenMatches(ownModelKey, key)) return undefined;
      const message =
        key === undefined
          ? "This server requires its token (RILL_TOKEN) as an API key: send Authorization: Bearer <token>."
          : "Incorrect API key provided: this server's /v1 takes its token (RILL_TOKEN) as the key.";
      return { status: 401, message, code: "invalid_api_key" };
    },
  };
}
