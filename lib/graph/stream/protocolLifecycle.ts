// streamEvents v3's "lifecycle" events (LangGraph.js's): the root graph `running` first, each subgraph namespace
// `started` right before its first event and `completed` right after its parent's task result for it (shown
// before the next event), and at the end every namespace still started, then the root, `completed` (an interrupted run's
// too, as LangGraph.js) or `failed` (the root's with the error's message). `graph_name` is "root" or the namespace segment's node name.
import type { Namespace } from "../types";

export type LifecycleStatus = "running" | "started" | "completed" | "failed";

interface Tracked {
  namespace: string[];
  status: LifecycleStatus;
}

const ROOT_GRAPH_NAME = "root";

function graphName(namespace: readonly string[]): string {
  if (namespace.length === 0) return ROOT_GRAPH_NAME;
  const last = namespace[namespace.length - 1];
  const colon = last.indexOf(":");
  return colon === -1 ? last : last.slice(0, colon);
}

/** The task a "tasks" result payload finished (LangGraph.js skips internal `__` tasks). */
function finishedTask(data: unknown): { name: string; id: string } | undefined {
  if (typeof data !== "object" || data === null || !("result" in data)) return undefined;
  const { name, id } = data as { name?: unknown; id?: unknown };
  if (typeof name !== "string" || typeof id !== "string" || name.startsWith("__")) return undefined;
  return { name, id };
}

export class ProtocolLifecycle {
  private readonly tracked = new Map<string, Tracked>();
  /** Subgraph namespaces whose parent task finished: shown `completed` before the next event. */
  private pending: string[][] = [];

  constructor(private readonly emit: (namespace: string[], data: Record<string, unknown>) => void) {
    this.set([], "running");
  }

  /** Before an event of `namespace` is shown. */
  before(namespace: Namespace): void {
    this.flush();
    if (namespace.length === 0 || this.tracked.has(namespace.join("|"))) return;
    for (let length = 1; length <= namespace.length; length++) {
      const prefix = namespace.slice(0, length);
      if (!this.tracked.has(prefix.join("|"))) this.set(prefix, "started");
    }
  }

  /** After an event is shown: a task result finishes the subgraph run under that task. */
  after(namespace: Namespace, method: string, data: unknown): void {
    if (method !== "tasks") return;
    const task = finishedTask(data);
    if (task === undefined) return;
    const child = [...namespace, `${task.name}:${task.id}`];
    const key = child.join("|");
    if (this.tracked.get(key)?.status === "started" && !this.pending.some((p) => p.join("|") === key)) this.pending.push(child);
  }

  /** The run ended: namespaces still started, then the root, end with `status`. */
  finish(status: "completed" | "failed", error?: unknown): void {
    // A failed run's subgraphs fail with it, even one whose parent task reported (its error) already.
    if (status === "failed") this.pending = [];
    else this.flush();
    for (const entry of [...this.tracked.values()]) if (entry.namespace.length > 0 && entry.status === "started") this.set(entry.namespace, status);
    this.set([], status, error === undefined ? undefined : errorMessage(error));
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    const done = this.pending;
    this.pending = [];
    for (const namespace of done) if (this.tracked.get(namespace.join("|"))?.status === "started") this.set(namespace, "completed");
  }

  private set(namespace: string[], status: LifecycleStatus, error?: string): void {
    const key = namespace.join("|");
    const entry = this.tracked.get(key);
    if (entry === undefined) this.tracked.set(key, { namespace, status });
    else entry.status = status;
    this.emit(namespace, { event: status, graph_name: graphName(namespace), ...(error !== undefined ? { error } : {}) });
  }
}

function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === "string") return error;
  try {
    return JSON.stringify(error);
  } catch {
    return String(error);
  }
}
