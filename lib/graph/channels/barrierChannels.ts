// LangGraph.js's barrier channels: available once every expected name was written.
// NamedBarrierValue waits for a fixed set; DynamicBarrierValue is told the set by a `{ __names }` write.
import { InvalidUpdateError } from "../errors";
import { BaseChannel, emptyChannel } from "./base";

function sameSet<T>(a: Set<T>, b: Set<T>): boolean {
  if (a.size !== b.size) return false;
  for (const value of a) if (!b.has(value)) return false;
  return true;
}

export class NamedBarrierValue<Value> extends BaseChannel<void, Value, Value[]> {
  readonly lc_graph_name = "NamedBarrierValue";
  private seen = new Set<Value>();
  constructor(readonly names: Set<Value>) {
    super();
  }

  update(values: Value[]): boolean {
    return markSeen(this.names, this.seen, values);
  }

  get(): void {
    if (!sameSet(this.names, this.seen)) throw emptyChannel();
    return undefined;
  }

  checkpoint(): Value[] {
    return [...this.seen];
  }

  fromCheckpoint(checkpoint?: Value[]): this {
    const channel = new NamedBarrierValue(this.names) as this;
    if (checkpoint !== undefined) channel.seen = new Set(checkpoint);
    return channel;
  }

  override consume(): boolean {
    if (!sameSet(this.names, this.seen)) return false;
    this.seen = new Set();
    return true;
  }
}

/** Adds each of `values` to `seen`; throws for a value not in `names`. True when `seen` grew. */
function markSeen<Value>(names: Set<Value>, seen: Set<Value>, values: Value[]): boolean {
  let changed = false;
  for (const value of values) {
    if (!names.has(value)) throw new InvalidUpdateError(`Value ${String(value)} not in names ${[...names].join(", ")}`);
    if (!seen.has(value)) {
      seen.add(value);
      changed = true;
    }
  }
  return changed;
}

/** A write that sets which names a DynamicBarrierValue waits for. */
export interface WaitForNames<Value> {
  __names: Value[];
}

function isWaitForNames<Value>(value: unknown): value is WaitForNames<Value> {
  return typeof value === "object" && value !== null && Array.isArray((value as WaitForNames<Value>).__names);
}

export class DynamicBarrierValue<Value> extends BaseChannel<void, Value | WaitForNames<Value>, [Value[] | undefined, Value[]]> {
  readonly lc_graph_name = "DynamicBarrierValue";
  private names: Set<Value> | undefined = undefined;
  private seen = new Set<Value>();

  update(values: Array<Value | WaitForNames<Value>>): boolean {
    const waits = values.filter((value): value is WaitForNames<Value> => isWaitForNames<Value>(value));
    if (waits.length > 0) {
      if (waits.length > 1) throw new InvalidUpdateError("Received multiple WaitForNames updates in the same step.");
      this.names = new Set(waits[0].__names);
      this.seen = new Set();
      return true;
    }
    if (this.names === undefined) return false;
    return markSeen(this.names, this.seen, values as Value[]);
  }

  get(): void {
    if (this.names === undefined || !sameSet(this.names, this.seen)) throw emptyChannel();
    return undefined;
  }

  checkpoint(): [Value[] | undefined, Value[]] {
    return [this.names ? [...this.names] : undefined, [...this.seen]];
  }

  fromCheckpoint(checkpoint?: [Value[] | undefined, Value[]]): this {
    const channel = new DynamicBarrierValue<Value>() as this;
    if (checkpoint !== undefined) {
      channel.names = checkpoint[0] ? new Set(checkpoint[0]) : undefined;
      channel.seen = new Set(checkpoint[1]);
    }
    return channel;
  }

  override consume(): boolean {
    if (this.names === undefined || !sameSet(this.names, this.seen)) return false;
    this.names = undefined;
    this.seen = new Set();
    return true;
  }
}
