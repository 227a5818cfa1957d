// A deployment's admission of new runs (server/cluster/), in PostgreSQL: under one advisory lock for every
// process, the runs counted against the deployment-wide RILL_MAX_RUNS (leases not parked: running and
// queued runs) and the threads that have a run going (a lease naming the thread). Both the run store's
// commit of queued runs (postgresRunLog.ts) and a new run's lease (runLeases.ts) admit through here.
import type pg from "pg";

/**
 * Takes the deployment's admission lock (until the transaction ends) and answers how many runs count
 * against RILL_MAX_RUNS: leases not parked (running runs, queued runs). The caller is in a transaction.
 */
export async function countAdmitted(client: pg.ClientBase): Promise<number> {
  await client.query("SELECT pg_advisory_xact_lock(hashtext('rill_run_admission'))");
  const { rows } = await client.query<{ n: number }>("SELECT count(*)::int AS n FROM rill_run_leases WHERE NOT parked");
  return rows[0]!.n;
}

/**
 * Under the admission lock: of `runs` (new runs and their threads), those whose thread has another run
 * going in the deployment (its lease: running, interrupted or queued; it goes in the commit that ends the
 * run), with that run's id.
 */
export async function busyThreads(
  client: pg.ClientBase,
  runs: ReadonlyArray<{ runId: string; threadId: string }>,
): Promise<Array<{ runId: string; threadId: string; busyWith: string }>> {
  if (runs.length === 0) return [];
  const { rows } = await client.query<{ thread_id: string; run_id: string }>(
    "SELECT DISTINCT ON (thread_id) thread_id, run_id FROM rill_run_leases WHERE thread_id = ANY($1::text[]) AND run_id <> ALL($2::text[])",
    [runs.map((r) => r.threadId), runs.map((r) => r.runId)],
  );
  if (rows.length === 0) return [];
  const going = new Map(rows.map((row) => [row.thread_id, row.run_id]));
  return runs.filter((r) => going.has(r.threadId)).map((r) => ({ ...r, busyWith: going.get(r.threadId)! }));
}
