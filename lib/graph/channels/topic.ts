// LangGraph.js's Topic channel: a pub/sub list. Each step's writes (a write that is a list counts as its
// items) replace the list, or are appended with `accumulate`; `unique` drops values seen before.
import { BaseChannel, emptyChannel } from "./base";

/** A unique Topic's checkpoint is `[seen, values]`; any other Topic's is `values`. */
export type TopicCheckpoint<Value> = Value[] | [Value[], Value[]];

export class Topic<Value> extends BaseChannel<Value[], Value | Value[], TopicCheckpoint<Value>> {
  readonly lc_graph_name = "Topic";
  readonly unique: boolean;
  readonly accumulate: boolean;
  private values: Value[] = [];
  private seen: Set<Value> | null;

  constructor(fields?: { unique?: boolean; accumulate?: boolean }) {
    super();
    this.unique = fields?.unique ?? false;
    this.accumulate = fields?.accumulate ?? false;
    this.seen = this.unique ? new Set() : null;
  }

  update(updates: Array<Value | Value[]>): boolean {
    let changed = false;
    if (!this.accumulate) {
      changed = this.values.length > 0;
      this.values = [];
    }
    for (const update of updates) {
      for (const value of Array.isArray(update) ? update : [update]) {
        if (this.seen !== null) {
          if (this.seen.has(value)) continue;
          this.seen.add(value);
        }
        this.values.push(value);
        changed = true;
      }
    }
    return changed;
  }

  get(): Value[] {
    if (this.values.length === 0) throw emptyChannel();
    return this.values;
  }

  checkpoint(): TopicCheckpoint<Value> {
    return this.seen !== null ? [[...this.seen], [...this.values]] : [...this.values];
  }

  fromCheckpoint(checkpoint?: TopicCheckpoint<Value>): this {
    const channel = new Topic<Value>({ unique: this.unique, accumulate: this.accumulate }) as this;
    if (checkpoint === undefined) return channel;
    const paired = this.unique && checkpoint.length === 2 && Array.isArray(checkpoint[0]) && Array.isArray(checkpoint[1]);
    const [seen, values] = paired ? (checkpoint as [Value[], Value[]]) : [checkpoint as Value[], checkpoint as Value[]];
    channel.values = [...values];
    if (channel.seen !== null) for (const value of seen) channel.seen.add(value);
    return channel;
  }
}
