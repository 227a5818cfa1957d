// What `runs.stream` returns: a run follower's events as tRPC tracked events, as a plain async iterable
// rather than another async generator wrapped around the follower (one generator layer per event less:
// measurable at tens of thousands of events per second). It maps errors to TRPCErrors and reports when
// the subscription ends, however it ends.
import { tracked, type TrackedEnvelope } from "@trpc/server";
import type { FollowedEvent } from "./runs/followRun";
import type { RunEvent } from "./runs/runEvent";
import { asWireEvent } from "./runs/serializedEvent";
import { asTRPCError } from "./trpc";

export function trackedRunEvents(
  follower: AsyncGenerator<FollowedEvent, void, undefined>,
  onEnd: () => void,
): AsyncIterable<TrackedEnvelope<RunEvent>, void> {
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    onEnd();
  };
  const iterator: AsyncIterator<TrackedEnvelope<RunEvent>, void> = {
    next: () =>
      follower.next().then(
        (result): IteratorResult<TrackedEnvelope<RunEvent>, void> => {
          if (result.done) {
            end();
            return { done: true, value: undefined };
          }
          return { done: false, value: tracked(result.value.id, asWireEvent(result.value.event)) };
        },
        (error: unknown) => {
          end();
          throw asTRPCError(error);
        },
      ),
    return: async () => {
      end();
      await follower.return(undefined);
      return { done: true, value: undefined };
    },
  };
  return { [Symbol.asyncIterator]: () => iterator };
}
