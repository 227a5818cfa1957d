// A value or a promise of it: what run stores answer (the memory store synchronously, durable ones
// when they must wait for a disk or a database). Callers chain with `then` so that a synchronous
// answer costs no await and no microtask.
export type MaybePromise<T> = T | PromiseLike<T>;

export function isPromise<T>(value: MaybePromise<T>): value is PromiseLike<T> {
  return value !== null && typeof value === "object" && typeof (value as { then?: unknown }).then === "function";
}

/** `onValue(value)` now when `value` is at hand, after it resolves otherwise. */
export function then<T, R>(value: MaybePromise<T>, onValue: (value: T) => MaybePromise<R>): MaybePromise<R> {
  return isPromise(value) ? Promise.resolve(value).then(onValue) : onValue(value);
}

/**
 * `attempt()` then `onValue`, with `onError` for what it throws or rejects with; synchronous while
 * everything is.
 */
export function settle<T, R>(
  attempt: () => MaybePromise<T>,
  onValue: (value: T) => MaybePromise<R>,
  onError: (error: unknown) => MaybePromise<R>,
): MaybePromise<R> {
  let value: MaybePromise<T>;
  try {
    value = attempt();
  } catch (error) {
    return onError(error);
  }
  if (isPromise(value)) return Promise.resolve(value).then(onValue, onError);
  return onValue(value);
}
