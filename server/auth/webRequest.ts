// The Web `Request` a LangGraph auth handler receives, built from Node's request: the same method, URL
// and headers. A WebSocket's handler sees the upgrade request, plus what its client sent as
// connectionParams (browsers cannot set headers on a WebSocket; tRPC allows only string values): `token`
// as `Authorization: Bearer <token>` when the upgrade had no Authorization header, and every other entry
// as a header of its name (`{ "x-api-key": "..." }`), replacing the upgrade's.
// The body is not passed: tRPC reads it after authentication.
import type { IncomingMessage } from "node:http";

function headersOf(req: IncomingMessage, connectionParams: Record<string, unknown> | null): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || name.startsWith(":")) continue;
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
  }
  if (connectionParams) {
    for (const [name, value] of Object.entries(connectionParams)) {
      if (name !== "token" && typeof value === "string") headers.set(name, value);
    }
    const token = connectionParams.token;
    if (typeof token === "string" && token !== "" && !headers.has("authorization")) headers.set("authorization", `Bearer ${token}`);
  }
  return headers;
}

/** Throws (a TypeError) when a header or the URL cannot be represented; the caller answers BAD_REQUEST. */
export function webRequestOf(req: IncomingMessage, connectionParams: Record<string, unknown> | null): Request {
  const url = new URL(req.url ?? "/", `http://${req.headers.host ?? "localhost"}`);
  return new Request(url, { method: req.method === "GET" || req.method === "HEAD" ? req.method : "POST", headers: headersOf(req, connectionParams) });
}
