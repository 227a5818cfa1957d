// Child process of commitThread.test.ts: writes a checkpoint through a SqliteSaver on a file and never
// closes it; the process must still exit on its own (the commit thread does not hold it open).
import { SqliteSaver } from "../sqliteSaver";

const saver = new SqliteSaver(process.argv[2], { commitThread: true });
const checkpoint = { v: 4, id: "c1", ts: "2026-01-01T00:00:00.000Z", channel_values: { n: 1 }, channel_versions: {}, versions_seen: {} };
await saver.put({ configurable: { thread_id: "unclosed" } }, checkpoint, { source: "loop", step: 0, parents: {} }, {});
process.stdout.write("committed\n");
