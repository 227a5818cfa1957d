// GET /healthz: the process is up (200, its instance id). GET /readyz: it can serve: not shutting down
// and, in a deployment, PostgreSQL and Redis answer (else 503 naming what does not). For load balancers
// and orchestrators; no auth (they say nothing about runs).
import type { IncomingMessage, ServerResponse } from "node:http";

export interface HealthSource {
  instanceId: string;
  closing(): boolean;
  /** Null for a single process (its store is in-process or a file): ready while up. */
  notReady: (() => Promise<string | null>) | null;
}

function send(res: ServerResponse, status: number, body: Record<string, unknown>): void {
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
  res.end(JSON.stringify(body));
}

/** Answers /healthz and /readyz; false for any other request. */
export function serveHealth(req: IncomingMessage, res: ServerResponse, source: HealthSource): boolean {
  const path = req.url?.split("?")[0];
  if (path !== "/healthz" && path !== "/readyz") return false;
  if (req.method !== "GET" && req.method !== "HEAD") {
    send(res, 405, { error: `${path} answers GET only` });
    return true;
  }
  if (path === "/healthz") {
    send(res, 200, { ok: true, instanceId: source.instanceId });
    return true;
  }
  if (source.closing()) {
    send(res, 503, { ready: false, instanceId: source.instanceId, reason: "shutting down" });
    return true;
  }
  if (!source.notReady) {
    send(res, 200, { ready: true, instanceId: source.instanceId });
    return true;
  }
  source.notReady().then(
    (problem) =>
      problem === null
        ? send(res, 200, { ready: true, instanceId: source.instanceId })
        : send(res, 503, { ready: false, instanceId: source.instanceId, reason: problem }),
    (error: unknown) => send(res, 503, { ready: false, instanceId: source.instanceId, reason: String(error) }),
  );
  return true;
}
