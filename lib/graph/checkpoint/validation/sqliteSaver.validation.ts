// Rill's SqliteSaver committing on the caller's thread (`commitThread: false`) against LangGraph's
// checkpoint-validation suite, in a temporary file per checkpointer.
// Every case runs (none is skipped by name: the saver stores a channel's value per version, as LangGraph's
// PostgresSaver does, so the "only channels in newVersions are stored" case applies and passes).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { validate } from "@langchain/langgraph-checkpoint-validation";
import type { BaseCheckpointSaver as LangGraphSaver } from "@langchain/langgraph-checkpoint";
import { SqliteSaver } from "../sqlite/sqliteSaver";

const dir = mkdtempSync(join(tmpdir(), "rill-sqlite-validation-"));
let n = 0;

validate<LangGraphSaver>({
  checkpointerName: "Rill SqliteSaver (caller's thread)",
  createCheckpointer: (): LangGraphSaver => new SqliteSaver(join(dir, `v${++n}.db`), { commitThread: false }),
  destroyCheckpointer: async (saver) => (saver as unknown as SqliteSaver).close(),
  afterAll: () => rmSync(dir, { recursive: true, force: true }),
});
