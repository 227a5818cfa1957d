// LangGraph.js's standalone channel API (`update`, `get`, `checkpoint`, `fromCheckpoint`, `isAvailable`,
// `consume`, `finish`), for code that drives a channel by hand. Rill's engine does not go through it: it
// reads only a channel's reducer and initial value (see StateChannels), so these methods cost a graph
// nothing. A channel's own value lives here and is created on first use.
import { EmptyChannelError } from "../errors";

/** The value of a channel nothing was written to (`undefined` is a value a channel can hold). */
export const MISSING: unique symbol = Symbol("rill.channel.missing");
export type Slot<Value> = Value | typeof MISSING;

export abstract class BaseChannel<Value = unknown, Update = Value, CheckpointValue = unknown> {
  abstract readonly lc_graph_name: string;
  /** Phantom fields carrying the types (never set at runtime). */
  declare readonly ValueType: Value;
  declare readonly UpdateType: Update;

  /** Applies one step's writes; true when the channel changed. */
  abstract update(values: Update[]): boolean;
  /** The current value; EmptyChannelError when there is none. */
  abstract get(): Value;
  /** What a checkpoint keeps of the channel. */
  abstract checkpoint(): CheckpointValue | undefined;
  /** A new channel of the same kind holding `checkpoint` (or its initial value when undefined). */
  abstract fromCheckpoint(checkpoint?: CheckpointValue): this;

  isAvailable(): boolean {
    try {
      this.get();
      return true;
    } catch (error) {
      if (error instanceof EmptyChannelError) return false;
      throw error;
    }
  }

  /** Called once a subscribed task ran; true when the channel changed. */
  consume(): boolean {
    return false;
  }

  /** Called when the run is about to finish; true when the channel changed. */
  finish(): boolean {
    return false;
  }
}

export function emptyChannel(): EmptyChannelError {
  return new EmptyChannelError();
}
