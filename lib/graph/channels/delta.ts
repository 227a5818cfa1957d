// DeltaChannel (LangGraph.js 1.7's): a key folded by a *batch* reducer `(state, writes[]) => state`.
// LangGraph.js stores such a key as its writes plus periodic snapshots instead of its whole value; Rill
// keeps the whole value in each checkpoint (as for any reducer key), so a graph using it behaves the same
// and reloads the same, without that storage saving. In a graph the engine folds each write with
// `reducer(state, [write])` (delta reducers give the same result however writes are batched); the
// standalone API below (update, replayWrites, fromCheckpoint, checkpoint) behaves as LangGraph.js's.
import { InvalidUpdateError } from "../errors";
import { _getOverwriteValue, type Overwrite } from "../overwrite";
import { BaseChannel, emptyChannel } from "./base";

export type DeltaReducer<Value, Update = unknown> = (state: Value, writes: Update[]) => Value;

/** A checkpointed write, as a saver lists it: `[taskId, channel, value]`. */
type PendingWrite = readonly [string, string, unknown];

/** LangGraph's DeltaSnapshot, recognised by its `lg_name` marker (@langchain/langgraph-checkpoint's class). */
function snapshotValue(value: unknown): [true, unknown] | [false, undefined] {
  if (typeof value === "object" && value !== null && (value as { lg_name?: unknown }).lg_name === "DeltaSnapshot") return [true, (value as { value: unknown }).value];
  return [false, undefined];
}

export class DeltaChannel<Value = unknown, Update = unknown> extends BaseChannel<Value, Update | Overwrite<Value>, undefined> {
  readonly lc_graph_name = "DeltaChannel";
  value: Value | undefined = undefined;
  readonly snapshotFrequency: number;
  readonly initialValueFactory: () => Value;
  /** The engine's per-write form of the reducer (made once: the engine reads it for every write). */
  readonly foldOne: (state: Value, update: Update) => Value;

  constructor(
    readonly reducer: DeltaReducer<Value, Update>,
    options?: { snapshotFrequency?: number; initialValueFactory?: () => Value },
  ) {
    super();
    const snapshotFrequency = options?.snapshotFrequency ?? 1000;
    if (!Number.isInteger(snapshotFrequency) || snapshotFrequency <= 0) {
      throw new Error(`DeltaChannel: snapshotFrequency must be a positive integer, got ${snapshotFrequency}`);
    }
    this.snapshotFrequency = snapshotFrequency;
    this.initialValueFactory = options?.initialValueFactory ?? (() => [] as Value);
    this.foldOne = (state, update) => reducer(state, [update]);
  }

  /** The value after `writes` (oldest first) on top of the current one; the last Overwrite resets the base. */
  replayWrites(writes: readonly PendingWrite[]): void {
    if (writes.length === 0) return;
    let base = this.value as Value;
    let start = 0;
    for (let i = 0; i < writes.length; i++) {
      const [isOverwrite, value] = _getOverwriteValue(writes[i][2]);
      if (isOverwrite) {
        base = (value as Value | undefined) ?? this.initialValueFactory();
        start = i + 1;
      }
    }
    const rest = writes.slice(start).map((w) => w[2] as Update);
    this.value = rest.length > 0 ? this.reducer(base, rest) : base;
  }

  /** One step's writes; an Overwrite among them wins the whole step (the other writes are dropped). */
  update(values: Array<Update | Overwrite<Value>>): boolean {
    if (values.length === 0) return false;
    let overwrite: [boolean, unknown] = [false, undefined];
    for (const value of values) {
      const found = _getOverwriteValue(value);
      if (!found[0]) continue;
      if (overwrite[0]) throw new InvalidUpdateError("Can receive only one Overwrite value per step.");
      overwrite = found;
    }
    if (overwrite[0]) this.value = (overwrite[1] as Value | undefined) ?? this.initialValueFactory();
    else this.value = this.reducer(this.value === undefined ? this.initialValueFactory() : this.value, values as Update[]);
    return true;
  }

  get(): Value {
    if (this.value === undefined) throw emptyChannel();
    return this.value;
  }

  isAvailable(): boolean {
    return this.value !== undefined;
  }

  /** Always undefined, as in LangGraph.js: the channel's value is rebuilt from its writes and snapshots. */
  checkpoint(): undefined {
    return undefined;
  }

  /** A channel holding `checkpoint`: a DeltaSnapshot's value, a plain value, or (undefined) the initial value. */
  fromCheckpoint(checkpoint?: unknown): this {
    const channel = new DeltaChannel<Value, Update>(this.reducer, { snapshotFrequency: this.snapshotFrequency, initialValueFactory: this.initialValueFactory });
    const [isSnapshot, snapshot] = snapshotValue(checkpoint);
    channel.value = checkpoint === undefined ? this.initialValueFactory() : isSnapshot ? (snapshot as Value) : (checkpoint as Value);
    return channel as this;
  }

  equals(other: BaseChannel<any, any, any>): boolean {
    if (this === other) return true;
    return other instanceof DeltaChannel && other.snapshotFrequency === this.snapshotFrequency && other.reducer === this.reducer;
  }
}
