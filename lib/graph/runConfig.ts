// What callers pass to invoke/stream, and what a node receives as its second argument.
import type { Callbacks } from "@langchain/core/callbacks/manager";
import type { ExecutionInfo, ServerInfo } from "./pregel/taskConfig";
import type { TaskContext } from "./taskContext";
import type { RunControl } from "./nodeOptions/runControl";
import { TASK_CONTEXT } from "./taskContext";
import type { MessageMetadata, StreamMode } from "./types";

export interface Configurable {
  thread_id?: string;
  checkpoint_id?: string;
  checkpoint_ns?: string;
  [key: string]: unknown;
}

export interface RunConfig {
  /** Default "updates". A list yields [mode, chunk] tuples. */
  streamMode?: StreamMode | readonly StreamMode[];
  /** Also stream the chunks of subgraphs, prefixed by their namespace. */
  subgraphs?: boolean;
  /** Maximum number of supersteps of one run. Default 25. */
  recursionLimit?: number;
  configurable?: Configurable;
  /** Cancels the run; nodes receive it as `config.signal`. */
  signal?: AbortSignal;
  /** The most tasks of one superstep that run at once (default: all of them). */
  maxConcurrency?: number;
  /** A deadline for the whole run, in milliseconds: the run aborts (TimeoutError) and nodes see `config.signal` abort. */
  timeout?: number;
  /**
   * Rill only: the run does not start a new superstep while more than this many chunks are unread
   * (default 1024, see streamBuffer.ts), so a slow consumer slows the run instead of growing memory.
   */
  maxBufferedChunks?: number;
  /** Stop before these nodes run (overrides compile()'s; needs a checkpointer). */
  interruptBefore?: readonly string[];
  /** Stop after these nodes ran (overrides compile()'s; needs a checkpointer). */
  interruptAfter?: readonly string[];
  tags?: string[];
  /** `metadata.run_id` (a string) names the run, as `checkpointRunId` does (LangGraph.js's rule). */
  metadata?: Record<string, unknown>;
  /**
   * Rill only: the id of the (server) run this stream executes. Each checkpoint it saves carries it in its
   * metadata as `run_id`, and a stream given an input (not null, not a Command) on a thread whose latest
   * checkpoint carries the same `run_id` continues from that checkpoint instead of starting over: a run
   * restarted with its original input goes on where it was if it had saved a checkpoint, and starts from
   * its input if not (LangGraph.js's `runIdMatchesPrevious`). With a `checkpoint_id` (a fork), the same:
   * once the thread's latest checkpoint is the run's own, it goes on from there, not from the fork point
   * again. Unlike `metadata.run_id`, not copied into the tasks' metadata.
   */
  checkpointRunId?: string;
  runName?: string;
  /** Cooperative draining: `control.requestDrain()` stops the run at the next superstep boundary (GraphDrained). */
  control?: RunControl;
  /**
   * When checkpoints reach the saver: "async" (default: in the background, awaited before the run ends),
   * "sync" (each step's before the next step starts), "exit" (only when the run ends, stops or fails).
   */
  durability?: "sync" | "async" | "exit";
  /** LangChain callbacks (type only: the engine never imports @langchain/core), passed on to LangChain code. */
  callbacks?: Callbacks;
  [key: string]: unknown;
}

/** The config a node receives: the run's config plus the task's metadata, signal and writer. */
export interface NodeConfig extends RunConfig {
  configurable: Configurable;
  metadata: MessageMetadata;
  /** Streams a chunk in "custom" mode (a no-op when nobody streams it). Always a function. */
  writer: (chunk: unknown) => void;
  signal?: AbortSignal;
  /** Where and how often this node runs: checkpoint, namespace, task id, thread, attempt. */
  readonly executionInfo?: ExecutionInfo;
  /** The run's RunControl (`control.requestDrain()`), the caller's or one of its own. */
  readonly control?: RunControl;
  /** Progress for a node's `idleTimeout` (a no-op without one). */
  heartbeat?: () => void;
  /** The LangGraph Server ids of the run, when the config carries them. */
  readonly serverInfo?: ServerInfo;
  [TASK_CONTEXT]: TaskContext;
}
