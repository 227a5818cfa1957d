// Starts restartTarget.ts in a child process; kill() is SIGKILL (nothing is flushed, nothing closed).
import { fileURLToPath } from "node:url";
import { startServerProcess, type ServerProcess } from "../../test/serverProcess";

export type RestartTarget = ServerProcess;

const script = fileURLToPath(new URL("./restartTarget.ts", import.meta.url));

export function startRestartTarget(env: Record<string, string>): Promise<RestartTarget> {
  return startServerProcess(script, env, "the restart target");
}
