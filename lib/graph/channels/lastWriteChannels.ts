// LangGraph.js's channels that keep the last value written in a step: AnyValue (any number of writes),
// EphemeralValue (cleared by a step that writes nothing), UntrackedValueChannel (never checkpointed).
import { InvalidUpdateError } from "../errors";
import { BaseChannel, MISSING, emptyChannel, type Slot } from "./base";

/** Keeps the last write of a step; a step without writes clears it. */
export class AnyValue<Value> extends BaseChannel<Value, Value, Value> {
  readonly lc_graph_name: string = "AnyValue";
  protected slot: Slot<Value> = MISSING;

  update(values: Value[]): boolean {
    if (values.length === 0) {
      const had = this.slot !== MISSING;
      this.slot = MISSING;
      return had;
    }
    this.slot = values[values.length - 1];
    return true;
  }

  get(): Value {
    if (this.slot === MISSING) throw emptyChannel();
    return this.slot;
  }

  checkpoint(): Value | undefined {
    return this.slot === MISSING ? undefined : this.slot;
  }

  fromCheckpoint(checkpoint?: Value): this {
    const channel = this.empty();
    if (checkpoint !== undefined) channel.slot = checkpoint;
    return channel;
  }

  protected empty(): this {
    return new (this.constructor as new () => this)();
  }
}

/** Holds a value for one step only; with `guard` (the default) at most one write per step. */
export class EphemeralValue<Value> extends AnyValue<Value> {
  override readonly lc_graph_name: string = "EphemeralValue";
  constructor(readonly guard: boolean = true) {
    super();
  }

  override update(values: Value[]): boolean {
    if (values.length > 1 && this.guard) {
      throw new InvalidUpdateError("EphemeralValue can only receive one value per step.", { lc_error_code: "INVALID_CONCURRENT_GRAPH_UPDATE" });
    }
    return super.update(values);
  }

  protected override empty(): this {
    return new EphemeralValue<Value>(this.guard) as this;
  }
}

/** The last value written, never saved in a checkpoint (a restored channel starts from its initial value). */
export class UntrackedValueChannel<Value> extends BaseChannel<Value, Value, undefined> {
  readonly lc_graph_name = "UntrackedValue";
  readonly guard: boolean;
  readonly initialValueFactory?: () => Value;
  private slot: Slot<Value>;

  constructor(options?: { guard?: boolean; initialValueFactory?: () => Value }) {
    super();
    this.guard = options?.guard ?? true;
    this.initialValueFactory = options?.initialValueFactory;
    this.slot = this.initialValueFactory ? this.initialValueFactory() : MISSING;
  }

  update(values: Value[]): boolean {
    if (values.length === 0) return false;
    if (values.length > 1 && this.guard) {
      throw new InvalidUpdateError("UntrackedValue(guard=true) can receive only one value per step. Use guard=false if you want to store any one of multiple values.", { lc_error_code: "INVALID_CONCURRENT_GRAPH_UPDATE" });
    }
    this.slot = values[values.length - 1];
    return true;
  }

  get(): Value {
    if (this.slot === MISSING) throw emptyChannel();
    return this.slot;
  }

  checkpoint(): undefined {
    return undefined;
  }

  fromCheckpoint(): this {
    return new UntrackedValueChannel<Value>({ guard: this.guard, initialValueFactory: this.initialValueFactory }) as this;
  }
}
