// Chains written as they are queued: the engine's consecutive checkpoints (queuePut) and the writes made
// on them (queueWrites) go, as each is queued, straight into the bytes of their chain's body (the format
// of chains.ts, byte for byte), with each checkpoint's layout resolved then. The batch holds one
// operation for the chain (a ChainOp) instead of a put and a writes operation per step, and no JSON
// string is built for them: PostgreSQL's COPY sends the body as it is, SQLite's commit thread gets it as
// bytes (and stores its text).
//
// A put goes the way of gatherChains' chained puts (new id, root namespace, plain JSON) and, besides,
// only when its layout can be resolved at once: it has no parent or its parent is its thread's last
// layout in the cache, and no put queued on the general path waits to be resolved (the cache then holds
// the layouts in call order). Anything else, and a write that cannot go in a chain, takes the general
// path (a PutOp or WritesOp, resolved and gathered at commit), and ends the open chain, so the batch keeps
// the call order.
import type { ChannelVersions, Checkpoint, CheckpointConfig, CheckpointMetadata, PendingWrite } from "../base";
import { writeIndex } from "../base";
import { NEXT_TASKS_CHANNEL } from "../checkpointFields";
import { ByteWriter, pieceOf, Pieces } from "./byteWriter";
import { chainEntries, textField } from "./chains";
import type { Batch, GroupCommit } from "./groupCommit";
import { parseLayout, type Layout, type LayoutCache, type PutOp, type ResolvedLayout, type SaverOp } from "./records";
import { VersionsBytes, writeCheckpoint, writeMetadata, writeValue } from "./stepBytes";
import { metadataJson, valueJson, versionsJson } from "./stepJson";

/** CHAIN_SEPARATOR's byte (a constant here: chains.ts and this module import each other). */
const SEPARATOR = 0x00;
const DIGIT_ZERO = 0x30;
const OPEN_BRACKET = 0x5b;
const COMMA = 0x2c;
/** A chain's first body size: the last chain's (a full batch of a small graph's steps is about 70 kB), within these bounds. */
const MIN_BODY_BYTES = 4 * 1024;
const MAX_BODY_BYTES = 4 << 20;

/** A chain of the batch, its body written as its checkpoints were queued. */
export class ChainOp {
  readonly kind = "chain";
  readonly ns = "";
  readonly ready = undefined;
  lastId: string;
  readonly body: ByteWriter;
  /**
   * Where the last checkpoint's write count goes (-1: written), and its writes so far: a separator and one
   * digit are kept for it there (a count of 10 or more moves its writes' bytes to make room).
   */
  countAt = -1;
  writes = 0;

  constructor(
    readonly threadId: string,
    readonly firstId: string,
    readonly parentId: string | null,
    /** The saver's count of failed commits when the chain began: its layouts may name rows of a batch before. */
    readonly failures: number,
    bodyBytes: number,
  ) {
    this.lastId = firstId;
    this.body = new ByteWriter(Math.min(Math.max(bodyBytes, MIN_BODY_BYTES), MAX_BODY_BYTES));
  }

  /** Starts the last checkpoint's write count at the body's end. */
  openEntry(): void {
    this.countAt = this.body.at;
    this.writes = 0;
    this.body.byte(SEPARATOR);
    this.body.byte(DIGIT_ZERO);
  }

  /** Writes the last checkpoint's write count where it goes. */
  closeEntry(): void {
    if (this.countAt < 0) return;
    const w = this.body;
    if (this.writes < 10) w.buf[this.countAt + 1] = DIGIT_ZERO + this.writes;
    else {
      const count = String(this.writes);
      const shift = count.length - 1;
      w.room(shift);
      w.buf.copyWithin(this.countAt + 2 + shift, this.countAt + 2, w.at);
      for (let i = 0; i < count.length; i++) w.buf[this.countAt + 1 + i] = count.charCodeAt(i);
      w.at += shift;
    }
    this.countAt = -1;
  }

  /** The finished body (nothing is added after). */
  bytes(): Buffer {
    this.closeEntry();
    return this.body.view();
  }

  /** The stored layouts of its checkpoints by id, read from the finished body once (for chainedLayout). */
  private layoutTexts: Map<string, string> | undefined;

  /** The layout of its checkpoint `id`, if it holds it. */
  layoutOf(id: string): Layout | undefined {
    if (this.layoutTexts === undefined) {
      const row = { thread_id: this.threadId, checkpoint_ns: "", first_id: this.firstId, last_id: this.lastId, parent_id: this.parentId, body: this.bytes().toString("utf8") };
      this.layoutTexts = new Map(chainEntries(row).map((entry) => [entry.checkpoint_id, entry.layout]));
    }
    const text = this.layoutTexts.get(id);
    return text === undefined ? undefined : parseLayout(text, id);
  }
}

/** An operation of a durable saver's batch: a put, writes, or a chain written as queued. */
export type QueuedOp = SaverOp | ChainOp;

/**
 * The layout of a put of the general path whose parent is a checkpoint of one of the batch's chains (rare:
 * a fork of a checkpoint the batch holds), read from the chain's body (the batch is no longer filled).
 */
export function chainedLayout(ops: Iterable<QueuedOp>, threadId: string, ns: string, id: string): Layout | undefined {
  if (ns !== "") return undefined;
  for (const op of ops) {
    if (op.kind !== "chain" || op.threadId !== threadId) continue;
    const layout = op.layoutOf(id);
    if (layout !== undefined) return layout;
  }
  return undefined;
}

/** The smallest failure count of the batch's chains, or `current`. */
export function failuresWhenBegun(ops: QueuedOp[], current: number): number {
  let failures = current;
  for (const op of ops) if (op.kind === "chain" && op.failures < failures) failures = op.failures;
  return failures;
}

/** A write's channel between its separators. */
const channelFields = new Pieces((channel) => `\u0000${channel}\u0000`);

export class QueuedChains {
  private open: ChainOp | null = null;
  /** The batch `open` is in. */
  private openIn: Batch<QueuedOp> | null = null;
  /** The last batch a put of the general path joined (its layouts are resolved at commit). */
  private generalPutIn: Batch<QueuedOp> | null = null;
  private readonly versions = new VersionsBytes();
  /** The room a new chain's body starts with. */
  private bodyBytes = MIN_BODY_BYTES;
  private lastPointersJson = "";
  /** The last pointers' JSON, and it with the layout's closing bracket as bytes. */
  private lastPointersPiece = pieceOf("{}]");

  constructor(
    private readonly batch: GroupCommit<QueuedOp>,
    private readonly layouts: LayoutCache,
    /** True while a batch handed to the commit has puts whose layouts are not resolved yet. */
    private readonly resolving: () => boolean,
    /** The saver's count of failed commits. */
    private readonly failures: () => number,
    /** The general path's PutOp for a checkpoint not written here (its JSON as text). */
    private readonly preparePut: (config: CheckpointConfig, checkpoint: Checkpoint, metadata: CheckpointMetadata, newVersions: ChannelVersions) => PutOp,
  ) {}

  /** Ends the open chain: an operation of the general path is queued after it. `put`: a put, resolved at commit. */
  general(put: boolean): void {
    this.endChain();
    if (put) this.generalPutIn = this.batch.current;
  }

  /**
   * Queues the engine's checkpoint in a chain, or returns undefined (the caller takes the general path).
   * `threadId`: the config's, checked; the namespace is the root's.
   */
  put(threadId: string, config: CheckpointConfig, checkpoint: Checkpoint, metadata: CheckpointMetadata, newVersions: ChannelVersions): Batch<QueuedOp> | undefined {
    const id = checkpoint.id;
    if (typeof id !== "string" || !textField(id)) return undefined;
    const parentId = (config.configurable?.checkpoint_id as string | undefined) || null;
    const pending = this.batch.current;
    if (this.generalPutIn === pending || this.resolving() || !this.layouts.knowsParent(threadId, "", parentId)) return undefined;
    let chain = this.open;
    const appending = chain !== null && this.openIn === pending && chain.threadId === threadId && chain.lastId === parentId;
    if (appending) chain!.closeEntry();
    else {
      this.endChain();
      chain = new ChainOp(threadId, id, parentId, this.failures(), this.bodyBytes);
    }
    const w = chain!.body;
    const start = w.at;
    try {
      if (appending) w.byte(SEPARATOR);
      w.text(id);
      w.byte(SEPARATOR);
      let stored: Record<string, unknown> = newVersions;
      const at = w.at;
      if (!writeCheckpoint(w, checkpoint, newVersions, NEXT_TASKS_CHANNEL)) {
        w.at = at;
        const op = this.preparePut(config, checkpoint, metadata, newVersions);
        w.text(op.checkpoint[1] as string);
        stored = op.stored;
      }
      w.byte(SEPARATOR);
      const metadataAt = w.at;
      if (!writeMetadata(w, metadata)) {
        w.at = metadataAt;
        w.text(metadataJson((metadata ?? {}) as Record<string, unknown>));
      }
      w.byte(SEPARATOR);
      const versions = checkpoint.channel_versions as Record<string, number>;
      // Last: the cache then moves on only once nothing can throw.
      const layout = this.layouts.resolveQueued({ threadId, ns: "", id, parentId, versions, stored })!;
      this.writeLayout(w, layout);
    } catch (error) {
      w.at = start;
      throw error;
    }
    chain!.openEntry();
    chain!.lastId = id;
    if (appending) this.batch.grow();
    else {
      this.open = chain;
      this.openIn = pending;
      this.batch.queue(chain!);
    }
    return pending;
  }

  /** Queues writes made on the open chain's last checkpoint in it, or returns undefined (the caller takes the general path). */
  writes(threadId: string, checkpointId: string | undefined, ns: string, writes: PendingWrite[], taskId: string): Batch<QueuedOp> | undefined {
    const chain = this.open;
    if (chain === null || this.openIn !== this.batch.current || chain.countAt < 0 || ns !== "" || chain.threadId !== threadId || chain.lastId !== checkpointId || !textField(taskId)) return undefined;
    const w = chain.body;
    const start = w.at;
    try {
      for (let i = 0; i < writes.length; i++) {
        const [channel, value] = writes[i];
        if (value instanceof Uint8Array || !textField(channel)) {
          // Not in a chain (bytes are not JSON; a channel holding U+0000): the whole call takes the general path.
          w.at = start;
          return undefined;
        }
        w.byte(SEPARATOR);
        w.text(taskId);
        w.byte(SEPARATOR);
        w.number(writeIndex(channel, i));
        w.piece(channelFields.get(channel));
        const at = w.at;
        if (!writeValue(w, value)) {
          w.at = at;
          w.text(valueJson(value) ?? "null");
        }
      }
    } catch (error) {
      w.at = start;
      throw error;
    }
    chain.writes += writes.length;
    this.batch.grow(writes.length > 0 ? 1 : 0);
    return this.openIn!;
  }

  /** No more is added to the open chain; the next one's body starts with room for as much, and a little more (a full batch's chains are alike). */
  private endChain(): void {
    if (this.open === null) return;
    this.bodyBytes = this.open.body.at + (this.open.body.at >> 3);
    this.open = null;
  }

  /** `[versions,pointers]`, as LayoutCache.resolveSync writes it. */
  private writeLayout(w: ByteWriter, layout: ResolvedLayout): void {
    const at = w.at;
    if (!this.versions.write(w, layout.versions)) {
      w.at = at;
      w.byte(OPEN_BRACKET);
      w.text(versionsJson(layout.versions));
      w.byte(COMMA);
    }
    if (layout.pointersJson !== this.lastPointersJson) {
      this.lastPointersJson = layout.pointersJson;
      this.lastPointersPiece = Buffer.from(`${layout.pointersJson}]`, "utf8");
    }
    w.piece(this.lastPointersPiece);
  }
}
