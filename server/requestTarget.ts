// Checks the parts of a request every handler parses (the Host header and the URL) before any of them
// sees it. tRPC's WebSocket adapter builds `new URL(req.url, "http://" + host)` outside any try/catch,
// the offline model decodes its paths with decodeURIComponent, and Next answers a malformed URL with a
// 500: a request that would make any of them throw is answered here with a 400 naming what is wrong.
import type { IncomingMessage } from "node:http";

// RFC 3986's host (an IP literal in brackets, or a reg-name of unreserved, sub-delims and %-escapes) and
// an optional port. The two alternatives and the port share no first character, so matching is linear.
const HOST_PATTERN = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._~!$&'()*+,;=%-]+)(?::[0-9]{0,5})?$/;
const SHOWN_CHARS = 100;

function shown(text: string): string {
  return JSON.stringify(text.length > SHOWN_CHARS ? `${text.slice(0, SHOWN_CHARS)}…` : text);
}

/** Why the Host header cannot be used (null when it can, or when there is none: HTTP/1.0). */
export function hostProblem(host: string | undefined): string | null {
  if (host === undefined) return null;
  if (host === "") return "the Host header is empty";
  if (!HOST_PATTERN.test(host)) return `the Host header ${shown(host)} is not a host[:port]`;
  try {
    new URL(`http://${host}`);
  } catch {
    return `the Host header ${shown(host)} is not a valid host[:port]`;
  }
  return null;
}

/**
 * Why the request URL cannot be used: not a path (`*`, or a proxy's absolute URL, which Next answers with
 * a 500 and a redirect to that URL), not a URL, or percent-escapes that do not decode to UTF-8.
 */
export function urlProblem(url: string | undefined, host: string | undefined): string | null {
  if (!url) return "the request has no URL";
  if (!url.startsWith("/")) return `the request target ${shown(url)} is not a path (/path?query): this server is no proxy`;
  try {
    new URL(url, `http://${host || "localhost"}`);
  } catch {
    return `the request URL ${shown(url)} is not a valid URL`;
  }
  if (url.includes("%")) {
    try {
      decodeURIComponent(url);
    } catch {
      return `the request URL ${shown(url)} has a malformed percent-escape (each % must start an escape of UTF-8 bytes, like %C3%A9)`;
    }
  }
  return null;
}

/** Null when the Host header and the URL are usable, else why not (for a 400). */
export function requestTargetProblem(req: IncomingMessage): string | null {
  return hostProblem(req.headers.host) ?? urlProblem(req.url, req.headers.host);
}
