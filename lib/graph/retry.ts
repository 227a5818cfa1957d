// Retry policy of a node, with LangGraph.js's fields, defaults and default `retryOn`.

export interface RetryPolicy {
  /** Attempts in total, the first included. Default 3. */
  maxAttempts?: number;
  /** Milliseconds before the first retry. Default 500. */
  initialInterval?: number;
  /** Multiplier of the interval after each retry. Default 2. */
  backoffFactor?: number;
  /** Upper bound of the interval in milliseconds. Default 128000. */
  maxInterval?: number;
  /** Add up to one second of random delay. Default true. */
  jitter?: boolean;
  /** Which errors are retried. Default: not aborts/cancellations, not 4xx other than 408 and 429. */
  retryOn?: (error: unknown) => boolean;
  /** Log each retry with console.log, as LangGraph.js does. Default true. */
  logWarning?: boolean;
}

const NO_RETRY_STATUSES = new Set([400, 401, 402, 403, 404, 405, 406, 407, 409]);

export function defaultRetryOn(error: unknown): boolean {
  if (!(error instanceof Error)) return true;
  if (error.message.startsWith("Cancel") || error.message.startsWith("AbortError") || error.name === "AbortError") return false;
  if (error.name === "GraphValueError") return false;
  const fields = error as Error & { code?: unknown; status?: unknown; response?: { status?: unknown }; error?: { code?: unknown } };
  if (fields.code === "ECONNABORTED") return false;
  const status = fields.response?.status ?? fields.status;
  if (status !== undefined && status !== null && NO_RETRY_STATUSES.has(Number(status))) return false;
  if (fields.error?.code === "insufficient_quota") return false;
  return true;
}

/** Whether attempt number `attempts` (1-based, just failed) may be followed by another. */
export function shouldRetry(policy: RetryPolicy, attempts: number, error: unknown): boolean {
  if (attempts >= (policy.maxAttempts ?? 3)) return false;
  return (policy.retryOn ?? defaultRetryOn)(error);
}

/** Milliseconds to wait after failed attempt number `attempts`. */
export function retryDelay(policy: RetryPolicy, attempts: number): number {
  const initial = policy.initialInterval ?? 500;
  const interval = Math.min(policy.maxInterval ?? 128_000, initial * (policy.backoffFactor ?? 2) ** (attempts - 1));
  return policy.jitter ?? true ? interval + Math.random() * 1000 : interval;
}

/** A timer that rejects with the signal's reason as soon as `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
