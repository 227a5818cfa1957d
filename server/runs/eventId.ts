// Event ids are `<runId>:<seq>`: the run id lets a resubscribe that only carries `lastEventId` (wsLink
// resends the ORIGINAL start input plus lastEventId after a reconnect) find the run it was following,
// and the sequence number says exactly where to continue. Seq 0 is the run's metadata event; the
// run's logged events are numbered from 1.

export interface EventPosition {
  runId: string;
  seq: number;
}

export function formatEventId(runId: string, seq: number): string {
  return `${runId}:${seq}`;
}

/** Null when `id` is not an event id this server produced. */
export function parseEventId(id: string): EventPosition | null {
  const colon = id.lastIndexOf(":");
  if (colon <= 0) return null;
  const digits = id.slice(colon + 1);
  if (!/^\d{1,15}$/.test(digits)) return null;
  return { runId: id.slice(0, colon), seq: Number(digits) };
}
