// Durations as people read them on a timeline: "<1 ms", "12 ms", "1.24 s", "2 min 5 s".
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return "—";
  if (ms < 1) return ms === 0 ? "0 ms" : "<1 ms";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** An axis label: as precise as the axis needs (0.5 ms steps on a 2 ms axis, whole seconds on a minute). */
export function formatTick(ms: number, span: number): string {
  if (ms === 0) return "0";
  if (span < 10) return `${ms.toFixed(1)} ms`;
  if (span < 1000) return `${Math.round(ms)} ms`;
  if (span < 60_000) return `${(ms / 1000).toFixed(span < 10_000 ? 1 : 0)} s`;
  return formatDuration(ms);
}
