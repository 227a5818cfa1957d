// Where threads are recorded: a thread is a conversation (a graph's state carried from run to run in the
// checkpointer), and its record here says what it is (graph, owner, metadata, times) and its status, a
// projection of its runs: busy while one runs, interrupted while one waits for a resume, error when the
// last one failed, else idle. One interface, one implementation per folder (stores/memory, sqlite,
// postgres), all held to the same cases (stores/threadStore.cases.ts).

export const THREAD_STATUSES = ["idle", "busy", "interrupted", "error"] as const;
export type ThreadStatus = (typeof THREAD_STATUSES)[number];

export interface ThreadRecord {
  threadId: string;
  graphId: string;
  /** The identity that created it (with auth); undefined without auth. */
  owner?: string;
  /** Milliseconds since the epoch. */
  createdAt: number;
  updatedAt: number;
  metadata: Record<string, unknown>;
  status: ThreadStatus;
}

export interface NewThread {
  threadId: string;
  graphId: string;
  owner?: string;
  metadata?: Record<string, unknown>;
  /** Default: now. */
  createdAt?: number;
}

export interface ThreadListQuery {
  graphId?: string;
  status?: ThreadStatus;
  /** Only this identity's threads. */
  owner?: string;
  limit: number;
  /** Threads to skip (newest first). */
  offset?: number;
}

export class ThreadExistsError extends Error {
  override name = "ThreadExistsError";
  constructor(readonly threadId: string) {
    super(`thread "${threadId}" already exists`);
  }
}

export interface ThreadStore {
  /** Records a new thread, idle; throws ThreadExistsError when the id is taken. */
  create(thread: NewThread): Promise<ThreadRecord>;
  get(threadId: string): Promise<ThreadRecord | undefined>;
  /** Sets the status (and updatedAt); false when there is no such thread. */
  setStatus(threadId: string, status: ThreadStatus, at?: number): Promise<boolean>;
  /** Marks the thread changed now (its state was updated); false when there is no such thread. */
  touch(threadId: string, at?: number): Promise<boolean>;
  /** Newest first (by creation), filtered. */
  list(query: ThreadListQuery): Promise<ThreadRecord[]>;
  /** How many threads there are. */
  count(): Promise<number>;
  /** The oldest threads (by creation) whose status is one of `statuses`, oldest first: retention's candidates. */
  oldest(limit: number, statuses: readonly ThreadStatus[]): Promise<ThreadRecord[]>;
  /** Forgets the thread; false when there was none. */
  delete(threadId: string): Promise<boolean>;
  close(): Promise<void>;
}
