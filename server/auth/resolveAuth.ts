// Which auth handler a server uses: the one given to createRillServer, else a LangGraph auth module
// (RILL_AUTH_PATH, or langgraph.json's auth.path passed as the `auth` option), else RILL_TOKEN's tokens,
// else none (every client anonymous). A module and RILL_TOKEN together are refused: which one decides
// who a client is would be a guess.
import type { RillConfig } from "../config";
import type { AuthHandler } from "./authHandler";
import { AuthModuleError, loadAuthHandler } from "./langGraphAuth";
import { tokenAuthHandler } from "./tokenAuth";

export type { AuthHandler } from "./authHandler";

export async function resolveAuthHandler(
  option: AuthHandler | string | undefined,
  config: Pick<RillConfig, "token" | "authPath">,
): Promise<AuthHandler | null> {
  const module = option ?? config.authPath;
  if (module !== undefined && config.token !== undefined) {
    const named = typeof module === "string" ? module : module.source;
    throw new AuthModuleError(`both RILL_TOKEN and an auth module (${named}) are set: use one (the module gives identities itself)`);
  }
  if (typeof module === "string") return loadAuthHandler(module);
  if (module) return module;
  return config.token !== undefined ? tokenAuthHandler(config.token) : null;
}
