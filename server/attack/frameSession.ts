// One WebSocket to the tRPC endpoint driven frame by frame: send anything, read the replies in order,
// and see how the server closed it.
import { WebSocket } from "ws";

export interface Closed {
  code: number;
  reason: string;
}

export class FrameSession {
  private readonly messages: string[] = [];
  private waiter: (() => void) | null = null;
  private closedWith: Closed | null = null;
  readonly closed: Promise<Closed>;

  private constructor(private readonly socket: WebSocket) {
    this.closed = new Promise((resolve) => {
      socket.on("close", (code, reason) => {
        this.closedWith = { code, reason: reason.toString() };
        resolve(this.closedWith);
        this.waiter?.();
      });
    });
    socket.on("message", (data) => {
      this.messages.push(data.toString());
      this.waiter?.();
    });
    socket.on("error", () => undefined); // the close event says what happened
  }

  static open(url: string): Promise<FrameSession> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url);
      const session = new FrameSession(socket);
      socket.once("open", () => resolve(session));
      socket.once("error", reject);
    });
  }

  send(data: string | Buffer, options: { binary?: boolean } = {}): void {
    this.socket.send(data, { binary: options.binary ?? typeof data !== "string" });
  }

  /** The next message the server sent; rejects if the connection closes first. */
  async next(): Promise<string> {
    while (this.messages.length === 0) {
      if (this.closedWith) throw new Error(`the server closed the connection (${this.closedWith.code} ${this.closedWith.reason}) without a reply`);
      await new Promise<void>((resolve) => (this.waiter = resolve));
      this.waiter = null;
    }
    return this.messages.shift()!;
  }

  /** The next message, parsed as JSON. */
  async nextJson(): Promise<{ id?: unknown; result?: { type?: string; data?: unknown }; error?: { message: string; data?: { code?: string } } }> {
    return JSON.parse(await this.next()) as never;
  }

  /** The next reply to request `id` (skipping other messages, e.g. another subscription's data). */
  async replyTo(id: number | string): Promise<Awaited<ReturnType<FrameSession["nextJson"]>>> {
    for (;;) {
      const message = await this.nextJson();
      if (message.id === id) return message;
    }
  }

  close(): void {
    this.socket.terminate();
  }
}
