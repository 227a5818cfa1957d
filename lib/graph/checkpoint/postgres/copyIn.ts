// COPY ... FROM STDIN statements in ONE round trip, on a `pg` client: the statements go as one simple
// Query message (run as one implicit transaction unless it opens one with BEGIN), immediately followed
// by each COPY's data and CopyDone, without waiting for the server to ask. The protocol allows it:
// after an error the server drops the copy messages still to come (PostgreSQL protocol, "COPY
// Operations"). A pg Query subclass, so that a client in pipeline mode (pg's `pipeline: true`) accepts it.
import pg from "pg";

interface CopyConnection {
  query(text: string): void;
  endCopyFrom(): void;
  stream: { write(data: Buffer): boolean; cork?(): void; uncork?(): void };
}

export class CopyIn extends pg.Query {
  readonly done: Promise<void>;
  private settle!: { resolve: () => void; reject: (error: Error) => void };

  /** `text`: statements holding one `COPY ... FROM STDIN` per item of `data` (the CopyData messages holding a whole COPY stream: BinaryCopyRows.messages()), in order. */
  constructor(
    private readonly statements: string,
    private readonly data: Buffer[][],
  ) {
    super({ text: statements });
    this.done = new Promise((resolve, reject) => (this.settle = { resolve, reject }));
  }

  /** Sends the statements and all their data (pg's submittable interface: a property in its types). */
  override submit = (connection: unknown): void => {
    const c = connection as CopyConnection;
    // The messages leave in one write (as pg corks its extended-protocol messages).
    c.stream.cork?.();
    try {
      c.query(this.statements);
      // As pg-copy-streams does: the CopyData messages straight to the socket, each followed by CopyDone.
      for (const messages of this.data) {
        for (const message of messages) c.stream.write(message);
        c.endCopyFrom();
      }
    } finally {
      c.stream.uncork?.();
    }
  };

  /** The server asks for data already sent. */
  handleCopyInResponse(): void {}

  handleCommandComplete(): void {}

  /** An error from the server (ReadyForQuery follows) or the connection lost (nothing follows). */
  handleError(error: Error): void {
    this.settle.reject(error);
  }

  handleReadyForQuery(): void {
    this.settle.resolve();
  }
}
