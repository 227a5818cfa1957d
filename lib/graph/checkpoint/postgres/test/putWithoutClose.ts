// Child process of postgresSaver.test.ts: puts a checkpoint through a PostgresSaver and neither closes the
// saver nor ends its pool (idle connections dropped at once), so that the test sees whether the process
// still exits by itself. Arguments: database URL, schema.
import pg from "pg";
import { PostgresSaver } from "../postgresSaver";

const [url, schema] = process.argv.slice(2);
const pool = new pg.Pool({ connectionString: url, idleTimeoutMillis: 1 });
const saver = new PostgresSaver({ pool, schema });
const checkpoint = { v: 4, id: "c1", ts: "2026-01-01T00:00:00.000Z", channel_values: { n: 1 }, channel_versions: {}, versions_seen: {} };
await saver.put({ configurable: { thread_id: "t" } }, checkpoint, { source: "loop", step: 0, parents: {} }, {});
console.log("committed");
