// What the e2e suite and the UI benchmark share: the production custom server they start on a free
// port, and the Chromium every test drives.
import type { PlaywrightTestConfig } from "@playwright/test";
import { fileURLToPath } from "node:url";
import { CHROMIUM_ARGS, e2ePort } from "./serverPort";

const root = fileURLToPath(new URL("..", import.meta.url));

export const port = e2ePort();

export const browserUse = {
  baseURL: `http://127.0.0.1:${port}`,
  viewport: { width: 1280, height: 800 },
  colorScheme: "dark",
  launchOptions: { executablePath: process.env.CHROMIUM_PATH || undefined, args: CHROMIUM_ARGS },
} satisfies PlaywrightTestConfig["use"];

/** The environment of a production server on `listenPort`, with `env` added. */
function serverEnv(listenPort: number, env: Record<string, string>): Record<string, string> {
  return {
    PORT: String(listenPort),
    HOST: "127.0.0.1",
    NODE_ENV: "production",
    RILL_LOG_LEVEL: "warn",
    NEXT_TELEMETRY_DISABLED: "1",
    ...env,
  };
}

/** `npx tsx server/main.ts` in production mode on `port`, with `env` added to the server's environment. */
export function rillWebServer(env: Record<string, string>): NonNullable<PlaywrightTestConfig["webServer"]> {
  return {
    command: "npx tsx server/main.ts",
    cwd: root,
    url: `http://127.0.0.1:${port}/`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "pipe",
    stderr: "pipe",
    env: serverEnv(port, env),
  };
}

export interface StartedServer {
  url: string;
  stop(): Promise<void>;
}

/**
 * Another server for specs that need other settings than the suite's (a token, say): the same command
 * as rillWebServer on a free port of its own, with `env` added; resolves once it serves pages.
 */
export async function startRillServer(env: Record<string, string>): Promise<StartedServer> {
  const { spawn, execFileSync } = await import("node:child_process");
  const script = "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{process.stdout.write(String(s.address().port));s.close()})";
  const ownPort = Number(execFileSync(process.execPath, ["-e", script], { encoding: "utf8" }));
  const child = spawn("npx", ["tsx", "server/main.ts"], {
    cwd: root,
    env: { ...process.env, ...serverEnv(ownPort, env) },
    stdio: ["ignore", "ignore", "pipe"],
    detached: true,
  });
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = `http://127.0.0.1:${ownPort}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}): ${stderr}`);
    try {
      if ((await fetch(`${url}/`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`the server did not answer on ${url} within 120 s: ${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return {
    url,
    async stop() {
      if (child.exitCode === null) process.kill(-child.pid!, "SIGTERM");
      await exited;
    },
  };
}
