// Where a PostgreSQL URL points, for error messages, and the pool options that make an unreachable
// server fail fast (a connection timeout) instead of hanging.
import pg from "pg";

export const CONNECT_TIMEOUT_MS = 5000;

/** "host:port/database" of a connection string (the password never appears). */
export function describeTarget(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    const host = url.hostname || process.env.PGHOST || "localhost";
    const port = url.port || process.env.PGPORT || "5432";
    const db = decodeURIComponent(url.pathname.replace(/^\//, "")) || process.env.PGDATABASE || url.username || "postgres";
    return `${host}:${port}/${db}`;
  } catch {
    return "the database in DATABASE_URL (not a valid URL)";
  }
}

export function createPool(connectionString: string, connectTimeoutMs = CONNECT_TIMEOUT_MS): pg.Pool {
  const pool = new pg.Pool({ connectionString, connectionTimeoutMillis: connectTimeoutMs, max: 4 });
  // An idle client losing its connection (server restart) must not crash the process; the next query reconnects.
  pool.on("error", () => undefined);
  return pool;
}

/**
 * The client settings of `pool`, for the saver's own commit connection: its options, with the password,
 * which pg keeps out of the options' enumerable keys (out of logs and stack traces), so a copy of them lacks it.
 */
export function clientConfig(pool: pg.Pool): pg.ClientConfig {
  const options = pool.options as pg.ClientConfig;
  return "password" in options ? { ...options, password: options.password } : { ...options };
}
