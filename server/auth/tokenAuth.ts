// RILL_TOKEN as identities. `alice:s1,bob:s2` gives each client that sends `s1` the identity "alice" and
// each that sends `s2` "bob"; a bare token (`s3cret`) is one identity, "default", shared by every holder.
// A client sends its token as connectionParams { token } on the WebSocket (or an Authorization header on
// the upgrade) and as `Authorization: Bearer <token>` over HTTP.
//
// Tokens are compared as SHA-256 digests with timingSafeEqual, against every configured token whatever
// matches, so neither the length nor the position of a match shows in the time taken.
import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { AuthHandler, AuthOutcome } from "./authHandler";

export interface NamedToken {
  identity: string;
  digest: Buffer;
}

/** The identity a bare RILL_TOKEN gives its holders. */
export const DEFAULT_TOKEN_IDENTITY = "default";

const IDENTITY = /^[A-Za-z0-9_.@+-]{1,64}$/;

export const TOKEN_UNAUTHORIZED_MESSAGE =
  "this server requires RILL_TOKEN: send it as connectionParams { token } (WebSocket) or Authorization: Bearer <token> (HTTP)";

function digestOf(secret: string): Buffer {
  return createHash("sha256").update(secret).digest();
}

/**
 * Reads RILL_TOKEN: a bare token, or `name:secret` pairs separated by commas. A value with a `:` or a
 * `,` is read as pairs. Throws an Error naming the entry and what is wrong with it.
 */
export function parseTokens(spec: string): NamedToken[] {
  const trimmed = spec.trim();
  if (trimmed === "") throw new Error("RILL_TOKEN is empty");
  if (!trimmed.includes(":") && !trimmed.includes(",")) return [{ identity: DEFAULT_TOKEN_IDENTITY, digest: digestOf(trimmed) }];
  const tokens: NamedToken[] = [];
  const secrets = new Set<string>();
  trimmed.split(",").forEach((raw, index) => {
    const entry = raw.trim();
    const colon = entry.indexOf(":");
    const where = `RILL_TOKEN entry ${index + 1}`;
    if (colon < 0) throw new Error(`${where}: "${entry.slice(0, 20)}…" is not name:token (a value with ":" or "," is a list of name:token pairs)`);
    const identity = entry.slice(0, colon).trim();
    const secret = entry.slice(colon + 1).trim();
    if (!IDENTITY.test(identity)) throw new Error(`${where}: the name "${identity.slice(0, 64)}" must be 1-64 letters, digits or _.@+-`);
    if (secret === "") throw new Error(`${where} ("${identity}"): the token is empty`);
    if (secrets.has(secret)) throw new Error(`${where} ("${identity}"): the same token is given to two names`);
    secrets.add(secret);
    tokens.push({ identity, digest: digestOf(secret) });
  });
  return tokens;
}

/** The identity whose token this is, or null. */
export function identityForToken(tokens: readonly NamedToken[], provided: unknown): string | null {
  if (typeof provided !== "string" || provided === "") return null;
  const digest = digestOf(provided);
  let found: string | null = null;
  for (const token of tokens) {
    if (timingSafeEqual(token.digest, digest) && found === null) found = token.identity;
  }
  return found;
}

/** The token of an `Authorization: Bearer <token>` header (a plain scan: no pattern runs on client input). */
export function bearerTokenOf(header: string | undefined): string | undefined {
  if (!header || header.length < 7 || header.slice(0, 6).toLowerCase() !== "bearer") return undefined;
  const rest = header.slice(6);
  if (rest[0] !== " " && rest[0] !== "\t") return undefined;
  const token = rest.trim();
  return token === "" ? undefined : token;
}

function providedToken(req: IncomingMessage, connectionParams: Record<string, unknown> | null): unknown {
  const fromParams = connectionParams?.token;
  if (fromParams !== undefined && fromParams !== null && fromParams !== "") return fromParams;
  return bearerTokenOf(req.headers.authorization);
}

export function tokenAuthHandler(spec: string): AuthHandler {
  const tokens = parseTokens(spec);
  return {
    source: "RILL_TOKEN",
    identify({ req, connectionParams }): AuthOutcome {
      const identity = identityForToken(tokens, providedToken(req, connectionParams));
      return identity === null ? { failure: { code: "UNAUTHORIZED", message: TOKEN_UNAUTHORIZED_MESSAGE } } : { identity };
    },
  };
}
