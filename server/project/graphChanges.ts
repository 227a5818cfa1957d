// `graphs.changed`: how a page learns that the served graphs changed (a dev reload) without reloading.
// A long poll: given the revision the page has, it answers as soon as the registry is at another one, or
// after maxWaitMs with the same one (the page asks again). Without `since` it answers at once; `watching`
// says whether changes can happen at all (a project served with reload on), so pages poll only then.

export interface ChangeSource {
  readonly changes: number;
  onChange(listener: () => void): () => void;
}

export interface GraphsRevision {
  revision: number;
  watching: boolean;
}

export function waitForGraphChange(
  source: ChangeSource,
  watching: boolean,
  since: number | undefined,
  signal: AbortSignal | undefined,
  maxWaitMs = 25_000,
): Promise<GraphsRevision> {
  const now = (): GraphsRevision => ({ revision: source.changes, watching });
  if (since === undefined || !watching || since !== source.changes || signal?.aborted) return Promise.resolve(now());
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      stop();
      signal?.removeEventListener("abort", done);
      resolve(now());
    };
    const timer = setTimeout(done, maxWaitMs);
    timer.unref?.();
    const stop = source.onChange(done);
    signal?.addEventListener("abort", done, { once: true });
  });
}
