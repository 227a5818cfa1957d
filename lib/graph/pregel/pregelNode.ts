// LangGraph.js's `PregelNode` and `Channel`: a low-level Pregel node reads channels (`Channel.subscribeTo`),
// runs when one of them was written in the previous step, pipes the value through functions / runnables, and
// records writes with `Channel.writeTo` (a ChannelWrite). Built for `new Pregel({ nodes, channels, ... })`.
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

  constructor(fields: { channels: NodeChannels; triggers: string[]; tags?: string[]; steps?: NodeStep[] }) {
    this.channels = fields.channels;
    this.triggers = fields.triggers;
    this.tags = fields.tags ?? [];
    this.steps = fields.steps ?? [];
  }

  /** The ChannelWrites among the node's parts (LangGraph.js keeps them apart as `writers`). */
  get writers(): ChannelWrite[] {
    return this.steps.filter((s): s is ChannelWrite => s instanceof ChannelWrite);
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
