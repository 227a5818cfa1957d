// A Rill server in a child process (a script that prints `listening <url>` once it serves), for the tests
// that kill a real process: restart (SIGKILL, then a new process on the same data) and the deployment's
// processes (failover, hand-back). kill() is SIGKILL: nothing is flushed, nothing closed.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

export interface ServerProcess {
  pid: number;
  url: string;
  wsUrl: string;
  /** SIGKILL, and resolves once the process is gone. */
  kill(): Promise<void>;
  /** SIGTERM (a graceful shutdown), and resolves once the process is gone. */
  stop(): Promise<void>;
  stderr(): string;
}

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));

/** Starts `script` (a path) with `env` added to this process's; `what` names it in the error when it dies before listening. */
export function startServerProcess(script: string, env: Record<string, string>, what: string): Promise<ServerProcess> {
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
    const onExit = (code: number | null, sig: string | null) => reject(new Error(`${what} exited before listening (code ${code}, signal ${sig}):\n${stderr}`));
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
