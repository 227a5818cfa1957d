// tRPC serves subscriptions over HTTP too (server-sent events), but an HTTP subscriber gets none of what a
// WebSocket one gets: no pacing on its unsent bytes, no keep-alive, and each request counts as its own
// connection for the per-connection run limit. So this server serves subscriptions over the WebSocket
// only, and answers an HTTP request naming one with 405 and where to go instead. The check runs before
// tRPC's HTTP handler, so the procedure never runs (a refused `runs.stream` starts no run).
import type { ServerResponse } from "node:http";
import type { AnyTRPCRouter } from "@trpc/server";

/** The paths of the router's subscription procedures ("runs.stream", ...). */
export function subscriptionPaths(router: AnyTRPCRouter): Set<string> {
  const procedures = router._def.procedures as Record<string, { _def: { type: string } }>;
  return new Set(Object.keys(procedures).filter((path) => procedures[path]!._def.type === "subscription"));
}

function trimSlashes(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && text[start] === "/") start++;
  while (end > start && text[end - 1] === "/") end--;
  return text.slice(start, end);
}

/**
 * The subscription an HTTP request to tRPC names (a batch names several, comma-separated), or null.
 * `url` has passed requestTargetProblem, so its percent-escapes decode.
 */
export function subscriptionCalledOverHttp(url: string, basePath: string, subscriptions: ReadonlySet<string>): string | null {
  const end = url.indexOf("?");
  const path = decodeURIComponent(url.slice(basePath.length, end === -1 ? undefined : end));
  // tRPC trims slashes around the path; a name with slashes inside names no procedure anyway.
  for (const name of path.split(",")) if (subscriptions.has(trimSlashes(name))) return trimSlashes(name);
  return null;
}

/** The 405 in tRPC's error shape, so tRPC's HTTP clients show the message. */
export function refuseSubscriptionOverHttp(res: ServerResponse, path: string, wsPath: string): void {
  const message =
    `${path} is a subscription: this server serves subscriptions over the WebSocket at ${wsPath} only ` +
    `(tRPC's wsLink), not over HTTP (server-sent events)`;
  res.writeHead(405, { "content-type": "application/json" });
  res.end(JSON.stringify({ error: { message, code: -32005, data: { code: "METHOD_NOT_SUPPORTED", httpStatus: 405, path } } }));
}
