// The PostgreSQL run store's tables, versioned in rill_run_store_migrations. Migrations run at start-up
// in one transaction under an advisory lock (several processes may start at once); a database migrated
// by a newer Rill is refused, saying so.
import type pg from "pg";

export const RUN_STORE_POSTGRES_VERSION = 4;

const MIGRATIONS: Record<number, string> = {
  1: `
    CREATE TABLE rill_runs (
      run_id TEXT COLLATE "C" PRIMARY KEY, position BIGINT NOT NULL UNIQUE, head TEXT NOT NULL, state TEXT NOT NULL
    );
    CREATE TABLE rill_run_event_chunks (
      run_id TEXT COLLATE "C" NOT NULL, first_seq BIGINT NOT NULL, last_seq BIGINT NOT NULL, events TEXT NOT NULL,
      run_first_seq BIGINT NOT NULL, run_bytes BIGINT NOT NULL,
      PRIMARY KEY (run_id, first_seq)
    );
  `,
  // A deployment (server/cluster/): several processes create runs (positions from their clocks, so not
  // unique), and each running run has a lease held by the process executing it (runLeases.ts).
  2: `
    ALTER TABLE rill_runs DROP CONSTRAINT IF EXISTS rill_runs_position_key;
    CREATE INDEX IF NOT EXISTS rill_runs_position ON rill_runs (position);
    CREATE TABLE rill_run_leases (
      run_id TEXT COLLATE "C" PRIMARY KEY, worker TEXT NOT NULL, expires_at TIMESTAMPTZ NOT NULL, cancel TEXT
    );
    CREATE INDEX rill_run_leases_expiry ON rill_run_leases (expires_at);
    CREATE TABLE rill_workers (worker TEXT COLLATE "C" PRIMARY KEY, expires_at TIMESTAMPTZ NOT NULL);
  `,
  // The run queue (runLeases.ts): a queued run's lease has no worker yet ('') and `start`, what its
  // executor needs to start it (its configurable and recursion limit, JSON); a worker clears it when it takes it.
  3: `
    ALTER TABLE rill_run_leases ADD COLUMN start TEXT;
  `,
  // Fencing (runLeases.ts): each time a lease changes hands (taken, queued, taken over) it gets a new
  // generation; a process's commits write a run's events only while it holds the lease with its generation.
  // `parked`: the run waits at an interrupt (set with its status, in the same commit): the deployment-wide
  // RILL_MAX_RUNS counts the leases that are not (running and queued runs). `thread_id`: the run's thread,
  // so that a thread's going run is seen by every process (double texting); the lease goes in the commit
  // that ends its run.
  4: `
    CREATE SEQUENCE rill_run_lease_generation;
    ALTER TABLE rill_run_leases ADD COLUMN generation BIGINT NOT NULL DEFAULT nextval('rill_run_lease_generation');
    ALTER TABLE rill_run_leases ADD COLUMN parked BOOLEAN NOT NULL DEFAULT false;
    ALTER TABLE rill_run_leases ADD COLUMN thread_id TEXT COLLATE "C";
    CREATE INDEX rill_run_leases_thread ON rill_run_leases (thread_id);
  `,
};

export async function migrate(client: pg.ClientBase, where: string): Promise<void> {
  await client.query("BEGIN");
  try {
    await client.query("SELECT pg_advisory_xact_lock(hashtext('rill_run_store_migrations'))");
    await client.query("CREATE TABLE IF NOT EXISTS rill_run_store_migrations (v INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())");
    const { rows } = await client.query<{ v: number | null }>("SELECT max(v) AS v FROM rill_run_store_migrations");
    const current = rows[0]?.v ?? 0;
    if (current > RUN_STORE_POSTGRES_VERSION) {
      throw new Error(
        `run store: ${where} has run store schema version ${current}, newer than this Rill's ${RUN_STORE_POSTGRES_VERSION}; upgrade Rill or use another database`,
      );
    }
    for (let v = current + 1; v <= RUN_STORE_POSTGRES_VERSION; v++) {
      await client.query(MIGRATIONS[v]!);
      await client.query("INSERT INTO rill_run_store_migrations (v) VALUES ($1)", [v]);
    }
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  }
}
