// A database that does not answer (PostgreSQL down, restarting, refusing connections, or the network to
// it gone) is not the caller's mistake nor a bug: requests that needed it get SERVICE_UNAVAILABLE with a
// message saying so, and the server stays up. Recognised by the errors pg and Node's sockets raise.
const CONNECTION_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "ENOTFOUND", "EHOSTUNREACH", "EPIPE"]);
/** PostgreSQL SQLSTATE classes 08 (connection exception) and 57P (operator intervention: shutdown, cannot connect now). */
const SQLSTATE = /^(08|57P)/;
const MESSAGES = /Connection terminated|timeout exceeded when trying to connect|not currently accepting connections|the database system is (shutting down|starting up)/;

export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && (CONNECTION_CODES.has(code) || SQLSTATE.test(code))) return true;
  return MESSAGES.test(error.message);
}

export function databaseUnavailableMessage(error: Error): string {
  return `the database does not answer (${error.message}); nothing was changed, try again when it does`;
}
