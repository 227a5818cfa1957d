// How PostgresSaver's batches reach PostgreSQL: over one connection of its own in pipeline mode (pg's
// `pipeline: true`), each batch is sent (binary COPY, batchWrite.ts) as soon as the group commit hands
// it over, without waiting for the batches before it to be answered, so the server writes rows while
// the engine keeps running. Batches sent back to back share one transaction: it stays open while the
// group commit hands over full batches (more are coming), and ends with COMMIT after a batch that was
// not full (someone waits for it, or the tick ended) or at the next turn of the event loop. A run of
// many steps thus pays one commit (one WAL flush), and its writes have committed when it ends.
//
// All batches of a transaction commit or fail together, and the batches after a failed one are refused
// (their layouts may name its rows): a transaction sent while the one before is unanswered starts with a
// statement failing unless that one committed (each records its number in a session setting, rolled
// back with it), and a batch prepared after a failure was known is refused by the failure count. A
// transaction that failed on a row that already exists (a checkpoint put again, a write repeated) is
// written again by the upserting statement, its batches in order in one transaction, and so are those
// refused because of it.
import type { Socket } from "node:net";
import pg from "pg";
import type { QueuedOp } from "../durable/queuedChains";
import { copyOf, UNIQUE_VIOLATION, upsertBatch, type CopySizes, type Tables } from "./batchWrite";

interface Transaction {
  client: Promise<pg.Client>;
  /** Its number on this pipeline, and the outcome of the one before it (true: committed). */
  number: number;
  previous: Promise<boolean>;
  batches: QueuedOp[][];
  /** The first error of its statements. */
  failure: { error: unknown } | null;
  outcome: Promise<void>;
  flushScheduled: boolean;
  settle: { resolve: () => void; reject: (error: unknown) => void };
}

/** The session setting holding the number of the last transaction that committed on the connection. */
const CHAIN_SETTING = "rill.pipeline_transaction";
/** SQLSTATE of chainCheck's refusal. */
const CHAIN_BROKEN = "RL001";

/** A statement failing (CHAIN_BROKEN) unless transaction `previous` committed on this connection. */
function chainCheck(previous: number): string {
  return `DO $$BEGIN IF current_setting('${CHAIN_SETTING}', true) IS DISTINCT FROM '${previous}' THEN RAISE EXCEPTION 'PostgresSaver: not written, because a batch before it failed' USING ERRCODE = '${CHAIN_BROKEN}'; END IF; END$$`;
}

/** Whether the client's socket keeps the process alive (pg's Client#ref/unref, not in @types/pg). */
function holdsProcess(client: pg.Client, hold: boolean): void {
  const socket = client as unknown as { ref(): void; unref(): void };
  if (hold) socket.ref();
  else socket.unref();
}

export class CommitPipeline {
  private client: Promise<pg.Client> | null = null;
  /** The client once connected (null while connecting or after it was lost). */
  private connected: pg.Client | null = null;
  private open: Transaction | null = null;
  /** The last ended transaction's outcome (true: committed; never rejects), and whether it has settled. */
  private last: Promise<boolean> = Promise.resolve(true);
  private transactions = 0;
  private readonly sizes: CopySizes = { checkpoints: 0, writes: 0 };
  private lastSettled = true;
  /** Sends and reads waiting for their turn, in call order. */
  private queue: Promise<unknown> = Promise.resolve();
  private queued = 0;
  /** Transactions failed so far: a batch prepared under an older count is refused. */
  failures = 0;

  constructor(
    private readonly config: pg.ClientConfig,
    private readonly tables: Tables,
    /** For the upserting rewrite of a transaction that met existing rows. */
    private readonly pool: pg.Pool,
    /** Called (synchronously) when a transaction failed, before its batches are rejected. */
    private readonly onFailure: (error: unknown) => void,
    private readonly describe: (error: unknown) => unknown,
    /** The saver encodes plain JSON: the engine's checkpoints may go in chains (batchWrite.ts' copyOf). */
    private readonly chainable = false,
  ) {}

  /**
   * Sends `ops` in the open transaction (or a new one) and, when `end`, commits it; resolves once the
   * transaction holding them committed. `failures` is the count when the batch was prepared. Sent at
   * once (in this call) when nothing waits before it and the connection is up.
   */
  write(ops: QueuedOp[], end: boolean, failures: number): Promise<void> {
    if (this.queued === 0 && this.connected !== null && (this.open === null || this.open.client === this.client)) {
      try {
        return this.sendNow(this.connected, ops, end, failures);
      } catch (error) {
        return Promise.reject(error);
      }
    }
    return this.inTurn(() => this.send(ops, end, failures)).then((sent) => sent.promise);
  }

  /**
   * While the connection holds more than `maxBuffered` bytes the server has not read yet (the engine writes
   * rows faster than the server takes them), a promise that resolves once they are read (or the connection
   * closes); else undefined.
   */
  backpressure(maxBuffered: number): Promise<void> | undefined {
    const socket = this.connected === null ? undefined : (this.connected as unknown as { connection?: { stream?: Socket } }).connection?.stream;
    if (socket === undefined || socket.writableLength <= maxBuffered || socket.destroyed) return undefined;
    return new Promise<void>((resolve) => {
      const done = () => {
        socket.off("drain", done);
        socket.off("close", done);
        resolve();
      };
      socket.on("drain", done);
      socket.on("close", done);
    });
  }

  /** A query on the commit connection, after what was sent before it: it sees the open transaction's rows. */
  read<R extends pg.QueryResultRow>(text: string, values: unknown[]): Promise<R[]> {
    const answered = this.inTurn(async () => {
      const client = await this.connection();
      holdsProcess(client, true);
      return { promise: client.query<R>(text, values) };
    }).then(
      (sent) => sent.promise.then((result) => result.rows, (error: unknown) => Promise.reject(this.describe(error))),
      (error: unknown) => Promise.reject(this.describe(error)),
    );
    answered.then(
      () => this.releaseWhenIdle(),
      () => this.releaseWhenIdle(),
    );
    return answered;
  }

  /**
   * Nothing open, queued or unanswered: the connection stops holding the process up (like an idle pool,
   * a script that never closes the saver still exits); sending refs it again.
   */
  private releaseWhenIdle(): void {
    if (this.open === null && this.queued === 0 && this.lastSettled) if (this.connected !== null) holdsProcess(this.connected, false);
  }

  async close(): Promise<void> {
    await this.queue;
    await this.last;
    const client = this.client;
    this.client = null;
    this.connected = null;
    if (client !== null) await client.then((c) => c.end()).catch(() => undefined);
  }

  /** Runs `step` after the steps before it (its result wrapped, so that the queue waits for the step only). */
  private inTurn<T>(step: () => Promise<{ promise: T }>): Promise<{ promise: T }> {
    this.queued++;
    const result = this.queue.then(step);
    this.queue = result.then(
      () => void this.queued--,
      () => void this.queued--,
    );
    return result;
  }

  /** Waits for the connection; then sends. */
  private async send(ops: QueuedOp[], end: boolean, failures: number): Promise<{ promise: Promise<void> }> {
    if (this.open !== null && this.open.client !== this.client) this.commit(this.open); // its connection was lost: it fails
    const client = await this.connection().catch((error: unknown) => {
      this.failures++;
      this.onFailure(error);
      return Promise.reject(this.describe(error));
    });
    return { promise: this.sendNow(client, ops, end, failures) };
  }

  /** Sends the batch on `client`, in the open transaction or a new one. */
  private sendNow(client: pg.Client, ops: QueuedOp[], end: boolean, failures: number): Promise<void> {
    if (this.failures !== failures) throw new Error("PostgresSaver: not written, because a batch before it failed");
    holdsProcess(client, true);
    let begin = "";
    if (this.open === null) {
      const txn = this.transaction(this.client!);
      // While the transaction before is unanswered, this one goes on only if that one committed.
      begin = `BEGIN;${this.lastSettled ? "" : ` ${chainCheck(txn.number - 1)};`} SELECT set_config('${CHAIN_SETTING}', '${txn.number}', false)`;
      this.open = txn;
    }
    const txn = this.open;
    txn.batches.push(ops);
    const copy = copyOf(this.tables, ops, begin, this.sizes, this.chainable);
    if (copy !== null) {
      client.query(copy);
      copy.done.catch((error: unknown) => void (txn.failure ??= { error }));
    } else if (begin !== "") client.query(begin).catch((error: unknown) => void (txn.failure ??= { error }));
    if (end) this.commit(txn);
    else if (!txn.flushScheduled) {
      txn.flushScheduled = true;
      setImmediate(() => this.flush(txn));
    }
    return txn.outcome;
  }

  /** Commits `txn` if no batch did so since (after what is queued). */
  private flush(txn: Transaction): void {
    if (this.open !== txn) return;
    if (this.queued === 0) this.commit(txn);
    else
      void this.inTurn(async () => {
        if (this.open === txn) this.commit(txn);
        return { promise: undefined };
      });
  }

  private transaction(client: Promise<pg.Client>): Transaction {
    const txn = { client, number: ++this.transactions, previous: this.last, batches: [], failure: null, flushScheduled: false } as unknown as Transaction;
    txn.outcome = new Promise<void>((resolve, reject) => (txn.settle = { resolve, reject }));
    txn.outcome.catch(() => undefined);
    return txn;
  }

  /** Sends COMMIT (which rolls back a failed transaction) and settles the transaction's batches. */
  private commit(txn: Transaction): void {
    this.open = null;
    const committed = txn.client.then((client) => client.query("COMMIT"));
    const outcome = committed.then(
      () => (txn.failure === null ? undefined : this.recover(txn, txn.failure.error)),
      (error: unknown) => this.recover(txn, txn.failure?.error ?? error),
    );
    outcome.then(txn.settle.resolve, (error: unknown) => {
      this.failures++;
      this.onFailure(error);
      txn.settle.reject(this.describe(error));
    });
    const settled = (committed: boolean) => {
      if (this.last === last) this.lastSettled = true;
      this.releaseWhenIdle();
      return committed;
    };
    const last: Promise<boolean> = txn.outcome.then(
      () => settled(true),
      () => settled(false),
    );
    this.last = last;
    this.lastSettled = false;
  }

  /**
   * A transaction that met existing rows is written again with the upserting statement, and so is one
   * refused for the one before it when that one was written so; any other failure stands.
   */
  private async recover(txn: Transaction, error: unknown): Promise<void> {
    const code = (error as { code?: string }).code;
    if (code !== UNIQUE_VIOLATION && !(code === CHAIN_BROKEN && (await txn.previous))) throw error;
    const client = await this.pool.connect();
    try {
      await client.query("BEGIN");
      for (const ops of txn.batches) await upsertBatch(client, this.tables, ops);
      await client.query("COMMIT");
    } catch (again) {
      await client.query("ROLLBACK").catch(() => undefined);
      client.release();
      throw again;
    }
    client.release();
  }

  private connection(): Promise<pg.Client> {
    if (this.client === null) {
      const client = new pg.Client({ ...this.config, pipeline: true } as pg.ClientConfig);
      const connected = client.connect().then(() => {
        if (this.client === connected) this.connected = client;
        return client;
      });
      const forget = () => {
        if (this.client !== connected) return;
        this.client = null;
        this.connected = null;
      };
      // A lost connection fails what was sent on it; the next batch connects again.
      client.on("error", forget);
      connected.catch(forget);
      this.client = connected;
    }
    return this.client;
  }
}
