// The inputs of the router's procedures, each a parser function: tRPC takes its return type as the
// procedure's input type (so clients see precise types), and a bad input fails with a BAD_REQUEST whose
// message names the field ("streamMode.1: Invalid option: ..."), not a dump of zod issues.
// Run inputs are validated again per graph by the run manager.
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { STREAM_MODES, type StreamMode } from "../lib/graph/types";
import { RUN_STATUSES, type RunStatus } from "../lib/run/runStatus";
import { runIdSchema } from "./runs/runId";
import { checkpointIdSchema, MULTITASK_STRATEGIES, threadIdSchema, type MultitaskStrategy } from "./threads/threadIds";

/** What `runs.stream` streams when the client does not say. */
export const DEFAULT_STREAM_MODES: StreamMode[] = ["values", "updates", "custom", "messages", "debug"];

export interface RunConfigInput {
  /** Steps before the run fails with GraphRecursionError (engine default 25). */
  recursionLimit?: number;
  /** Passed to nodes as config.configurable; `thread_id` and `checkpoint_id` are set by the server (give threadId, checkpointId). */
  configurable?: Record<string, unknown>;
}

/** Starts a run. After a reconnect wsLink resends this with `lastEventId`, which then joins the run. */
export interface StartRunInput {
  graphId: string;
  input: unknown;
  /** Default: values, updates, custom, messages, debug. */
  streamMode?: StreamMode[];
  /**
   * Also stream the events of subgraphs (default false). Their events carry the namespace as a third
   * element, `[mode, chunk, ["writers_room:<taskId>"]]`; root events stay `[mode, chunk]`.
   */
  subgraphs?: boolean;
  config?: RunConfigInput;
  /** Optional id chosen by the client; starting again with the same id joins the run. */
  runId?: string;
  /** Continue this thread's state (multi-turn); without it the run gets a new thread, named in its metadata (thread_id). */
  threadId?: string;
  /** With threadId: start from this past checkpoint of the thread instead of its latest (a fork). */
  checkpointId?: string;
  /**
   * When the thread has a run running: "reject" (default, CONFLICT naming it), "enqueue" (start after it
   * ends), "interrupt" (cancel it, keep its progress) or "rollback" (cancel it and drop its checkpoints).
   */
  multitaskStrategy?: MultitaskStrategy;
  lastEventId?: string | null;
}

/** Joins a run: replays it from the start (or after `lastEventId`), then follows it live. */
export interface JoinRunInput {
  runId: string;
  lastEventId?: string | null;
}

export type StreamRunInput = StartRunInput | JoinRunInput;

/** The longest wait between live batches a subscriber may ask for. */
export const MAX_BATCH_INTERVAL_MS = 1_000;

/**
 * runs.streamBatches takes runs.stream's input plus how far apart live batches should be: a screen that
 * paints once a frame gains nothing from batches more often than that, and each one costs the socket,
 * the browser and the page.
 */
export type StreamBatchesInput = StreamRunInput & {
  /** Least time between two live batches, ms (0–1000; the server's default is 4). A replay is never held back. */
  batchIntervalMs?: number;
};

export interface ResumeRunInput {
  runId: string;
  /** The value the interrupted node's interrupt() call returns (or a map interrupt id -> value). */
  resume: unknown;
}

export interface CancelRunInput {
  runId: string;
  reason?: string;
}

export interface ListRunsInput {
  status?: RunStatus;
  graphId?: string;
  /** 1..500, default 50. */
  limit?: number;
}

function describeIssues(error: z.ZodError, root: string): string {
  return error.issues
    .map((issue) => {
      const path = [root, ...issue.path.map(String)].filter(Boolean).join(".");
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join("; ");
}

export function parseWith<T>(schema: z.ZodType<T>, raw: unknown, what: string): T {
  const result = schema.safeParse(raw);
  if (!result.success) {
    throw new TRPCError({ code: "BAD_REQUEST", message: `${what}: ${describeIssues(result.error, "")}`, cause: result.error });
  }
  return result.data;
}

/**
 * How deeply objects and arrays may nest in a run's input, config or resume value. JSON.parse takes any
 * depth, but JSON.stringify, structured copies and most code that walks a value recurse, and run out of
 * stack somewhere past a few thousand levels; no graph's state needs more than a few dozen.
 */
export const MAX_INPUT_DEPTH = 100;

/** Whether `value` nests objects and arrays deeper than `limit`: walked with a stack, not by recursion. */
function nestsDeeperThan(value: unknown, limit: number): boolean {
  const pending: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }];
  while (pending.length > 0) {
    const { value: current, depth } = pending.pop()!;
    if (typeof current !== "object" || current === null) continue;
    if (depth + 1 > limit) return true;
    for (const child of Array.isArray(current) ? current : Object.values(current)) {
      if (typeof child === "object" && child !== null) pending.push({ value: child, depth: depth + 1 });
    }
  }
  return false;
}

/**
 * Throws PAYLOAD_TOO_LARGE when `value` is over the limit, BAD_REQUEST when it nests deeper than
 * MAX_INPUT_DEPTH. Called from the procedures, not the parsers: tRPC turns whatever an input parser
 * throws into BAD_REQUEST.
 */
export function checkInputSize(value: unknown, field: string, maxBytes: number): void {
  if (value === undefined) return;
  if (nestsDeeperThan(value, MAX_INPUT_DEPTH)) {
    throw new TRPCError({
      code: "BAD_REQUEST",
      message: `${field}: objects and arrays nest deeper than this server's limit of ${MAX_INPUT_DEPTH} levels`,
    });
  }
  let size: number;
  try {
    size = JSON.stringify(value).length;
  } catch {
    throw new TRPCError({ code: "BAD_REQUEST", message: `${field}: is not JSON` });
  }
  if (size > maxBytes) {
    throw new TRPCError({
      code: "PAYLOAD_TOO_LARGE",
      message: `${field} is ${size} characters of JSON; this server's limit is ${maxBytes} (RILL_MAX_INPUT_BYTES)`,
    });
  }
}

const eventIdSchema = z.string().max(200).nullish();
const streamModeSchema = z.enum(STREAM_MODES as [StreamMode, ...StreamMode[]]);

const configSchema = z.strictObject({
  recursionLimit: z.number().int().min(1).optional(),
  configurable: z
    .record(z.string(), z.unknown())
    .refine((value) => !("thread_id" in value), "thread_id is set by the server: give threadId to run on a thread")
    .refine((value) => !("checkpoint_id" in value), "checkpoint_id is set by the server: give threadId and checkpointId to start from a checkpoint")
    .optional(),
});

const startSchema = z.strictObject({
  graphId: z.string().min(1).max(100),
  input: z.unknown(),
  streamMode: z
    .array(streamModeSchema)
    .min(1, "give at least one mode, or leave streamMode out for the default")
    .refine((modes) => new Set(modes).size === modes.length, "lists a mode twice")
    .optional(),
  subgraphs: z.boolean().optional(),
  config: configSchema.optional(),
  runId: runIdSchema.optional(),
  threadId: threadIdSchema.optional(),
  checkpointId: checkpointIdSchema.optional(),
  multitaskStrategy: z.enum(MULTITASK_STRATEGIES).optional(),
  lastEventId: eventIdSchema,
});

const joinSchema = z.strictObject({ runId: runIdSchema, lastEventId: eventIdSchema });

export function streamRunInput() {
  return (raw: unknown): StreamRunInput => {
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
      throw new TRPCError({ code: "BAD_REQUEST", message: "runs.stream: expected { graphId, input, ... } to start a run or { runId } to join one" });
    }
    if ("graphId" in raw) return parseWith(startSchema, raw, "runs.stream") as StartRunInput;
    if ("runId" in raw) return parseWith(joinSchema, raw, "runs.stream");
    throw new TRPCError({ code: "BAD_REQUEST", message: "runs.stream: give graphId (and input) to start a run, or runId to join one" });
  };
}

const batchOptionsSchema = z.strictObject({ batchIntervalMs: z.number().int().min(0).max(MAX_BATCH_INTERVAL_MS).optional() });

export function streamBatchesInput() {
  const parseRun = streamRunInput();
  return (raw: unknown): StreamBatchesInput => {
    if (typeof raw !== "object" || raw === null || !("batchIntervalMs" in raw)) return parseRun(raw);
    const { batchIntervalMs, ...run } = raw;
    const options = parseWith(batchOptionsSchema, { batchIntervalMs }, "runs.streamBatches");
    return { ...parseRun(run), ...options };
  };
}

const resumeSchema = z.strictObject({ runId: runIdSchema, resume: z.unknown() });

export function resumeRunInput() {
  return (raw: unknown): ResumeRunInput => {
    const parsed = parseWith(resumeSchema, raw, "runs.resume");
    if (parsed.resume === undefined) throw new TRPCError({ code: "BAD_REQUEST", message: "runs.resume: resume: give the value to resume with" });
    return parsed;
  };
}

const cancelSchema = z.strictObject({ runId: runIdSchema, reason: z.string().max(500).optional() });

export function cancelRunInput(raw: unknown): CancelRunInput {
  return parseWith(cancelSchema, raw, "runs.cancel");
}

const getSchema = z.strictObject({ runId: runIdSchema });

export function getRunInput(raw: unknown): { runId: string } {
  return parseWith(getSchema, raw, "runs.get");
}

const listSchema = z
  .strictObject({
    status: z.enum(RUN_STATUSES).optional(),
    graphId: z.string().max(100).optional(),
    limit: z.number().int().min(1).max(500).optional(),
  })
  .optional();

export function listRunsInput(raw: unknown): ListRunsInput | undefined {
  return parseWith(listSchema, raw, "runs.list");
}
