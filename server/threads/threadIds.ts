// The shapes of thread and checkpoint ids in procedure inputs (no other imports: procedureInputs.ts and
// threadInputs.ts both use them).
import { z } from "zod";

/** Thread ids: LangGraph's are UUIDs; any 8 to 64 letters, digits, '-' or '_' will do. */
export const threadIdSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, "must be 8 to 64 letters, digits, '-' or '_' (a UUID will do)");
export const checkpointIdSchema = z.string().min(1).max(100);

/** What a run started on a thread that has a run running does (runs.stream's multitaskStrategy; threadRuns.ts). */
export const MULTITASK_STRATEGIES = ["reject", "enqueue", "interrupt", "rollback"] as const;
export type MultitaskStrategy = (typeof MULTITASK_STRATEGIES)[number];
