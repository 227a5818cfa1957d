// LangGraph.js's `ChannelWrite`: the last part of a low-level Pregel node (`Channel.writeTo(...)`). It passes its
// input through and records writes to channels: the input itself (PASSTHROUGH), a fixed value, or the input
// mapped by a function / runnable (skipped when the mapped value is null or undefined).
import { AsyncLocalStorage } from "node:async_hooks";

/** The value of a write that stands for the node's input to the ChannelWrite. */
export const PASSTHROUGH: unique symbol = Symbol.for("rill.passthrough");

export interface Invocable {
  invoke(input: unknown, config?: unknown): unknown;
}

export interface ChannelWriteEntry {
  channel: string;
  value: unknown;
  skipNone: boolean;
  mapper?: Invocable | ((input: unknown) => unknown);
}

/** Collects one task's writes as [channel, value] pairs. */
export type WriteSink = Array<[string, unknown]>;

const sinks = new AsyncLocalStorage<WriteSink>();

/** Runs `fn` with `sink` receiving the writes of every ChannelWrite it reaches (also inside RunnableEach etc.). */
export function collectWrites<T>(sink: WriteSink, fn: () => T): T {
  return sinks.run(sink, fn);
}

function isInvocable(value: unknown): value is Invocable {
  return typeof value === "object" && value !== null && typeof (value as Invocable).invoke === "function";
}

async function mapped(entry: ChannelWriteEntry, input: unknown, config: unknown): Promise<unknown> {
  const mapper = entry.mapper;
  if (mapper === undefined) return input;
  return isInvocable(mapper) ? await mapper.invoke(input, config) : await mapper(input);
}

export class ChannelWrite {
  readonly lc_runnable = true;
  readonly writes: ChannelWriteEntry[];

  constructor(writes: ChannelWriteEntry[]) {
    this.writes = writes;
  }

  async invoke(input: unknown, config?: unknown): Promise<unknown> {
    const sink = sinks.getStore();
    if (sink === undefined) throw new Error("ChannelWrite ran outside a Pregel node: its writes have no task to go to.");
    const values = await Promise.all(this.writes.map((w) => (w.value === PASSTHROUGH ? mapped(w, input, config) : w.value)));
    this.writes.forEach((w, i) => {
      const value = values[i];
      if (w.skipNone && (value === undefined || value === null)) return;
      sink.push([w.channel, value]);
    });
    return input;
  }

  /** What RunnableEach calls: one invoke per input. */
  async batch(inputs: unknown[], config?: unknown): Promise<unknown[]> {
    const out: unknown[] = [];
    for (const input of inputs) out.push(await this.invoke(input, Array.isArray(config) ? config[0] : config));
    return out;
  }
}

/** `Channel.writeTo(["a", "b"], { fixed: 6, fn: (x) => ..., runnable })` as LangGraph.js builds it. */
export function channelWriteTo(channels: readonly string[], kwargs: Record<string, unknown> = {}): ChannelWrite {
  const writes: ChannelWriteEntry[] = channels.map((channel) => ({ channel, value: PASSTHROUGH, skipNone: false }));
  for (const [channel, value] of Object.entries(kwargs)) {
    if (isInvocable(value) || typeof value === "function") {
      writes.push({ channel, value: PASSTHROUGH, skipNone: true, mapper: value as ChannelWriteEntry["mapper"] });
    } else {
      writes.push({ channel, value, skipNone: false });
    }
  }
  return new ChannelWrite(writes);
}
