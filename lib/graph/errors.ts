// Errors with LangGraph.js's names, messages and `lc_error_code`s, so `catch` blocks written for
// LangGraph keep working (they test `e.name` or `instanceof`).
import type { Interrupt } from "./types";

const TROUBLESHOOTING = "https://docs.langchain.com/oss/javascript/langgraph";

export class BaseLangGraphError extends Error {
  lc_error_code?: string;
  constructor(message?: string, fields?: { lc_error_code?: string }) {
    let text = message ?? "";
    if (fields?.lc_error_code) text += `\n\nTroubleshooting URL: ${TROUBLESHOOTING}/${fields.lc_error_code}/\n`;
    super(text);
    this.lc_error_code = fields?.lc_error_code;
  }
}

export class GraphRecursionError extends BaseLangGraphError {
  constructor(message?: string, fields?: { lc_error_code?: string }) {
    super(message, fields);
    this.name = "GraphRecursionError";
  }
}

export class GraphValueError extends BaseLangGraphError {
  constructor(message?: string, fields?: { lc_error_code?: string }) {
    super(message, fields);
    this.name = "GraphValueError";
  }
}

export class InvalidUpdateError extends BaseLangGraphError {
  constructor(message?: string, fields?: { lc_error_code?: string }) {
    super(message, fields);
    this.name = "InvalidUpdateError";
  }
}

export class EmptyInputError extends BaseLangGraphError {
  constructor(message?: string, fields?: { lc_error_code?: string }) {
    super(message, fields);
    this.name = "EmptyInputError";
  }
}

export class UnreachableNodeError extends BaseLangGraphError {
  constructor(message?: string, fields?: { lc_error_code?: string }) {
    super(message, fields);
    this.name = "UnreachableNodeError";
  }
}

/** Thrown by `interrupt()` inside a node; the engine catches it and stops the run at that step. */
export class GraphInterrupt extends BaseLangGraphError {
  interrupts: Interrupt[];
  constructor(interrupts: Interrupt[] = [], fields?: { lc_error_code?: string }) {
    super(JSON.stringify(interrupts, null, 2), fields);
    this.name = "GraphInterrupt";
    this.interrupts = interrupts;
  }
}

/** Raised by a node to interrupt the run with a message (LangGraph.js's legacy form of `interrupt()`). */
export class NodeInterrupt extends GraphInterrupt {
  constructor(message: unknown, fields?: { lc_error_code?: string }) {
    // No id: LangGraph.js's NodeInterrupt entries carry only the value (Interrupt's `id` is absent here).
    super([{ value: message } as Interrupt], fields);
    this.name = "NodeInterrupt";
  }
}

export function isGraphInterrupt(e: unknown): e is GraphInterrupt {
  return e instanceof GraphInterrupt || (e instanceof Error && (e.name === "GraphInterrupt" || e.name === "NodeInterrupt"));
}

export function recursionError(limit: number): GraphRecursionError {
  return new GraphRecursionError(
    `Recursion limit of ${limit} reached without hitting a stop condition. You can increase the limit by setting the "recursionLimit" config key.`,
    { lc_error_code: "GRAPH_RECURSION_LIMIT" },
  );
}

/** The error a cancelled run throws: the signal's reason when it is an error, else a DOM-style AbortError. */
export function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) return reason;
  const error = new Error(reason === undefined ? "This operation was aborted" : String(reason));
  error.name = "AbortError";
  return error;
}

/**
 * Raised inside a subgraph by a node returning `new Command({ graph: Command.PARENT, ... })`: the
 * subgraph stops and its task in the parent graph applies the command (update and goto) instead.
 */
export class ParentCommand extends Error {
  constructor(readonly command: { update?: unknown; goto: unknown[]; resume?: unknown }) {
    super("");
    this.name = "ParentCommand";
  }
}

/** A channel read before anything was written to it (LangGraph.js's standalone channel API). */
export class EmptyChannelError extends BaseLangGraphError {
  constructor(message?: string, fields?: { lc_error_code?: string }) {
    super(message, fields);
    this.name = "EmptyChannelError";
  }
}

/** An error a remote graph (RemoteGraph) reported in its stream. */
export class RemoteException extends BaseLangGraphError {
  constructor(message?: string, fields?: { lc_error_code?: string }) {
    super(message, fields);
    this.name = "RemoteException";
  }
}
