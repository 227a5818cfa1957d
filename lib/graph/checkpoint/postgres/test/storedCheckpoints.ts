// How many checkpoints of a thread a PostgresSaver's schema holds, whichever way they are stored: rows of
// rill_checkpoints and the checkpoints of chains.
import type pg from "pg";
import { chainEntries } from "../../durable/chains";

export async function storedCheckpoints(client: pg.ClientBase, schema: string, threadId: string): Promise<number> {
  const rows = await client.query<{ c: string }>(`SELECT count(*) AS c FROM "${schema}".rill_checkpoints WHERE thread_id = $1`, [threadId]);
  const chains = await client.query<{ thread_id: string; checkpoint_ns: string; first_id: string; last_id: string; parent_id: string | null; body: Buffer }>(
    `SELECT * FROM "${schema}".rill_checkpoint_chains WHERE thread_id = $1`,
    [threadId],
  );
  let count = Number(rows.rows[0].c);
  for (const chain of chains.rows) count += chainEntries({ ...chain, body: chain.body.toString("utf8") }).length;
  return count;
}
