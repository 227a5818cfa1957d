// The deployment's Redis connections (ioredis). Commands fail at once while Redis is unreachable (no
// offline queue): a run never waits on Redis; events reach other processes through PostgreSQL meanwhile.
import { Redis } from "ioredis";

export function createRedis(url: string, name: string): Redis {
  const redis = new Redis(url, {
    connectionName: name,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    // Reconnects forever, at most a second apart: a restarted Redis is used again as soon as it answers.
    retryStrategy: (times) => Math.min(50 * times, 1000),
    lazyConnect: true,
  });
  // Without a listener a lost connection would be an unhandled 'error' event; ioredis reconnects by itself.
  redis.on("error", () => undefined);
  return redis;
}

/** Connects, or fails within `timeoutMs` naming the URL's host and port (never the password). */
export async function connectRedis(redis: Redis, url: string, timeoutMs = 5000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([redis.connect(), timeout]);
  } catch (error) {
    redis.disconnect();
    throw new Error(`cannot connect to Redis at ${describeRedis(url)} (REDIS_URL): ${(error as Error).message}`);
  } finally {
    clearTimeout(timer);
  }
}

export function describeRedis(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname || "localhost"}:${parsed.port || "6379"}${parsed.pathname && parsed.pathname !== "/" ? parsed.pathname : ""}`;
  } catch {
    return "the server in REDIS_URL (not a valid URL)";
  }
}
