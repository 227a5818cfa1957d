// The SQLite saver's commits, on a worker thread of their own: the inserts, the commit and SQLite's WAL
// checkpoints (with their fsyncs) run beside the engine instead of between its steps, which is what
// LangGraph's "async" durability allows (a step's checkpoint is written while the next step runs). The
// worker opens the same file with the same settings. Batches sent back to back share a transaction there
// (as PostgresSaver's do): a full batch leaves it open for the next, so the thread writes a run's rows a
// few dozen at a time while the run goes on, and the run's end waits for its last few rows and one
// commit. Each batch's promise settles once its transaction committed or failed, so the saver's
// guarantees are unchanged.
// The thread does not keep the process alive while it has nothing to commit.
import { createRequire } from "node:module";
import type { EventLoopUtilization } from "node:perf_hooks";
import { Worker } from "node:worker_threads";
import { CHAIN, CHAIN_BYTES, CHAIN_NEXT, PUT, PUT_NEXT, PUT_ROOT, WRITE_NEXT, WRITE_ROOT, type FlatBatch } from "./flatBatch";

/**
 * A transaction holding this many batches commits after the last (a run that never yields to the event loop
 * still commits every 16 batches of 64 operations, about 500 steps, and is answered as it goes).
 */
const MAX_TRANSACTION_BATCHES = 16;
/** How long a transaction left open (a full batch) waits for the next batch before committing anyway. */
const OPEN_TRANSACTION_MS = 5;
/** How long the thread is idle before it runs SQLite's WAL checkpoint. */
const IDLE_CHECKPOINT_MS = 20;

// Plain CommonJS so the worker needs no TypeScript loader; better-sqlite3 is resolved by the parent.
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.filename);
db.pragma("journal_mode = WAL");
db.pragma("synchronous = NORMAL");
db.pragma("busy_timeout = 5000");
db.pragma("cache_size = -16000");
const putCheckpoint = db.prepare(workerData.putCheckpoint);
const keepWrite = db.prepare(workerData.keepWrite);
const replaceWrite = db.prepare(workerData.replaceWrite);
const putRoot = db.prepare(workerData.putRoot);
const keepWriteRoot = db.prepare(workerData.keepWriteRoot);
const replaceWriteRoot = db.prepare(workerData.replaceWriteRoot);
const putChain = db.prepare(workerData.putChain);
const begin = db.prepare("BEGIN IMMEDIATE");
const commit = db.prepare("COMMIT");
const rollback = db.prepare("ROLLBACK");
const apply = (rows) => {
  let thread = null;
  let put = null;
  // The chain being gathered: its thread, first and last ids, parent, body fields, and where in them the
  // last checkpoint's count of writes is.
  let chain = null;
  const endChain = () => {
    putChain.run(chain.thread, chain.first, chain.last, chain.parent, chain.fields.join("\u0000"));
    chain = null;
  };
  for (let i = 0; i < rows.length; ) {
    const tag = rows[i];
    if (chain !== null) {
      if (tag === ${WRITE_NEXT}) {
        chain.fields.push(rows[i + 1], rows[i + 2], rows[i + 3], rows[i + 4]);
        chain.fields[chain.count]++;
        i += 5;
        continue;
      }
      if (tag === ${CHAIN_NEXT}) {
        chain.last = put = rows[i + 1];
        chain.count = chain.fields.push(put, rows[i + 2], rows[i + 3], rows[i + 4], 0) - 1;
        i += 5;
        continue;
      }
      endChain();
    }
    if (tag === ${CHAIN_BYTES}) {
      // A chain written as queued: its body's bytes, stored as text (decoded here, off the engine's thread).
      const body = rows[i + 5];
      putChain.run(rows[i + 1], rows[i + 2], rows[i + 3], rows[i + 4], Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString("utf8"));
      thread = rows[i + 1];
      put = rows[i + 3];
      i += 6;
    } else if (tag === ${CHAIN}) {
      thread = rows[i + 1];
      put = rows[i + 2];
      chain = { thread, first: put, last: put, parent: rows[i + 3], fields: [put, rows[i + 4], rows[i + 5], rows[i + 6], 0], count: 4 };
      i += 7;
    } else if (tag === ${CHAIN_NEXT}) {
      throw new Error("a chained checkpoint's row came with no chain open");
    } else if (tag === ${PUT_NEXT}) {
      putRoot.run(thread, rows[i + 1], put, rows[i + 2], rows[i + 3], rows[i + 4]);
      put = rows[i + 1];
      i += 5;
    } else if (tag === ${WRITE_NEXT}) {
      (rows[i + 2] < 0 ? replaceWriteRoot : keepWriteRoot).run(thread, put, rows[i + 1], rows[i + 2], rows[i + 3], rows[i + 4]);
      i += 5;
    } else if (tag === ${PUT_ROOT}) {
      putRoot.run(rows[i + 1], rows[i + 2], rows[i + 3], rows[i + 4], rows[i + 5], rows[i + 6]);
      thread = rows[i + 1];
      put = rows[i + 2];
      i += 7;
    } else if (tag === ${WRITE_ROOT}) {
      (rows[i + 4] < 0 ? replaceWriteRoot : keepWriteRoot).run(rows[i + 1], rows[i + 2], rows[i + 3], rows[i + 4], rows[i + 5], rows[i + 6]);
      i += 7;
    } else if (tag === ${PUT}) {
      putCheckpoint.run(rows[i + 1], rows[i + 2], rows[i + 3], rows[i + 4], rows[i + 5], rows[i + 6], rows[i + 7], rows[i + 8]);
      thread = null;
      put = null;
      i += 9;
    } else {
      (rows[i + 5] < 0 ? replaceWrite : keepWrite).run(rows[i + 1], rows[i + 2], rows[i + 3], rows[i + 4], rows[i + 5], rows[i + 6], rows[i + 7], rows[i + 8], rows[i + 9]);
      i += 10;
    }
  }
  if (chain !== null) endChain();
};
// SQLite's WAL checkpoint (copying the log into the file, with its fsyncs) runs once the thread has been
// idle for a moment, not inside the commit a run waits for; the automatic one remains as a bound.
db.pragma("wal_autocheckpoint = 10000");
let written = false;
let idleTimer = null;
const checkpointWhenIdle = () => {
  if (idleTimer !== null) clearTimeout(idleTimer);
  idleTimer = setTimeout(() => {
    idleTimer = null;
    if (db.inTransaction) return; // a transaction is open: its commit sets the timer again
    if (written) db.pragma("wal_checkpoint(PASSIVE)");
    written = false;
  }, ${IDLE_CHECKPOINT_MS});
};
// A transaction spans the messages up to one whose "end" is true (or a pause: openTimer; or a bound:
// MAX_TRANSACTION_BATCHES); its messages are answered together, once it committed or failed. After a
// failed one, the messages already sent may build on it: they are refused until "reset".
let failed = false;
let messages = 0;
let failure = null;
// A transaction left open waits this long for the next message, then commits what it holds: the write
// lock is never held for a caller that cannot send its end (one blocked on the same file, say).
let openTimer = null;
const describe = (error) => String(error && error.message ? error.message : error);
parentPort.on("message", (message) => {
  if (message === "close") {
    if (idleTimer !== null) clearTimeout(idleTimer);
    if (openTimer !== null) clearTimeout(openTimer);
    db.close();
    parentPort.close();
    return;
  }
  if (message === "reset") {
    failed = false;
    return;
  }
  if (failed) {
    parentPort.postMessage({ messages: 1, skipped: true });
    return;
  }
  if (openTimer !== null) {
    clearTimeout(openTimer);
    openTimer = null;
  }
  const [rows, end] = message;
  messages++;
  if (failure === null) {
    try {
      if (!db.inTransaction) begin.run();
      apply(rows);
    } catch (error) {
      failure = describe(error);
      if (db.inTransaction) rollback.run();
    }
  }
  if (end || messages >= ${MAX_TRANSACTION_BATCHES}) finish();
  else openTimer = setTimeout(finish, ${OPEN_TRANSACTION_MS});
});
// Commits (or, after a failure, answers) the messages of the transaction so far.
function finish() {
  openTimer = null;
  if (failure === null) {
    try {
      if (db.inTransaction) commit.run();
      written = true;
      checkpointWhenIdle();
    } catch (error) {
      failure = describe(error);
      if (db.inTransaction) rollback.run();
    }
  }
  if (failure === null) parentPort.postMessage({ messages });
  else {
    failed = true;
    parentPort.postMessage({ messages, error: failure });
  }
  messages = 0;
  failure = null;
}
`;

export interface CommitStatements {
  putCheckpoint: string;
  keepWrite: string;
  replaceWrite: string;
  /** The same for PUT_ROOT and WRITE_ROOT rows (the constant fields in the SQL). */
  putRoot: string;
  keepWriteRoot: string;
  replaceWriteRoot: string;
  /** The INSERT of a chain (thread, first id, last id, parent, body). */
  putChain: string;
}

export class CommitThread {
  private readonly worker: Worker;
  /** One entry per batch sent, answered in order. */
  private readonly waiting: Array<{ resolve: () => void; reject: (error: Error) => void }> = [];
  /** Called when a batch failed, before its promise rejects: every batch sent until then will be refused. */
  onFailure: () => void = () => undefined;
  private failure: Error | null = null;
  /** Set by close(): the thread keeps the process alive until it exited. */
  private closing = false;
  /** caughtUpTo's promise, and the count it waits for. */
  private caughtUp: Promise<void> | null = null;
  private markCaughtUp: (() => void) | null = null;
  private caughtUpAt = Number.POSITIVE_INFINITY;

  constructor(
    private readonly filename: string,
    statements: CommitStatements,
  ) {
    const driver = createRequire(import.meta.url).resolve("better-sqlite3");
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, filename, ...statements } });
    this.worker.unref();
    this.worker.on("message", (message: { messages: number; error?: string; skipped?: boolean }) => {
      const answered = this.waiting.splice(0, message.messages);
      if (this.waiting.length === 0 && !this.closing) this.worker.unref();
      if (this.caughtUp !== null && this.waiting.length <= this.caughtUpAt) this.releaseCaughtUp();
      if (message.skipped) for (const waiter of answered) waiter.reject(new Error(`SqliteSaver: not committed to ${this.filename}: an earlier batch it follows failed`));
      else if (message.error !== undefined) {
        this.worker.postMessage("reset");
        this.onFailure();
        for (const waiter of answered) waiter.reject(new Error(`SqliteSaver: committing to ${this.filename} failed: ${message.error}`));
      } else for (const waiter of answered) waiter.resolve();
    });
    this.worker.on("error", (error) => this.fail(new Error(`SqliteSaver: the commit thread for ${this.filename} failed: ${error.message}`)));
    this.worker.on("exit", () => this.fail(new Error(`SqliteSaver: the commit thread for ${this.filename} has stopped`)));
  }

  /** True when every batch sent has been answered. */
  get idle(): boolean {
    return this.waiting.length === 0;
  }

  /** How busy the thread has been (since `since`, a value this returned before): for benchmarks. */
  utilization(since?: EventLoopUtilization): EventLoopUtilization {
    return this.worker.performance.eventLoopUtilization(since);
  }

  /** Batches sent and not yet answered. */
  get unanswered(): number {
    return this.waiting.length;
  }

  /** Resolves once at most `count` batches are unanswered (at once if so; also when the thread fails). */
  caughtUpTo(count: number): Promise<void> {
    if (this.waiting.length <= count || this.failure !== null) return Promise.resolve();
    this.caughtUpAt = Math.min(this.caughtUpAt, count);
    return (this.caughtUp ??= new Promise<void>((resolve) => (this.markCaughtUp = resolve)));
  }

  private releaseCaughtUp(): void {
    const mark = this.markCaughtUp;
    this.caughtUp = null;
    this.markCaughtUp = null;
    this.caughtUpAt = Number.POSITIVE_INFINITY;
    mark?.();
  }

  /**
   * Writes `rows` on the thread, after those sent before, in the transaction they left open or a new one;
   * `end`: the transaction commits after them (else it stays open for what follows, and the caller sends
   * an end soon). Resolves once the transaction holding them committed.
   */
  commit(rows: FlatBatch, end: boolean): Promise<void> {
    if (this.failure !== null) return Promise.reject(this.failure);
    return new Promise<void>((resolve, reject) => {
      if (this.waiting.length === 0) this.worker.ref();
      this.waiting.push({ resolve, reject });
      this.worker.postMessage([rows, end]);
    });
  }

  /** Closes the thread's connection (call once nothing is committing). */
  async close(): Promise<void> {
    if (this.failure !== null) return;
    const exited = new Promise<void>((resolve) => this.worker.once("exit", () => resolve()));
    this.closing = true;
    this.worker.ref();
    this.worker.postMessage("close");
    await exited;
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const waiter of this.waiting.splice(0)) waiter.reject(error);
    this.releaseCaughtUp();
  }
}
