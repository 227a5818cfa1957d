// A local OpenAI-compatible endpoint that fails on purpose, one way per base URL:
// `${url}/<scenario>/v1`. Independent of the offline model, so error handling is tested against failures
// written the way real providers send them.
import { createServer } from "node:http";

export type FailureScenario = "401" | "429" | "500" | "503-text" | "drop" | "malformed" | "truncated" | "stream-error";

export interface FailingProvider {
  baseURL(scenario: FailureScenario): string;
  /** Requests received per scenario (to see whether anything retried). */
  requests: Map<string, number>;
  close(): Promise<void>;
}

const JSON_HEADERS = { "content-type": "application/json" };
const SSE_HEADERS = { "content-type": "text/event-stream" };

function chunk(content: string, finish: string | null = null): string {
  const body = { id: "chatcmpl-test", object: "chat.completion.chunk", created: 0, model: "gpt-4o-mini", choices: [{ index: 0, delta: { content }, finish_reason: finish }] };
  return `data: ${JSON.stringify(body)}\n\n`;
}

export async function startFailingProvider(): Promise<FailingProvider> {
  const requests = new Map<string, number>();
  const server = createServer((req, res) => {
    const scenario = (req.url ?? "").split("/")[1] as FailureScenario;
    requests.set(scenario, (requests.get(scenario) ?? 0) + 1);
    req.resume();
    req.on("end", () => {
      switch (scenario) {
        case "401":
          res.writeHead(401, JSON_HEADERS).end(
            JSON.stringify({ error: { message: "Incorrect API key provided: sk-bad. You can find your API key at https://platform.openai.com/account/api-keys.", type: "invalid_request_error", param: null, code: "invalid_api_key" } }),
          );
          return;
        case "429":
          res.writeHead(429, { ...JSON_HEADERS, "retry-after": "2" }).end(
            JSON.stringify({ error: { message: "Rate limit reached for gpt-4o-mini on requests per min (RPM): Limit 3, Used 3, Requested 1.", type: "requests", param: null, code: "rate_limit_exceeded" } }),
          );
          return;
        case "500":
          // retry-after-ms keeps the openai client's own retries (when enabled) fast in tests.
          res.writeHead(500, { ...JSON_HEADERS, "retry-after-ms": "5" }).end(
            JSON.stringify({ error: { message: "The server had an error while processing your request. Sorry about that!", type: "server_error", param: null, code: null } }),
          );
          return;
        case "503-text":
          res.writeHead(503, { "content-type": "text/plain", "retry-after-ms": "5" }).end("upstream connect error");
          return;
        case "drop":
          res.writeHead(200, SSE_HEADERS);
          res.write(chunk("Why"));
          res.write(chunk(" did"), () => setTimeout(() => res.destroy(), 10));
          return;
        case "malformed":
          res.writeHead(200, SSE_HEADERS);
          res.write(chunk("Why"));
          res.end("data: {this is not json}\n\n");
          return;
        case "truncated":
          res.writeHead(200, SSE_HEADERS);
          res.write(chunk("Why"));
          res.end(chunk(" did"));
          return;
        case "stream-error":
          res.writeHead(200, SSE_HEADERS);
          res.write(chunk("Why"));
          res.end(`data: ${JSON.stringify({ error: { message: "The model is overloaded.", type: "server_error" } })}\n\n`);
          return;
        default:
          res.writeHead(404, JSON_HEADERS).end(JSON.stringify({ error: { message: `unknown scenario ${scenario}` } }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    baseURL: (scenario) => `http://127.0.0.1:${port}/${scenario}/v1`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
