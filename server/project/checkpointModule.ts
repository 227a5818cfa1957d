// What `@langchain/langgraph-checkpoint` means to a user graph on Rill's engine (engineMapping.ts): Rill's
// in-memory saver and the checkpoint types. (Rill's BaseCheckpointSaver is an interface, not a class.)
export { MemorySaver } from "../../lib/graph/checkpoint/memory/memorySaver";
export type { BaseCheckpointSaver, Checkpoint, CheckpointMetadata, CheckpointTuple } from "../../lib/graph/checkpoint/base";
