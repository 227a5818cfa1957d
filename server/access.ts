// Who may talk to this server: an optional shared secret (RILL_TOKEN) and, for browsers, an Origin check
// (a page on another site must not drive runs on your key through your browser).
import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";

export interface AccessPolicy {
  token: string | undefined;
  /** Undefined: same origin only. */
  allowedOrigins: string[] | "*" | undefined;
}

export function tokenMatches(expected: string | undefined, provided: unknown): boolean {
  if (expected === undefined) return true;
  if (typeof provided !== "string") return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(provided);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  const match = header ? /^Bearer\s+(.+)$/i.exec(header) : null;
  return match ? match[1]!.trim() : undefined;
}

/** Null when the request may proceed, else why not. Requests without an Origin header (not browsers) pass. */
export function originRejection(req: IncomingMessage, policy: AccessPolicy): string | null {
  const origin = req.headers.origin;
  if (origin === undefined || policy.allowedOrigins === "*") return null;
  if (policy.allowedOrigins) {
    return policy.allowedOrigins.includes(origin)
      ? null
      : `origin ${origin} is not in RILL_ALLOWED_ORIGINS`;
  }
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    return `origin "${origin}" is not a valid origin`;
  }
  return host === req.headers.host
    ? null
    : `origin ${origin} is not this server's (${req.headers.host ?? "no Host header"}); set RILL_ALLOWED_ORIGINS to allow it`;
}
