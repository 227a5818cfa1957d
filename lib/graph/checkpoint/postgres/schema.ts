// The PostgreSQL saver's schema, in a schema of its own choosing ("public" by default), versioned in the
// table rill_checkpoint_migrations. setup() applies what is missing in one transaction under an advisory
// lock (several processes may start at once); a database migrated by a newer Rill is refused.
import type pg from "pg";

export const POSTGRES_SCHEMA_VERSION = 4;

const MIGRATIONS: Record<number, (s: string) => string> = {
  1: (s) => `
    CREATE TABLE ${s}.rill_checkpoints (
      thread_id TEXT COLLATE "C" NOT NULL, checkpoint_ns TEXT COLLATE "C" NOT NULL, checkpoint_id TEXT COLLATE "C" NOT NULL,
      parent_id TEXT COLLATE "C", type TEXT NOT NULL, checkpoint BYTEA NOT NULL, metadata JSONB NOT NULL, layout TEXT NOT NULL,
      PRIMARY KEY (thread_id, checkpoint_ns, checkpoint_id)
    );
    CREATE TABLE ${s}.rill_checkpoint_writes (
      thread_id TEXT COLLATE "C" NOT NULL, checkpoint_ns TEXT COLLATE "C" NOT NULL, checkpoint_id TEXT COLLATE "C" NOT NULL,
      task_id TEXT COLLATE "C" NOT NULL, idx INTEGER NOT NULL, channel TEXT NOT NULL, type TEXT NOT NULL, value BYTEA,
      task_path TEXT COLLATE "C" NOT NULL,
      PRIMARY KEY (thread_id, checkpoint_ns, checkpoint_id, task_id, idx)
    );
  `,
  // Metadata as the JSON text the saver wrote (as SQLite keeps it): the server no longer parses it into
  // jsonb at every checkpoint (a quarter of a checkpoint row's insert); list() casts it where it filters.
  2: (s) => `ALTER TABLE ${s}.rill_checkpoints ALTER COLUMN metadata TYPE TEXT USING metadata::text;`,
  // Chains (../durable/chains.ts): a batch of a run's consecutive checkpoints and their writes in one row,
  // the body as UTF-8 bytes (its fields are joined by U+0000, which TEXT cannot hold).
  3: (s) => `
    CREATE TABLE ${s}.rill_checkpoint_chains (
      thread_id TEXT COLLATE "C" NOT NULL, checkpoint_ns TEXT COLLATE "C" NOT NULL, first_id TEXT COLLATE "C" NOT NULL,
      last_id TEXT COLLATE "C" NOT NULL, parent_id TEXT COLLATE "C", body BYTEA NOT NULL,
      PRIMARY KEY (thread_id, checkpoint_ns, first_id)
    );
    CREATE INDEX rill_checkpoint_chains_by_last ON ${s}.rill_checkpoint_chains (thread_id, checkpoint_ns, last_id);
  `,
  // Large values (a chain's body is tens of kilobytes) compressed with lz4 rather than pglz where the server
  // has it (PostgreSQL 14 and later, built with lz4): the server spends about half the CPU time per step
  // (bench:durable, measured with this change). Elsewhere nothing changes: the statements run as dynamic SQL,
  // so that an older server's syntax error is caught here, not when the block is compiled.
  4: (s) => `
    DO $$BEGIN
      EXECUTE ${quoteLiteral(`ALTER TABLE ${s}.rill_checkpoint_chains ALTER COLUMN body SET COMPRESSION lz4`)};
      EXECUTE ${quoteLiteral(`ALTER TABLE ${s}.rill_checkpoints ALTER COLUMN checkpoint SET COMPRESSION lz4`)};
      EXECUTE ${quoteLiteral(`ALTER TABLE ${s}.rill_checkpoint_writes ALTER COLUMN value SET COMPRESSION lz4`)};
    EXCEPTION WHEN feature_not_supported OR syntax_error OR undefined_object THEN NULL;
    END$$;
  `,
};

/** A quoted string literal (standard_conforming_strings: only quotes are doubled). */
function quoteLiteral(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** A quoted identifier. */
export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export async function migrate(client: pg.ClientBase, schema: string, where: string): Promise<void> {
  const s = ident(schema);
  await client.query("BEGIN");
  try {
    await client.query("SELECT pg_advisory_xact_lock(hashtext('rill_checkpoint_migrations'))");
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${s}.rill_checkpoint_migrations (v INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`);
    const { rows } = await client.query<{ v: number | null }>(`SELECT max(v) AS v FROM ${s}.rill_checkpoint_migrations`);
    const current = rows[0]?.v ?? 0;
    if (current > POSTGRES_SCHEMA_VERSION) {
      throw new Error(
        `PostgresSaver: ${where} (schema ${schema}) has checkpoint schema version ${current}, newer than this Rill's ${POSTGRES_SCHEMA_VERSION}; upgrade Rill or use another database`,
      );
    }
    for (let v = current + 1; v <= POSTGRES_SCHEMA_VERSION; v++) {
      await client.query(MIGRATIONS[v](s));
      await client.query(`INSERT INTO ${s}.rill_checkpoint_migrations (v) VALUES ($1)`, [v]);
    }
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  }
}
