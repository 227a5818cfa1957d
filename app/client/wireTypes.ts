// The run events as they arrive in the browser: tRPC infers them from `AppRouter` as the JSON-serialized
// form of RunEvent (e.g. an `unknown` field becomes optional, since JSON drops undefined). The client
// store is typed on this, so nothing between the server's router and the panels needs a cast.
import type { RouterOutputs } from "./trpcClient";

/** What `runs.stream` delivers: `{ id: "<runId>:<seq>", data: event }`. */
export type TrackedRunEvent = RouterOutputs["runs"]["stream"] extends AsyncIterable<infer T> ? T : never;
export type WireRunEvent = TrackedRunEvent["data"];
/** What `runs.streamBatches` delivers: `{ id: <id of the last event>, data: { runId, firstSeq, events } }`. */
export type TrackedRunEventBatch = RouterOutputs["runs"]["streamBatches"] extends AsyncIterable<infer T> ? T : never;
export type WireRunEventBatch = TrackedRunEventBatch["data"];
export type WireEventKind = WireRunEvent[0];
/** The chunk of one kind of event, e.g. `WireChunk<"debug">`. */
export type WireChunk<K extends WireEventKind> = Extract<WireRunEvent, [K, unknown]>[1];

export type WireMetadata = WireChunk<"metadata">;
export type WireStatus = WireChunk<"status">;
export type WireInterrupt = NonNullable<WireStatus["interrupts"]>[number];
export type WireTaskError = WireChunk<"error">;
export type WireDebug = WireChunk<"debug">;
export type WireTaskStart = Extract<WireDebug, { type: "task" }>["payload"];
export type WireTaskResult = Extract<WireDebug, { type: "task_result" }>["payload"];
export type WireCheckpoint = Extract<WireDebug, { type: "checkpoint" }>["payload"];
export type WireValues = WireChunk<"values">;
export type WireUpdates = WireChunk<"updates">;
export type WireMessage = WireChunk<"messages">[0];
export type WireMessageMetadata = WireChunk<"messages">[1];
export type WireToolCallChunk = Extract<WireMessage, { type: "AIMessageChunk" }>["tool_call_chunks"][number];
export type WireUsage = NonNullable<Extract<WireMessage, { type: "AIMessageChunk" }>["usage_metadata"]>;
export type WireStreamMode = WireMetadata["stream_mode"][number];
export type WireRunStatus = WireStatus["status"];
