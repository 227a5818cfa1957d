// A node's `timeout`: a number (a hard cap per attempt, ms) or `{ runTimeout, idleTimeout, refreshOn }`.
// `idleTimeout` fires when the node made no progress for that long: progress is `config.heartbeat()`,
// and with `refreshOn: "auto"` (the default) also every chunk the node writes with `config.writer`.

export interface TimeoutPolicy {
  /** Milliseconds an attempt may take in all. */
  runTimeout?: number;
  /** Milliseconds an attempt may go without progress. */
  idleTimeout?: number;
  /** What counts as progress for `idleTimeout`: `"auto"` (heartbeats and writes) or `"heartbeat"` only. */
  refreshOn?: "auto" | "heartbeat";
}

function positive(value: unknown, field: string, where: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || Number.isNaN(value) || value <= 0) throw new Error(`${where}${field} must be greater than 0, got ${String(value)}`);
  return value;
}

/**
 * The policy a `timeout` option means, undefined for none (an empty policy is none). Throws, naming
 * `where` (e.g. `Node "a": `), for a non-positive timeout or an unknown `refreshOn`.
 */
export function coerceTimeoutPolicy(value?: number | TimeoutPolicy, where = ""): TimeoutPolicy | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" && typeof value !== "object") throw new Error(`${where}timeout must be a number of milliseconds or { runTimeout, idleTimeout, refreshOn }, got ${typeof value}`);
  const policy: TimeoutPolicy = typeof value === "number" ? { runTimeout: positive(value, "timeout", where) } : value;
  const refreshOn = policy.refreshOn ?? "auto";
  if (refreshOn !== "auto" && refreshOn !== "heartbeat") throw new Error(`${where}refreshOn must be "auto" or "heartbeat"`);
  const runTimeout = positive(policy.runTimeout, "runTimeout", where);
  const idleTimeout = positive(policy.idleTimeout, "idleTimeout", where);
  if (runTimeout === undefined && idleTimeout === undefined) return undefined;
  return { runTimeout, idleTimeout, refreshOn };
}
