// The errors of the per-node options: a node's attempt running past its `timeout` (NodeTimeoutError),
// the failure an `errorHandler` receives (NodeError), and a run stopped by `RunControl.requestDrain()`
// (GraphDrained). Names and messages are LangGraph.js's, so `catch` blocks written for it keep working.
import { BaseLangGraphError } from "../errors";

export interface NodeTimeoutFields {
  node: string;
  /** Milliseconds since the attempt started, when the timeout fired. */
  elapsed: number;
  /** `"run"`: the hard cap fired; `"idle"`: the node made no progress for `idleTimeout`. */
  kind: "run" | "idle";
  runTimeout?: number;
  idleTimeout?: number;
}

/** A node's attempt outlived its `timeout`. Retried under the node's retry policy like any failure. */
export class NodeTimeoutError extends BaseLangGraphError {
  node: string;
  kind: "run" | "idle";
  /** The timeout that fired (`runTimeout` or `idleTimeout`), in milliseconds. */
  timeout: number;
  elapsed: number;
  runTimeout?: number;
  idleTimeout?: number;

  constructor(fields: NodeTimeoutFields, errorFields?: { lc_error_code?: string }) {
    const { node, elapsed, kind, runTimeout, idleTimeout } = fields;
    let timeout: number;
    let message: string;
    if (kind === "idle") {
      if (idleTimeout === undefined) throw new Error("idleTimeout is required when kind='idle'");
      timeout = idleTimeout;
      message = `Node "${node}" exceeded its idle timeout of ${idleTimeout}ms without making progress (elapsed: ${elapsed}ms).`;
    } else {
      if (runTimeout === undefined) throw new Error("runTimeout is required when kind='run'");
      timeout = runTimeout;
      message = `Node "${node}" exceeded its run timeout of ${runTimeout}ms (elapsed: ${elapsed}ms).`;
    }
    super(message, errorFields);
    this.name = "NodeTimeoutError";
    this.node = node;
    this.kind = kind;
    this.timeout = timeout;
    this.elapsed = elapsed;
    this.runTimeout = runTimeout;
    this.idleTimeout = idleTimeout;
  }
}

export function isNodeTimeoutError(e?: unknown): e is NodeTimeoutError {
  return e !== undefined && e !== null && (e as { name?: unknown }).name === "NodeTimeoutError";
}

/** What a node's `errorHandler` receives: the node that failed (after its retries) and its error. */
export class NodeError {
  constructor(
    public node: string,
    public error: Error,
  ) {}
}

export function isNodeError(e?: unknown): e is NodeError {
  return e instanceof NodeError;
}

/** A run stopped at a superstep boundary because its `RunControl` asked it to drain. The thread can be continued. */
export class GraphDrained extends BaseLangGraphError {
  reason: string;
  constructor(reason = "shutdown", fields?: { lc_error_code?: string }) {
    super(`Graph drained: ${reason}`, fields);
    this.name = "GraphDrained";
    this.reason = reason;
  }
}

export function isGraphDrained(e?: unknown): e is GraphDrained {
  return e !== undefined && e !== null && (e as { name?: unknown }).name === "GraphDrained";
}
