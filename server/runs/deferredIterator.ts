// An async iterator over one that is still being opened (a subscription whose run is looked up in a
// durable store): next() waits for it once, then delegates. A failure to open is what next() rejects with.
export function deferredIterator<T>(opening: Promise<AsyncIterableIterator<T, void>>): AsyncIterableIterator<T, void> {
  let inner: AsyncIterableIterator<T, void> | null = null;
  let closed = false;
  const ready = opening.then((iterator) => {
    inner = iterator;
    if (closed) void iterator.return?.();
    return iterator;
  });
  ready.catch(() => {});
  return {
    next: () => (inner ? inner.next() : ready.then((iterator) => iterator.next())),
    return: async () => {
      closed = true;
      if (inner) return (await inner.return?.()) ?? { done: true, value: undefined };
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
