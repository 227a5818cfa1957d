// A growing buffer that text is written into as UTF-8 bytes, piece by piece, for what a durable saver sends
// as bytes (a chain's body: chainBytes.ts). Building a step's JSON as strings costs a rope per
// concatenation, a flattening when they are joined and an encoding when they are sent; writing the bytes
// at once costs none of them. Short ASCII strings are written by a loop (a call into the runtime costs
// more than copying them), longer ones and any other text by the runtime's UTF-8 encoder.

/**
 * Writes a string's UTF-8 bytes into `buf` at `offset`, returning their count: Node's Buffer#utf8Write (what
 * `buf.write(value, offset, "utf8")` calls once it has checked its arguments; not in @types/node), else write.
 */
export const utf8Write: (buf: Buffer, value: string, offset: number) => number =
  typeof (Buffer.prototype as unknown as { utf8Write?: unknown }).utf8Write === "function"
    ? (buf, value, offset) => (buf as unknown as { utf8Write(value: string, offset: number, length: number): number }).utf8Write(value, offset, buf.length - offset)
    : (buf, value, offset) => buf.write(value, offset, "utf8");

/** Strings up to this length are written by the loop when they are ASCII. */
const LOOP_MAX = 64;
/** Pieces at least this long are copied by TypedArray#set (about 10 ns a call), shorter ones by a loop (about 1 ns a byte). */
const SET_MIN = 16;

/** Recurring pieces of text (a quoted key, fixed JSON), each the UTF-8 of `textOf(key)`, encoded once (a bounded cache). */
export class Pieces {
  private readonly map = new Map<string, Uint8Array>();

  constructor(private readonly textOf: (key: string) => string) {}

  get(key: string): Uint8Array {
    let piece = this.map.get(key);
    if (piece === undefined) {
      if (this.map.size >= 4096) this.map.clear();
      piece = Buffer.from(this.textOf(key), "utf8");
      this.map.set(key, piece);
    }
    return piece;
  }
}

const plainPieces = new Pieces((text) => text);

/** `text`'s UTF-8 bytes, kept for the next call with the same text. */
export function pieceOf(text: string): Uint8Array {
  return plainPieces.get(text);
}

export class ByteWriter {
  buf: Buffer;
  /** Bytes written so far. */
  at = 0;

  constructor(initialBytes = 1024) {
    this.buf = Buffer.allocUnsafe(Math.max(initialBytes, 64));
  }

  /** Makes room for `bytes` more. */
  room(bytes: number): void {
    if (this.at + bytes <= this.buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.at + bytes));
    this.buf.copy(grown, 0, 0, this.at);
    this.buf = grown;
  }

  byte(b: number): void {
    if (this.at >= this.buf.length) this.room(1);
    this.buf[this.at++] = b;
  }

  /** A string's UTF-8 bytes. */
  text(s: string): void {
    const n = s.length;
    this.room(n * 3);
    const buf = this.buf;
    let at = this.at;
    if (n <= LOOP_MAX) {
      let i = 0;
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        buf[at++] = c;
      }
      if (i === n) {
        this.at = at;
        return;
      }
      at = this.at;
    }
    this.at = at + utf8Write(buf, s, at);
  }

  /** Bytes (a piece of pieceOf). */
  piece(p: Uint8Array): void {
    const n = p.length;
    if (this.at + n > this.buf.length) this.room(n);
    const buf = this.buf;
    const at = this.at;
    if (n >= SET_MIN) buf.set(p, at);
    else for (let i = 0; i < n; i++) buf[at + i] = p[i];
    this.at = at + n;
  }

  /** A finite number as String() writes it: a safe integer's digits by a loop, any other by String(). */
  number(value: number): void {
    if (!Number.isSafeInteger(value) || value < 0) return this.text(String(value));
    this.room(16);
    const buf = this.buf;
    if (value < 10) {
      buf[this.at++] = 0x30 + value;
      return;
    }
    let digits = 1;
    for (let rest = value; rest >= 10; rest = Math.floor(rest / 10)) digits++;
    let at = this.at + digits;
    this.at = at;
    for (let rest = value; ; ) {
      const next = Math.floor(rest / 10);
      buf[--at] = 0x30 + (rest - next * 10);
      if (next === 0) break;
      rest = next;
    }
  }

  /** What was written (a view of the buffer). */
  view(): Buffer {
    return this.buf.subarray(0, this.at);
  }
}
