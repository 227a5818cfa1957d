// Rows in PostgreSQL's binary COPY format (COPY ... FROM STDIN WITH (FORMAT binary)), built into one
// growing buffer: a header, then per row a field count and each field as a length and its bytes, then
// a trailer; the buffer starts with room for the protocol's CopyData message header, so that the whole
// is sent as one message without another copy (`messages()`). Large bytes (`external`, a chain's body)
// are not copied: they go as a CopyData message of their own between the buffer's (a COPY stream may be
// cut anywhere into messages). Text goes as its UTF-8 bytes (the server checks the encoding: a NUL character is refused),
// bytea as its bytes, jsonb as a version byte and its text, integers as 4 bytes big-endian. Nothing is
// escaped or parsed on either side, unlike text arrays.
import { utf8Write } from "../durable/byteWriter";

const SIGNATURE = Buffer.from("PGCOPY\n\xff\r\n\0", "latin1");
/** The CopyData message header: its type byte and length. */
const MESSAGE_HEADER = 5;
const JSONB_VERSION = 1;

/** Bytes at least this long are sent as a message of their own rather than copied (`external`). */
const EXTERNAL_MIN = 16 * 1024;

export class BinaryCopyRows {
  private buf: Buffer;
  private at = 0;
  /** Where the message being written starts in the buffer (its header's place). */
  private messageStart = 0;
  /** The messages before the one being written, in order (parts of the buffer, external bytes and their headers). */
  private readonly sent: Buffer[] = [];
  /** Rows added so far. */
  rows = 0;
  /** Bytes of the messages ended in the buffer (external bytes are not copied into it). */
  bufferedBytes = 0;

  constructor(private readonly fields: number, initialBytes = 64 * 1024) {
    this.buf = Buffer.allocUnsafe(Math.max(initialBytes, 64));
    this.buf.set(SIGNATURE, MESSAGE_HEADER);
    this.buf.writeInt32BE(0, MESSAGE_HEADER + 11); // flags
    this.buf.writeInt32BE(0, MESSAGE_HEADER + 15); // header extension length
    this.at = MESSAGE_HEADER + 19;
  }

  /** Starts a row; its `fields` values follow. */
  row(): this {
    this.room(2);
    this.buf.writeInt16BE(this.fields, this.at);
    this.at += 2;
    this.rows++;
    return this;
  }

  text(value: string): this {
    this.room(4 + value.length * 3);
    const length = utf8Write(this.buf, value, this.at + 4);
    this.buf.writeInt32BE(length, this.at);
    this.at += 4 + length;
    return this;
  }

  textOrNull(value: string | null): this {
    return value === null ? this.null() : this.text(value);
  }

  /**
   * A bytea from a string (its UTF-8 bytes) or bytes; bytes of EXTERNAL_MIN or more are not copied but
   * sent as they are (they must not change until sent).
   */
  bytes(value: string | Uint8Array): this {
    if (typeof value === "string") return this.text(value);
    if (value.byteLength >= EXTERNAL_MIN) return this.external(value);
    this.room(4 + value.byteLength);
    this.buf.writeInt32BE(value.byteLength, this.at);
    this.buf.set(value, this.at + 4);
    this.at += 4 + value.byteLength;
    return this;
  }

  /** A jsonb from its JSON text. */
  jsonb(json: string): this {
    this.room(5 + json.length * 3);
    this.buf[this.at + 4] = JSONB_VERSION;
    const length = utf8Write(this.buf, json, this.at + 5);
    this.buf.writeInt32BE(length + 1, this.at);
    this.at += 5 + length;
    return this;
  }

  int(value: number): this {
    this.room(8);
    this.buf.writeInt32BE(4, this.at);
    this.buf.writeInt32BE(value, this.at + 4);
    this.at += 8;
    return this;
  }

  null(): this {
    this.room(4);
    this.buf.writeInt32BE(-1, this.at);
    this.at += 4;
    return this;
  }

  /** Its length, then its bytes as a CopyData message of their own, after the message written so far. */
  private external(value: Uint8Array): this {
    this.room(4);
    this.buf.writeInt32BE(value.byteLength, this.at);
    this.at += 4;
    this.endMessage();
    const header = Buffer.allocUnsafe(MESSAGE_HEADER);
    header[0] = 0x64; // "d"
    header.writeInt32BE(value.byteLength + 4, 1);
    this.sent.push(header, Buffer.from(value.buffer, value.byteOffset, value.byteLength));
    // The next message starts here, after room for its header.
    this.messageStart = this.at;
    this.room(MESSAGE_HEADER);
    this.at += MESSAGE_HEADER;
    return this;
  }

  /** The message being written, its header filled in, goes to `sent` (a view of the buffer). */
  private endMessage(): void {
    const start = this.messageStart;
    this.buf[start] = 0x64; // "d"
    this.buf.writeInt32BE(this.at - start - 1, start + 1);
    this.sent.push(this.buf.subarray(start, this.at));
    this.bufferedBytes += this.at - start;
  }

  /** The COPY data as CopyData protocol messages, to send in order (views of the buffer: add nothing after). */
  messages(): Buffer[] {
    this.room(2);
    this.buf.writeInt16BE(-1, this.at);
    this.at += 2;
    this.endMessage();
    return this.sent;
  }

  /** Grows the buffer; the messages already ended keep the old one (they are views of it). */
  private room(bytes: number): void {
    if (this.at + bytes <= this.buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.at - this.messageStart + bytes + 64));
    this.buf.copy(grown, 0, this.messageStart, this.at);
    this.at -= this.messageStart;
    this.messageStart = 0;
    this.buf = grown;
  }
}
