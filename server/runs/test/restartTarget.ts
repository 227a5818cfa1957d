// The server the restart tests kill: the real server in a process of its own, its store from the
// environment (RILL_STORE, RILL_DATA_DIR, DATABASE_URL), the restart graphs' checkpoints in
// RESTART_CHECKPOINTS (a SQLite file, or a postgres:// URL). RESTART_HANG_AT=k hangs "steps" in step k;
// CHECKPOINTS_NEVER_SAVED=1 saves no checkpoint (unsavedCheckpoints.ts).
// Prints `listening <url>` once it listens.
import type { BaseCheckpointSaver } from "../../../lib/graph/checkpoint/base";
import { PostgresSaver } from "../../../lib/graph/checkpoint/postgres";
import { SqliteSaver } from "../../../lib/graph/checkpoint/sqlite";
import { createRillServer } from "../../rillServer";
import { approveGraph, stepsGraph } from "./restartGraphs";
import { saverFromEnv } from "./unsavedCheckpoints";

const where = process.env.RESTART_CHECKPOINTS!;
let checkpointer: BaseCheckpointSaver;
if (/^postgres/.test(where)) {
  const saver = new PostgresSaver({ connectionString: where });
  await saver.setup();
  checkpointer = saver;
} else {
  checkpointer = new SqliteSaver(where);
}
const hangAt = process.env.RESTART_HANG_AT ? Number(process.env.RESTART_HANG_AT) : null;
const server = await createRillServer({
  next: false,
  env: { ...process.env, OPENAI_API_KEY: "", OPENAI_BASE_URL: "" },
  graphs: [stepsGraph(saverFromEnv(checkpointer), hangAt), approveGraph(saverFromEnv(checkpointer))],
  config: { port: 0, host: "127.0.0.1", logLevel: "warn", shutdownTimeoutMs: 2000 },
});
process.stdout.write(`listening ${server.url}\n`);
process.on("SIGTERM", () => {
  void server.close().then(() => process.exit(0));
});
