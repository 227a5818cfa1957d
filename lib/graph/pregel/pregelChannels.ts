// The state keys a low-level Pregel runs on. Rill's engine keeps LastValue and BinaryOperatorAggregate keys; a
// Topic becomes a reducer key holding the step its values were written at, so a node sees a (non-accumulating)
// Topic's values only in the step after they were written, as LangGraph.js's Topic clears between steps.
import { BinaryOperatorAggregate, LastValue, type Channel as StateChannel } from "../channels/channel";
import { EphemeralValue } from "../channels/lastWriteChannels";
import { Topic } from "../channels/topic";

/** The step the run's input is written at (the first node step is 1). */
export const INPUT_STEP = 0;

export interface TopicSlot {
  step: number;
  values: unknown[];
}

/** The engine key standing for `channel`, or a clear error naming it when Pregel cannot run it. */
export function stateChannelFor(name: string, channel: unknown): StateChannel {
  if (channel instanceof LastValue || channel instanceof BinaryOperatorAggregate) return channel;
  if (channel instanceof EphemeralValue) return new LastValue();
  if (channel instanceof Topic) {
    const accumulate = channel.accumulate;
    return new BinaryOperatorAggregate<TopicSlot, TopicSlot>((current, update) =>
      accumulate || current.step === update.step ? { step: update.step, values: [...current.values, ...update.values] } : update,
    ) as unknown as StateChannel;
  }
  throw new Error(`Pregel: channel "${name}" is a ${(channel as { constructor?: { name?: string } })?.constructor?.name ?? typeof channel}; Rill's Pregel runs LastValue, BinaryOperatorAggregate, Topic and EphemeralValue channels.`);
}

/** A write to a Topic key: its values (a list write counts as its items) tagged with the step. */
export function topicWrite(values: unknown[], step: number): TopicSlot {
  return { step, values: values.flatMap((v) => (Array.isArray(v) ? v : [v])) };
}

/** What a node at `step` reads from a Topic key (undefined when empty or written before the previous step). */
export function topicRead(slot: unknown, accumulate: boolean, step: number | undefined): unknown[] | undefined {
  if (slot === undefined || slot === null) return undefined;
  const { step: written, values } = slot as TopicSlot;
  if (!accumulate && step !== undefined && written !== step - 1) return undefined;
  return values;
}
