// The offline model on its own HTTP server, for scripts and tests (the run server mounts the handler
// instead). `url` is an OpenAI base URL: pass it as `baseURL` to the openai client or to ChatOpenAI.
import { createServer, type Server } from "node:http";
import { createOfflineModelHandler, type OfflineModelOptions } from "./offlineModelHandler";

export interface OfflineModelServerOptions extends OfflineModelOptions {
  /** Default 0: any free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Don't keep the process alive for this server (for the model's lazily started in-process server). */
  unref?: boolean;
}

export interface OfflineModelServer {
  /** `http://host:port/v1` */
  url: string;
  port: number;
  server: Server;
  /** Stops listening and closes open connections, streaming responses included. */
  close(): Promise<void>;
}

export function startOfflineModelServer(options: OfflineModelServerOptions = {}): Promise<OfflineModelServer> {
  const handle = createOfflineModelHandler(options);
  const server = createServer((req, res) => {
    if (handle(req, res)) return;
    const body = JSON.stringify({ error: { message: `No route ${req.method} ${req.url}: the offline model serves POST /v1/chat/completions and GET /v1/models.`, type: "invalid_request_error", param: null, code: null } });
    res.writeHead(404, { "content-type": "application/json" }).end(body);
  });
  const host = options.host ?? "127.0.0.1";
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      if (options.unref) server.unref();
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : (options.port ?? 0);
      const urlHost = host.includes(":") ? `[${host}]` : host;
      resolve({
        url: `http://${urlHost}:${port}/v1`,
        port,
        server,
        close: () =>
          new Promise<void>((done, fail) => {
            server.close((error) => (error ? fail(error) : done()));
            server.closeAllConnections();
          }),
      });
    });
  });
}
