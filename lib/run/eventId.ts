// Event ids are `<runId>:<seq>`: the run id lets a resubscribe that only carries `lastEventId` (wsLink
// resends the ORIGINAL start input plus lastEventId after a reconnect) find the run it was following,
// and the sequence number says exactly where to continue. Seq 0 is the run's metadata event; the
// run's logged events are numbered from 1. Shared by the run server and the browser: no dependencies.

export interface EventPosition {
  runId: string;
  seq: number;
}

/** The most digits a seq may have: 15 keeps every seq an exact (safe) integer. */
export const MAX_SEQ_DIGITS = 15;

export function formatEventId(runId: string, seq: number): string {
  return `${runId}:${seq}`;
}

/**
 * The run and seq an event id names, or null when `id` is not exactly what formatEventId writes: one
 * colon after a non-empty run id (run ids never contain ":"), then a seq in plain decimal without
 * leading zeros and at most MAX_SEQ_DIGITS digits. One pass over the string, no regular expression.
 */
export function parseEventId(id: string): EventPosition | null {
  const colon = id.indexOf(":");
  if (colon <= 0) return null;
  const digits = id.length - colon - 1;
  if (digits < 1 || digits > MAX_SEQ_DIGITS) return null;
  if (digits > 1 && id.charCodeAt(colon + 1) === 48 /* "0" */) return null;
  let seq = 0;
  for (let i = colon + 1; i < id.length; i++) {
    const digit = id.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return null;
    seq = seq * 10 + digit;
  }
  return { runId: id.slice(0, colon), seq };
}
