// The inputs of the thread procedures (threads.*), each a parser function like server/procedureInputs.ts:
// a bad input is a BAD_REQUEST naming the field and the limit.
import { z } from "zod";
import { parseWith } from "../procedureInputs";
import { checkpointIdSchema, threadIdSchema } from "./threadIds";
import { THREAD_STATUSES, type ThreadStatus } from "./threadStore";


/** Most threads one threads.list call returns, and the default. */
export const MAX_THREAD_LIST = 500;
export const DEFAULT_THREAD_LIST = 50;
/** Most checkpoints one threads.history call returns, and the default. */
export const MAX_HISTORY = 100;
export const DEFAULT_HISTORY = 10;
/** A thread's metadata, as JSON characters. */
export const MAX_METADATA_CHARS = 16_384;

const metadataSchema = z
  .record(z.string().max(100), z.unknown())
  .refine((value) => JSON.stringify(value).length <= MAX_METADATA_CHARS, `is over ${MAX_METADATA_CHARS} characters of JSON`);

export interface CreateThreadInput {
  graphId: string;
  /** Your own id for it (default: a new UUID). */
  threadId?: string;
  metadata?: Record<string, unknown>;
}

export interface ThreadIdInput {
  threadId: string;
}

export interface ListThreadsInput {
  graphId?: string;
  status?: ThreadStatus;
  /** 1..500, default 50. */
  limit?: number;
  offset?: number;
}

export interface ThreadHistoryInput {
  threadId: string;
  /** 1..100, default 10. */
  limit?: number;
  /** Only checkpoints older than this one (paging back). */
  before?: string;
}

export interface UpdateThreadInput {
  threadId: string;
  /** Written as if node `asNode` had returned them (through the state's reducers). */
  values: unknown;
  asNode?: string;
  /** Update from this past checkpoint instead of the latest: a fork. */
  checkpointId?: string;
}

const createSchema = z.strictObject({ graphId: z.string().min(1).max(100), threadId: threadIdSchema.optional(), metadata: metadataSchema.optional() });
const idSchema = z.strictObject({ threadId: threadIdSchema });
const listSchema = z
  .strictObject({
    graphId: z.string().max(100).optional(),
    status: z.enum(THREAD_STATUSES).optional(),
    limit: z.number().int().min(1).max(MAX_THREAD_LIST).optional(),
    offset: z.number().int().min(0).max(1_000_000).optional(),
  })
  .optional();
const historySchema = z.strictObject({ threadId: threadIdSchema, limit: z.number().int().min(1).max(MAX_HISTORY).optional(), before: checkpointIdSchema.optional() });
const updateSchema = z.strictObject({ threadId: threadIdSchema, values: z.unknown(), asNode: z.string().min(1).max(100).optional(), checkpointId: checkpointIdSchema.optional() });

export const createThreadInput = (raw: unknown): CreateThreadInput => parseWith(createSchema, raw, "threads.create");
export const getThreadInput = (raw: unknown): ThreadIdInput => parseWith(idSchema, raw, "threads.get");
export const deleteThreadInput = (raw: unknown): ThreadIdInput => parseWith(idSchema, raw, "threads.delete");
export const listThreadsInput = (raw: unknown): ListThreadsInput | undefined => parseWith(listSchema, raw, "threads.list");
export const threadHistoryInput = (raw: unknown): ThreadHistoryInput => parseWith(historySchema, raw, "threads.history");
export const updateThreadInput = (raw: unknown): UpdateThreadInput => parseWith(updateSchema, raw, "threads.update") as UpdateThreadInput;
