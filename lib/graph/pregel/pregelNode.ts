// LangGraph.js's `PregelNode` and `Channel`: a low-level Pregel node reads channels (`Channel.subscribeTo`),
// runs when one of them was written in the previous step, pipes the value through functions / runnables, and
// records writes with `Channel.writeTo` (a ChannelWrite). Built for `new Pregel({ nodes, channels, ... })`.
import { createRequire } from "node:module";
import { ChannelWrite, channelWriteTo, type Invocable } from "./channelWrite";
import { setOwnValue } from "../prototypeKeys";

export type NodeStep = Invocable | ((input: any, config?: any) => unknown);

/** What a node reads: one channel (the bare value) or several (an object keyed by name or by `key`). */
export type NodeChannels = string | string[] | Record<string, string>;

function isInvocable(value: unknown): value is Invocable {
  return typeof value === "object" && value !== null && typeof (value as Invocable).invoke === "function";
}

export class PregelNode {
  readonly lc_runnable = true;
  readonly channels: NodeChannels;
  readonly triggers: string[];
  readonly tags: string[];
  /** The node's parts in order: functions and runnables, ChannelWrites among them. */
  readonly steps: NodeStep[];

  /**
   * `steps`: the parts in order; or LangGraph.js's fields, `bound` (what runs first; none by default) and
   * `writers` (what follows it: ChannelWrites and whatever was piped after the first of them).
   */
  constructor(fields: { channels: NodeChannels; triggers: string[]; tags?: string[]; steps?: NodeStep[]; bound?: NodeStep; writers?: NodeStep[] }) {
    this.channels = fields.channels;
    this.triggers = fields.triggers;
    this.tags = fields.tags ?? [];
    this.steps = fields.steps ?? [...(fields.bound !== undefined ? [fields.bound] : []), ...(fields.writers ?? [])];
    this.boundCount = fields.steps === undefined ? (fields.bound !== undefined ? 1 : 0) : firstWriter(this.steps);
  }

  /** How many of `steps` come before the writers (LangGraph.js's `bound`). */
  private readonly boundCount: number;

  /** The ChannelWrites among the node's parts. */
  get writers(): ChannelWrite[] {
    return this.steps.filter((s): s is ChannelWrite => s instanceof ChannelWrite);
  }

  /** LangGraph.js's writers (the parts after `bound`), trailing ChannelWrites merged into one. */
  getWriters(): NodeStep[] {
    const writers = this.steps.slice(this.boundCount);
    while (writers.length > 1 && writers[writers.length - 1] instanceof ChannelWrite && writers[writers.length - 2] instanceof ChannelWrite) {
      const last = writers.pop() as ChannelWrite;
      writers[writers.length - 1] = new ChannelWrite([...(writers[writers.length - 1] as ChannelWrite).writes, ...last.writes]);
    }
    return writers;
  }

  /**
   * The node as one runnable, as LangGraph.js's `getNode()`: undefined when it has no parts, the part itself when
   * it has one, else a @langchain/core RunnableSequence of `bound` and the writers.
   */
  getNode(): NodeStep | undefined {
    const parts = [...this.steps.slice(0, this.boundCount), ...this.getWriters()];
    if (parts.length <= 1) return parts[0];
    let runnables: { RunnableSequence: new (fields: Record<string, unknown>) => NodeStep };
    try {
      runnables = createRequire(import.meta.url)("@langchain/core/runnables");
    } catch (error) {
      throw new Error(`PregelNode.getNode needs @langchain/core (its RunnableSequence): ${(error as Error).message}`);
    }
    return new runnables.RunnableSequence({ first: parts[0], middle: parts.slice(1, -1), last: parts[parts.length - 1], omitSequenceTags: true });
  }

  /** A new node with `step` appended: a function `(input, config) => output`, a runnable or a ChannelWrite. */
  pipe(step: NodeStep): PregelNode {
    if (typeof step !== "function" && !isInvocable(step)) throw new Error("PregelNode.pipe expects a function, a runnable (an object with invoke()) or Channel.writeTo(...)");
    return new PregelNode({ channels: this.channels, triggers: this.triggers, tags: this.tags, steps: [...this.steps, step] });
  }

  /** A new node that also reads `channels` (without running when they are written); needs a list or keyed read. */
  join(channels: string[]): PregelNode {
    if (typeof this.channels === "string") throw new Error("PregelNode.join: the node reads a single channel; subscribe with a list (Channel.subscribeTo([\"a\"])) to join more.");
    const joined: NodeChannels = Array.isArray(this.channels) ? [...this.channels, ...channels] : { ...this.channels, ...Object.fromEntries(channels.map((c) => [c, c])) };
    return new PregelNode({ channels: joined, triggers: this.triggers, tags: this.tags, steps: this.steps });
  }

  /** The node's input from the channels' current values (`read(channel)` is undefined for an empty one). */
  readInput(read: (channel: string) => unknown): unknown {
    const channels = this.channels;
    if (typeof channels === "string") return read(channels);
    const entries: Array<[string, string]> = Array.isArray(channels) ? channels.map((c) => [c, c]) : Object.entries(channels);
    const input: Record<string, unknown> = {};
    for (const [key, channel] of entries) {
      const value = read(channel);
      // A key named "__proto__" (subscribeTo(ch, { key })) is the input's own key, not its prototype.
      if (value !== undefined) setOwnValue(input, key, value);
    }
    return input;
  }

  /** Runs the parts in order; a function that returns a runnable has it invoked with the same input. */
  async invoke(input: unknown, config?: unknown): Promise<unknown> {
    let value = input;
    for (const step of this.steps) {
      if (isInvocable(step)) value = await step.invoke(value, config);
      else {
        const out = await step(value, config);
        value = isInvocable(out) ? await out.invoke(value, config) : out;
      }
    }
    return value;
  }
}

/** Where the writers start: the first ChannelWrite (LangGraph.js pipes what follows it into `writers`). */
function firstWriter(steps: NodeStep[]): number {
  const at = steps.findIndex((step) => step instanceof ChannelWrite);
  return at < 0 ? steps.length : at;
}

export const Channel = {
  /** A node that runs when `channels` are written and reads them; `key` names a single channel's value. */
  subscribeTo(channels: string | string[], options?: { key?: string; tags?: string[] }): PregelNode {
    const list = Array.isArray(channels) ? channels : [channels];
    if (options?.key !== undefined && Array.isArray(channels)) throw new Error("Channel.subscribeTo: `key` can only be used with a single channel name, not a list.");
    const read: NodeChannels = options?.key !== undefined ? { [options.key]: channels as string } : channels;
    return new PregelNode({ channels: read, triggers: list, tags: options?.tags });
  },

  /** A ChannelWrite of the input to `channels`, plus `kwargs`: fixed values, or functions / runnables of the input. */
  writeTo(channels: string[], kwargs?: Record<string, unknown>): ChannelWrite {
    return channelWriteTo(channels, kwargs);
  },
};
