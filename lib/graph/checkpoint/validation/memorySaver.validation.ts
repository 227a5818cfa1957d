// Rill's MemorySaver against LangGraph's checkpoint-validation suite. The suite is named after the
// class ("MemorySaver"), so the one case LangGraph skips for its own MemorySaver (storing only the
// channel values named in `newVersions`: a blob-per-version store, which neither MemorySaver is) is
// skipped here too; every other case runs.
import { validate } from "@langchain/langgraph-checkpoint-validation";
import type { BaseCheckpointSaver as LangGraphSaver } from "@langchain/langgraph-checkpoint";
import { MemorySaver } from "../memory/memorySaver";

validate<LangGraphSaver>({
  checkpointerName: "MemorySaver",
  // Typed as LangGraph's saver: Rill's MemorySaver is assignable where LangGraph's type is expected.
  createCheckpointer: (): LangGraphSaver => new MemorySaver(),
});
