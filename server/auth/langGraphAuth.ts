// LangGraph's custom auth on Rill: a module whose export is an `Auth` instance from
// `@langchain/langgraph-sdk/auth` (what langgraph.json's `auth.path` names, "./src/auth.ts:auth").
// Its `authenticate` handler receives a Web Request and returns a string (the identity) or an object
// with a string `identity`, or throws an HTTPException (its `status` and message reach the client).
// As in LangGraph's API server: the returned user's `identity` is who owns what the client creates.
//
// The Auth class is duck-typed (its handlers live in `~handlerCache`), so the SDK is not a dependency.
// Authorization callbacks registered with `auth.on(...)` are not run: Rill's ownership rule (each
// identity sees only its own runs) applies instead, and loading says so once.
import path from "node:path";
import { pathToFileURL } from "node:url";
import { failureCodeOf, type AuthFailure, type AuthHandler, type AuthOutcome } from "./authHandler";
import { webRequestOf } from "./webRequest";

type AuthenticateCallback = (request: Request) => unknown;

interface AuthLike {
  "~handlerCache": { authenticate?: AuthenticateCallback; callbacks?: Record<string, unknown> };
}

/** How long an authenticate handler may take before the request is refused (it is not awaited further). */
export const AUTHENTICATE_TIMEOUT_MS = 10_000;

export class AuthModuleError extends Error {
  override name = "AuthModuleError";
}

function isAuthLike(value: unknown): value is AuthLike {
  if (typeof value !== "object" || value === null || !("~handlerCache" in value)) return false;
  const cache = (value as AuthLike)["~handlerCache"];
  return typeof cache === "object" && cache !== null;
}

/** `./auth.ts:auth` -> file and export ("default" when none); a Windows drive letter is not an export. */
export function splitAuthPath(spec: string): { file: string; exportName: string } {
  const colon = spec.lastIndexOf(":");
  const after = colon >= 0 ? spec.slice(colon + 1) : "";
  if (colon > 1 && /^[A-Za-z_$][\w$]*$/.test(after)) return { file: spec.slice(0, colon), exportName: after };
  return { file: spec, exportName: "default" };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function failureOf(error: unknown, source: string): AuthFailure {
  const status = typeof error === "object" && error !== null && "status" in error ? (error as { status: unknown }).status : undefined;
  if (typeof status === "number" && Number.isInteger(status)) {
    const message = error instanceof Error && error.message ? error.message : status === 403 ? "Forbidden" : "Unauthorized";
    return { code: failureCodeOf(status), message };
  }
  return { code: "INTERNAL_SERVER_ERROR", message: `the auth handler of ${source} failed: ${messageOf(error)}` };
}

function identityOf(result: unknown, source: string): AuthOutcome {
  if (typeof result === "string" && result !== "") return { identity: result };
  if (typeof result === "object" && result !== null && "identity" in result) {
    const identity = (result as { identity: unknown }).identity;
    if (typeof identity === "string" && identity !== "") return { identity };
  }
  return {
    failure: {
      code: "INTERNAL_SERVER_ERROR",
      message: `the auth handler of ${source} returned neither a string nor an object with a string identity`,
    },
  };
}

/** The handler's answer, or a failure once `timeoutMs` passed without one. */
async function withTimeout(answer: Promise<AuthOutcome>, timeoutMs: number, source: string): Promise<AuthOutcome> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<AuthOutcome>((resolve) => {
    timer = setTimeout(
      () => resolve({ failure: { code: "INTERNAL_SERVER_ERROR", message: `the auth handler of ${source} did not answer within ${timeoutMs} ms` } }),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([answer, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** An AuthHandler over an Auth instance (or anything shaped like one). */
export function langGraphAuthHandler(auth: unknown, source: string, options: { timeoutMs?: number } = {}): AuthHandler {
  const timeoutMs = options.timeoutMs ?? AUTHENTICATE_TIMEOUT_MS;
  if (!isAuthLike(auth)) throw new AuthModuleError(`${source} is not an Auth instance from @langchain/langgraph-sdk/auth`);
  const authenticate = auth["~handlerCache"].authenticate;
  if (typeof authenticate !== "function") {
    throw new AuthModuleError(`${source}: the Auth instance has no authenticate handler (call auth.authenticate(...))`);
  }
  const ignored = Object.keys(auth["~handlerCache"].callbacks ?? {});
  return {
    source,
    warnings: ignored.length
      ? [`${source}: its authorization callbacks (auth.on: ${ignored.join(", ")}) are not run by Rill; each identity sees only its own runs`]
      : [],
    async identify({ req, connectionParams }): Promise<AuthOutcome> {
      let request: Request;
      try {
        request = webRequestOf(req, connectionParams);
      } catch (error) {
        return { failure: { code: "BAD_REQUEST", message: `the request cannot be passed to the auth handler: ${messageOf(error)}` } };
      }
      const answer = (async (): Promise<AuthOutcome> => {
        try {
          return identityOf(await authenticate.call(auth, request), source);
        } catch (error) {
          return { failure: failureOf(error, source) };
        }
      })();
      return withTimeout(answer, timeoutMs, source);
    },
  };
}

/**
 * Loads a LangGraph auth module: `path/to/auth.ts:exportName` (default export when no name), relative to
 * `cwd`. Throws AuthModuleError naming the file and export when it cannot be loaded or is not an Auth.
 */
export async function loadAuthHandler(spec: string, options: { cwd?: string } = {}): Promise<AuthHandler> {
  const { file, exportName } = splitAuthPath(spec);
  const absolute = path.resolve(options.cwd ?? process.cwd(), file);
  const source = `${absolute}:${exportName}`;
  let loaded: Record<string, unknown>;
  try {
    loaded = (await import(pathToFileURL(absolute).href)) as Record<string, unknown>;
  } catch (error) {
    throw new AuthModuleError(`auth module ${absolute} could not be loaded: ${messageOf(error)}`);
  }
  if (!(exportName in loaded) || loaded[exportName] === undefined) {
    const names = Object.keys(loaded).join(", ") || "none";
    throw new AuthModuleError(`auth module ${absolute} has no export "${exportName}" (its exports: ${names})`);
  }
  return langGraphAuthHandler(loaded[exportName], source);
}
