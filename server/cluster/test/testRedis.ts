// Redis for the deployment tests: the shared server (127.0.0.1:6379, or TEST_REDIS_URL) under a key
// prefix of the test's own (its keys deleted at the end, never FLUSHALL), or a redis-server of the
// test's own on a free port (to stop and restart it). Without Redis, tests skip with a message unless
// RILL_TEST_REQUIRE_POSTGRES=1 (CI), which requires Redis too.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { Redis } from "ioredis";

export const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379/0";

export let redisSkipReason: string | undefined;

/** A prefix of this test's own on the shared Redis; null (and redisSkipReason set) when none answers. */
export async function testRedisPrefix(): Promise<{ url: string; prefix: string; cleanup(): Promise<void> } | null> {
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 3000 });
  redis.on("error", () => undefined);
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    redis.disconnect();
    const message = `no Redis answers at ${REDIS_URL} (${(error as Error).message}); deployment tests skipped`;
    if (process.env.RILL_TEST_REQUIRE_POSTGRES === "1") throw new Error(`${message.replace(/; .*$/, "")}, and RILL_TEST_REQUIRE_POSTGRES=1 requires one`);
    redisSkipReason = message;
    return null;
  }
  const prefix = `rill-test-${process.pid}-${randomBytes(4).toString("hex")}:`;
  return {
    url: REDIS_URL,
    prefix,
    async cleanup() {
      let cursor = "0";
      do {
        const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 500);
        cursor = next;
        if (keys.length > 0) await redis.del(...keys);
      } while (cursor !== "0");
      redis.disconnect();
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A redis-server of the test's own (no persistence), restartable on the same port. */
export class OwnRedis {
  private child: ChildProcess | null = null;
  private readonly dir = mkdtempSync(path.join(tmpdir(), "rill-redis-"));

  private constructor(readonly port: number) {}

  static async start(): Promise<OwnRedis> {
    const own = new OwnRedis(await freePort());
    await own.up();
    return own;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}/0`;
  }

  /** Starts it; resolves once it accepts connections (it says so on stdout). */
  up(): Promise<void> {
    const child = spawn("redis-server", ["--port", String(this.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", this.dir], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.child = child;
    return new Promise((resolve, reject) => {
      let out = "";
      child.once("exit", (code) => reject(new Error(`redis-server exited (code ${code}): ${out}`)));
      child.stdout!.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        if (/Ready to accept connections/.test(out)) {
          child.stdout!.removeAllListeners("data");
          child.stdout!.resume();
          child.removeAllListeners("exit");
          resolve();
        }
      });
    });
  }

  /** Stops it (SIGKILL: what it held is gone) and resolves once it has exited. */
  down(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      child.once("exit", () => resolve());
      child.kill("SIGKILL");
    });
  }

  async close(): Promise<void> {
    await this.down();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
