// Rill's SqliteSaver with its commit thread (the default for a file) against LangGraph's checkpoint-validation
// suite, in a temporary file per checkpointer.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { validate } from "@langchain/langgraph-checkpoint-validation";
import type { BaseCheckpointSaver as LangGraphSaver } from "@langchain/langgraph-checkpoint";
import { SqliteSaver } from "../sqlite/sqliteSaver";

const dir = mkdtempSync(join(tmpdir(), "rill-sqlite-thread-validation-"));
let n = 0;

validate<LangGraphSaver>({
  checkpointerName: "Rill SqliteSaver (commit thread)",
  createCheckpointer: (): LangGraphSaver => new SqliteSaver(join(dir, `v${++n}.db`)),
  destroyCheckpointer: async (saver) => (saver as unknown as SqliteSaver).close(),
  afterAll: () => rmSync(dir, { recursive: true, force: true }),
});
