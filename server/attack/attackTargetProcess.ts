// Starts attackTarget.ts in a child process and says whether it is still up. Its stderr is kept: a stack
// trace there means something threw that should have been answered.
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

export interface AttackTarget {
  /** http://127.0.0.1:port */
  url: string;
  port: number;
  /** ws://127.0.0.1:port/api/trpc */
  wsUrl: string;
  /** True while the server's process has not exited. */
  alive(): boolean;
  /** What the server wrote to stderr so far. */
  stderr(): string;
  stop(): Promise<void>;
}

const script = fileURLToPath(new URL("./attackTarget.ts", import.meta.url));
const repoRoot = fileURLToPath(new URL("../..", import.meta.url));

export function startAttackTarget(options: { next: boolean }): Promise<AttackTarget> {
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", script, ...(options.next ? ["--next"] : [])], {
    cwd: repoRoot,
    env: { ...process.env, NODE_ENV: options.next ? "production" : "test", NEXT_TELEMETRY_DISABLED: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null, signal: string | null) =>
      reject(new Error(`the attack target exited before listening (code ${code}, signal ${signal}):\n${stderr}`));
    child.once("exit", onExit);
    child.stdout!.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /listening (http:\/\/[^\s]+)/.exec(stdout);
      if (!match) return;
      child.off("exit", onExit);
      child.stdout!.removeAllListeners("data");
      child.stdout!.resume();
      const url = match[1]!;
      resolve({
        url,
        port: Number(new URL(url).port),
        wsUrl: `${url.replace(/^http/, "ws")}/api/trpc`,
        alive: () => child.exitCode === null && child.signalCode === null,
        stderr: () => stderr,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done();
            child.once("exit", () => done());
            child.kill("SIGTERM");
          }),
      });
    });
  });
}
