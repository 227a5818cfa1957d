// Starts clusterTarget.ts in a child process (one process of a test deployment); kill() is SIGKILL.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

export interface ClusterProcess {
  pid: number;
  url: string;
  wsUrl: string;
  /** SIGKILL, and resolves once the process is gone. */
  kill(): Promise<void>;
  /** SIGTERM (a graceful shutdown), and resolves once the process is gone. */
  stop(): Promise<void>;
  stderr(): string;
}

const script = fileURLToPath(new URL("./clusterTarget.ts", import.meta.url));
const repoRoot = fileURLToPath(new URL("../../..", import.meta.url));

export function startClusterProcess(env: Record<string, string>): Promise<ClusterProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", script], {
    cwd: repoRoot,
    env: { ...process.env, NODE_ENV: "test", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const signal = (name: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(name);
    return exited;
  };
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null, sig: string | null) => reject(new Error(`a cluster process exited before listening (code ${code}, signal ${sig}):\n${stderr}`));
    child.once("exit", onExit);
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /listening (http:\/\/\S+)/.exec(stdout);
      if (!match) return;
      child.off("exit", onExit);
      child.stdout.removeAllListeners("data");
      child.stdout.resume();
      resolve({
        pid: child.pid!,
        url: match[1]!,
        wsUrl: `${match[1]!.replace(/^http/, "ws")}/api/trpc`,
        kill: () => signal("SIGKILL"),
        stop: () => signal("SIGTERM"),
        stderr: () => stderr,
      });
    });
  });
}
