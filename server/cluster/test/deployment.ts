// What the deployment tests share: a PostgreSQL database and a Redis key prefix of the test's own (or why
// the suite is skipped), and two server processes of one deployment with a client of each.
import { createTestDatabase, postgresSkipReason, type TestDatabase } from "../../../lib/graph/checkpoint/postgres/test/testDatabase";
import { connect, type TestClient } from "../../test/harness";
import { startClusterProcess, type ClusterProcess } from "./clusterProcess";
import { redisSkipReason, testRedisPrefix } from "./testRedis";

export interface DeploymentServices {
  database: TestDatabase | null;
  redis: Awaited<ReturnType<typeof testRedisPrefix>>;
  /** Why the suite is skipped (no PostgreSQL or no Redis answers), or false. */
  skip: string | false;
  /** A deployment process's environment: the database, Redis and key prefix, then `extra`. */
  processEnv(extra?: Record<string, string>): Record<string, string>;
}

export async function deploymentServices(): Promise<DeploymentServices> {
  const database = await createTestDatabase();
  const redis = database ? await testRedisPrefix() : null;
  const skip = !database ? (postgresSkipReason ?? "no PostgreSQL") : !redis ? (redisSkipReason ?? "no Redis") : false;
  const processEnv = (extra: Record<string, string> = {}) => {
    if (!database || !redis) throw new Error(`no deployment services: ${skip}`);
    return { DATABASE_URL: database.url, REDIS_URL: redis.url, RILL_REDIS_PREFIX: redis.prefix, ...extra };
  };
  return { database, redis, skip, processEnv };
}

export interface ProcessPair {
  a: ClusterProcess;
  b: ClusterProcess;
  onA: TestClient;
  onB: TestClient;
  /** Closes both clients, then stops both processes (SIGTERM; a process already killed is left as it is). */
  close(): Promise<void>;
}

/** Starts two processes (their environments as given) and connects a client to each. */
export async function startProcessPair(envA: Record<string, string>, envB: Record<string, string>): Promise<ProcessPair> {
  const [a, b] = await Promise.all([startClusterProcess(envA), startClusterProcess(envB)]);
  const onA = connect(a);
  const onB = connect(b);
  return {
    a,
    b,
    onA,
    onB,
    async close() {
      await onA.close();
      await onB.close();
      await Promise.all([a.stop(), b.stop()]);
    },
  };
}
