// Drives one run for the page: starts it (or joins it by id), feeds every received event to the store,
// cancels and resumes it. Knows tRPC and the store, not React.
//
// Reload strategy: on pagehide the events received so far are saved to sessionStorage (runPersistence);
// joining a run first restores them and subscribes with the last event id, so the server sends only what
// followed. Without a saved copy the join replays the run from the server's log. Either way the store
// drops events at or before the last one applied, so a token is never shown twice; and wsLink's own
// resubscribe after a dropped socket sends `lastEventId` too, continuing the same run.
import type { StreamMode } from "../../lib/graph/types";
import { isTerminalStatus } from "../../lib/run/runStatus";
import { newClientRunId } from "./clientRunId";
import type { LiveRunStore } from "./liveRunStore";
import { saveRun, takeSavedRun } from "./runPersistence";
import type { RunFeed } from "./runFeed";
import type { RillTRPC, StreamInput } from "./trpcClient";

export interface StartRun {
  graphId: string;
  input: unknown;
  streamMode: StreamMode[];
  /** Also stream the events of subgraphs, each with its namespace. */
  subgraphs?: boolean;
  config?: { recursionLimit?: number };
  /** Continue this thread (its latest checkpoint, or `checkpointId`: a fork from a past one). */
  threadId?: string;
  checkpointId?: string;
}

export interface RunSessionHooks {
  /** The server named the run (first event): the page puts it in the URL. */
  onRunId(runId: string, startedHere: boolean): void;
  /** The server refused to start (bad input, too many runs) or to join (unknown run) the run. */
  onRejected(message: string, startedHere: boolean): void;
  /** The server refused the call for want of a (valid) token: UNAUTHORIZED or FORBIDDEN. */
  onRefused?(message: string): void;
}

export class RunSession {
  private unsubscribe: (() => void) | null = null;
  private startedHere = false;

  constructor(
    private readonly trpc: RillTRPC,
    private readonly feed: RunFeed,
    private readonly store: LiveRunStore,
    private readonly hooks: RunSessionHooks,
  ) {}

  start(run: StartRun): void {
    this.stop();
    this.store.reset("connecting");
    this.startedHere = true;
    // A run id of our own makes the start idempotent (see clientRunId.ts).
    this.follow({
      graphId: run.graphId,
      input: run.input,
      streamMode: run.streamMode,
      ...(run.subgraphs ? { subgraphs: true } : {}),
      runId: newClientRunId(),
      ...(run.config ? { config: run.config } : {}),
      ...(run.threadId ? { threadId: run.threadId } : {}),
      ...(run.threadId && run.checkpointId ? { checkpointId: run.checkpointId } : {}),
    });
  }

  join(runId: string): void {
    this.stop();
    this.store.reset("connecting");
    this.startedHere = false;
    const saved = safeStorage() ? takeSavedRun(safeStorage()!, runId) : null;
    if (saved && saved.length > 0) this.store.restore(saved);
    const lastEventId = this.store.data.lastEventId;
    this.follow(lastEventId ? { runId, lastEventId } : { runId });
  }

  async cancel(): Promise<void> {
    const runId = this.store.data.runId;
    if (!runId) return;
    await this.trpc.runs.cancel.mutate({ runId });
  }

  async resume(value: unknown): Promise<void> {
    const runId = this.store.data.runId;
    if (!runId) return;
    await this.trpc.runs.resume.mutate({ runId, resume: value });
  }

  /** Saves what this tab received, for a reload to continue from (see the file comment). */
  persist(): void {
    const storage = safeStorage();
    if (storage && this.store.data.runId && this.store.data.events.length > 0) saveRun(storage, this.store.data);
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  private follow(input: StreamInput): void {
    this.unsubscribe = this.feed.subscribe(input, {
      onEvents: (events) => {
        for (const [id, data] of events) {
          const applied = this.store.ingest(id, data);
          if (applied && data[0] === "metadata") this.hooks.onRunId(data[1].run_id, this.startedHere);
        }
      },
      onError: (error, code) => {
        const message = error || "The server refused the run";
        if (code === "UNAUTHORIZED" || code === "FORBIDDEN") this.hooks.onRefused?.(message);
        this.store.setFailure(message);
        if (!this.store.data.runId) {
          this.store.setStatus("idle");
          this.hooks.onRejected(message, this.startedHere);
        }
      },
      onComplete: () => {
        // The server completes the subscription when the run ends; its status event came just before.
        this.unsubscribe = null;
        if (!isTerminalStatus(this.store.data.status)) this.store.setFailure("The server closed the stream before the run ended.");
      },
    });
  }
}

function safeStorage(): Storage | null {
  try {
    return typeof sessionStorage === "undefined" ? null : sessionStorage;
  } catch {
    return null;
  }
}
