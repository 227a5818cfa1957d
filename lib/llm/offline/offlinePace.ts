// The offline model streams about as fast as a hosted model (~30 tokens a second) so the playground shows
// tokens arriving the way they will with a real key. RILL_OFFLINE_DELAY_MS changes it; 0 means no pause.
export const DEFAULT_OFFLINE_DELAY_MS = 33;

export function offlineDelayMs(env: Record<string, string | undefined>): number {
  const raw = env.RILL_OFFLINE_DELAY_MS;
  if (raw === undefined || raw.trim() === "") return DEFAULT_OFFLINE_DELAY_MS;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) {
    throw new Error(`RILL_OFFLINE_DELAY_MS must be a number of milliseconds >= 0 (got "${raw}").`);
  }
  return value;
}
