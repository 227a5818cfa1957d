// The run id the page picks for each start. A start is then idempotent: if the socket drops after the
// start was sent but before the run's first event arrived, wsLink sends the same start again (with no
// lastEventId, having none), and the server joins the run that id names instead of starting a second
// one. getRandomValues, unlike randomUUID, also works on plain http:// origins other than localhost.
export function newClientRunId(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  let hex = "";
  for (const byte of bytes) hex += byte.toString(16).padStart(2, "0");
  return `run_${hex}`;
}
