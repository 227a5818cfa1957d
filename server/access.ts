// Who may talk to this server: optional tokens (RILL_TOKEN, see auth/tokenAuth.ts) and, for browsers, an
// Origin check (a page on another site must not drive runs on your key through your browser) and a Host
// check (a page on another site must not reach a loopback server through DNS rebinding).
import type { IncomingMessage } from "node:http";
import { bearerTokenOf, identityForToken, parseTokens, type NamedToken } from "./auth/tokenAuth";

export interface AccessPolicy {
  token: string | undefined;
  /** Undefined: same origin only. */
  allowedOrigins: string[] | "*" | undefined;
}

let parsedTokens: { spec: string; tokens: NamedToken[] } | null = null;

/** True when `provided` is one of RILL_TOKEN's tokens (`expected` is RILL_TOKEN as configured), or no token is configured. */
export function tokenMatches(expected: string | undefined, provided: unknown): boolean {
  if (expected === undefined) return true;
  if (parsedTokens?.spec !== expected) parsedTokens = { spec: expected, tokens: parseTokens(expected) };
  return identityForToken(parsedTokens.tokens, provided) !== null;
}

export function bearerToken(req: IncomingMessage): string | undefined {
  return bearerTokenOf(req.headers.authorization);
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
  return host === req.headers.host?.toLowerCase()
    ? null
    : `origin ${origin} is not this server's (${req.headers.host ?? "no Host header"}); set RILL_ALLOWED_ORIGINS to allow it`;
}

export interface HostPolicy {
  /**
   * Host names (no port) accepted, or "*" for any. Undefined: loopback names only when the server listens on
   * loopback without any auth (the DNS-rebinding guard), any otherwise.
   */
  allowedHosts: string[] | "*" | undefined;
  /** The interface the server listens on (HOST). */
  bindHost: string;
  /** Whether clients must authenticate (RILL_TOKEN or an auth module). */
  authRequired: boolean;
}

export function isLoopbackBind(host: string): boolean {
  const h = host.toLowerCase();
  return h === "localhost" || h === "::1" || h === "[::1]" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/** The name part of a Host header: `[::1]:3000` -> `[::1]`, `localhost:3000` -> `localhost`; lower case. */
export function hostNameOf(hostHeader: string): string {
  const host = hostHeader.trim().toLowerCase();
  if (host.startsWith("[")) {
    const end = host.indexOf("]");
    return end < 0 ? host : host.slice(0, end + 1);
  }
  const colon = host.indexOf(":");
  return colon < 0 ? host : host.slice(0, colon);
}

function isLoopbackName(name: string): boolean {
  if (name === "localhost" || name.endsWith(".localhost") || name === "[::1]") return true;
  const parts = name.split(".");
  return parts.length === 4 && parts[0] === "127" && parts.every((p) => p.length > 0 && p.length <= 3 && [...p].every((c) => c >= "0" && c <= "9"));
}

/** Whether Host headers are checked at all under this policy (nothing is when it returns false). */
export function checksHost(policy: HostPolicy): boolean {
  if (policy.allowedHosts === "*") return false;
  return policy.allowedHosts !== undefined || (!policy.authRequired && isLoopbackBind(policy.bindHost));
}

/**
 * Null when the request's Host may be served, else why not (answered 403). Without RILL_ALLOWED_HOSTS, a
 * server on loopback without auth serves only loopback names (localhost, 127.x.x.x, [::1], any port): a
 * page whose own name was rebound to 127.0.0.1 sends its own name as Host, and is refused. With
 * RILL_ALLOWED_HOSTS, those names and the listed ones are served. A request without Host (HTTP/1.0, not
 * a browser) passes.
 */
export function hostRejection(req: IncomingMessage, policy: HostPolicy): string | null {
  if (!checksHost(policy)) return null;
  const header = req.headers.host;
  if (header === undefined || header === "") return null;
  const name = hostNameOf(header);
  if (isLoopbackName(name)) return null;
  if (Array.isArray(policy.allowedHosts) && policy.allowedHosts.includes(name)) return null;
  const shown = header.length > 100 ? `${header.slice(0, 100)}…` : header;
  return Array.isArray(policy.allowedHosts)
    ? `Host "${shown}" is not in RILL_ALLOWED_HOSTS (${policy.allowedHosts.join(", ")}) nor a loopback name`
    : `Host "${shown}" is not a loopback name: this server listens on ${policy.bindHost} without a token, so it serves only ` +
        `localhost, 127.x.x.x and [::1] (a guard against DNS rebinding). To serve this name, set RILL_ALLOWED_HOSTS=${name.slice(0, 100)} ` +
        `(or set RILL_TOKEN)`;
}
