// A PostgreSQL database of a test run's own: created on the local server (127.0.0.1:5432, user postgres,
// trust auth, or TEST_POSTGRES_URL) as rill_test_<pid>_<random>, dropped at the end. When no server
// answers, tests skip with a message, unless RILL_TEST_REQUIRE_POSTGRES=1 (as .ci/run sets) makes that
// a failure.
import { randomBytes } from "node:crypto";
import pg from "pg";

export const SERVER_URL = process.env.TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** The skip message when no server answers (undefined: tests run). */
export let postgresSkipReason: string | undefined;

export async function createTestDatabase(): Promise<TestDatabase | null> {
  const admin = new pg.Client({ connectionString: SERVER_URL, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
  } catch (error) {
    const message = `no PostgreSQL answers at ${new URL(SERVER_URL).host} (${(error as Error).message}); PostgreSQL tests skipped`;
    if (process.env.RILL_TEST_REQUIRE_POSTGRES === "1") throw new Error(`${message.replace(/; .*$/, "")}, and RILL_TEST_REQUIRE_POSTGRES=1 requires one`);
    postgresSkipReason = message;
    return null;
  }
  const name = `rill_test_${process.pid}_${randomBytes(4).toString("hex")}`;
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    async drop() {
      const client = new pg.Client({ connectionString: SERVER_URL, connectionTimeoutMillis: 3000 });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/**
 * A pool on the test database for a test file's savers. It ignores an idle client's error: pg-pool's end()
 * resolves once it has asked its clients to end, before their connections have closed, so the DROP ... WITH
 * (FORCE) that follows may still reach one, and the pool would re-emit that client's "terminating connection"
 * error with no one listening (an uncaught exception, failing the file after its tests passed).
 */
export function testPool(url: string, max = 8): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max });
  pool.on("error", () => undefined);
  return pool;
}
