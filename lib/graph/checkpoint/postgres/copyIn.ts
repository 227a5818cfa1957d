// Several COPY ... FROM STDIN statements in ONE round trip and one transaction, on a `pg` client: the
// statements go as one simple Query message (which PostgreSQL runs as a single implicit transaction:
// all of them commit, or none), immediately followed by each statement's data and CopyDone, without
// waiting for the server to ask. The protocol allows it: after an error the server drops the copy
// messages still to come (PostgreSQL protocol, "COPY Operations"). Used through `client.query(copy)`
// (pg's submittable interface, as pg-copy-streams uses it).
import type pg from "pg";

interface CopyConnection {
  query(text: string): void;
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
}

export class CopyIn implements pg.Submittable {
  readonly text: string;
  readonly done: Promise<void>;
  private settle!: { resolve: () => void; reject: (error: Error) => void };

  /** `statements[i]` is a `COPY ... FROM STDIN` whose data is `data[i]` (a whole COPY stream). */
  constructor(statements: string[], private readonly data: Buffer[]) {
    if (statements.length !== data.length || statements.length === 0) throw new Error("CopyIn: one data buffer per COPY statement");
    this.text = statements.join(";\n");
    this.done = new Promise((resolve, reject) => (this.settle = { resolve, reject }));
  }

  submit(connection: unknown): void {
    const c = connection as CopyConnection;
    c.query(this.text);
    for (const chunk of this.data) {
      c.sendCopyFromChunk(chunk);
      c.endCopyFrom();
    }
  }

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

  // Messages a COPY FROM never gets; present for the client's dispatch.
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
  handleCopyData(): void {}
}
