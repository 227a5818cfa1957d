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
  /** SIGSTOP: the process hangs (nothing runs, its sockets stay open) until resume(). */
  pause(): void;
  /** SIGCONT after pause(). */
  resume(): void;
  /** Resolves once the process's stderr matches `pattern` (what it has written so far, or later). */
  stderrMatches(pattern: RegExp): Promise<string>;
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
  const stderrWaits: Array<{ pattern: RegExp; resolve(text: string): void }> = [];
  const checkStderr = () => {
    for (let i = stderrWaits.length - 1; i >= 0; i--) {
      const match = stderrWaits[i]!.pattern.exec(stderr);
      if (!match) continue;
      stderrWaits[i]!.resolve(match[0]);
      stderrWaits.splice(i, 1);
    }
  };
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
    checkStderr();
  });
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
        pause: () => void child.kill("SIGSTOP"),
        resume: () => void child.kill("SIGCONT"),
        stderrMatches: (pattern) =>
          new Promise<string>((resolveMatch) => {
            stderrWaits.push({ pattern, resolve: resolveMatch });
            checkStderr();
          }),
      });
    });
  });
}
