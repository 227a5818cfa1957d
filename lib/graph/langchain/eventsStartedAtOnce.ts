// LangGraph.js's streamEvents starts the run when it is called; LangChain's event stream (an async generator)
// starts only at the first next(). This asks for the first event at once and hands it to the first next().
import type { ChainEventStream } from "./streamEvents";

export function startedAtOnce(events: ChainEventStream): ChainEventStream {
  let first: ReturnType<ChainEventStream["next"]> | undefined = events.next();
  // Its failure is the caller's once they iterate; until then it must not count as unhandled.
  first.catch(() => {});
  const stream = {
    next() {
      if (first === undefined) return events.next();
      const pending = first;
      first = undefined;
      return pending;
    },
    return(value: unknown) {
      first = undefined;
      return events.return(value);
    },
    throw(error: unknown) {
      first = undefined;
      return events.throw(error);
    },
    cancel(reason?: unknown) {
      first = undefined;
      return events.cancel(reason);
    },
    [Symbol.asyncIterator]() {
      return stream;
    },
  };
  return stream as ChainEventStream;
}
