// The memory run store answers synchronously, and so does the run manager over it: tests on it read
// answers directly. A promise here means the synchronous fast path was lost, which fails the test.
import { isPromise, type MaybePromise } from "../maybePromise";

export function sync<T>(value: MaybePromise<T>): T {
  if (isPromise(value)) throw new Error("expected a synchronous answer (memory run store), got a promise");
  return value;
}
