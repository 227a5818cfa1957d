// Starts clusterTarget.ts in a child process (one process of a test deployment); kill() is SIGKILL.
import { fileURLToPath } from "node:url";
import { startServerProcess, type ServerProcess } from "../../test/serverProcess";

export type ClusterProcess = ServerProcess;

const script = fileURLToPath(new URL("./clusterTarget.ts", import.meta.url));

export function startClusterProcess(env: Record<string, string>): Promise<ClusterProcess> {
  return startServerProcess(script, env, "a cluster process");
}
