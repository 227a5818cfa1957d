// Writes a planned completion as OpenAI's server-sent events, one token per event, paced like a real
// model. Stops as soon as the client goes away (so an aborted request costs nothing more), and honours
// backpressure so a slow reader never makes the server buffer a whole response. When the server stops it
// (`stop`), the stream ends with an error event in OpenAI's shape, which the openai client throws as an
// APIError, and then the end of the response: the client sees why, not a cut connection.
import type { ServerResponse } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { chunkBody, type CompletionPlan } from "./completionPlan";
import type { FailureMode } from "./failureInjection";

export interface StreamOutcome {
  /** The completion id (`chatcmpl-…`), as the client saw it. */
  id: string;
  model: string;
  /** How the response ended: fully sent, the client closed it, or an injected failure. */
  ending: "completed" | "client_closed" | "stopped" | "dropped" | "malformed";
  /** Token deltas written before it ended. */
  tokensSent: number;
  tokensPlanned: number;
}

export interface StreamOptions {
  includeUsage: boolean;
  delayMs: number;
  failure: FailureMode | undefined;
  /** Aborted (with a reason string) when the server stops serving this stream. */
  stop?: AbortSignal;
}

// Injected stream failures strike after this many tokens, so clients see a partial response first.
const TOKENS_BEFORE_FAILURE = 3;

export async function streamCompletion(res: ServerResponse, plan: CompletionPlan, options: StreamOptions): Promise<StreamOutcome> {
  const closed = new AbortController();
  const onClose = () => {
    if (!res.writableFinished) closed.abort();
  };
  res.on("close", onClose);
  const interrupted = options.stop ? AbortSignal.any([closed.signal, options.stop]) : closed.signal;
  const outcome: StreamOutcome = { id: plan.id, model: plan.model, ending: "completed", tokensSent: 0, tokensPlanned: plan.deltas.length };

  res.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache",
    connection: "keep-alive",
    "x-accel-buffering": "no",
  });
  const usageField = options.includeUsage ? null : undefined;
  const isToolReply = plan.deltas.length > 0 && "tool_calls" in plan.deltas[0];

  try {
    await send(res, interrupted, event(chunkBody(plan, { role: "assistant", content: isToolReply ? null : "", refusal: null }, null, usageField)));
    for (const delta of plan.deltas) {
      if (options.delayMs > 0) await sleep(options.delayMs, undefined, { signal: interrupted });
      if (options.failure && outcome.tokensSent === TOKENS_BEFORE_FAILURE) {
        if (options.failure.kind === "drop") {
          outcome.ending = "dropped";
          res.destroy();
          return outcome;
        }
        if (options.failure.kind === "malformed") {
          outcome.ending = "malformed";
          res.end(`data: {"id":"${plan.id}","choices":[{"delta":{"content":\n\n`);
          return outcome;
        }
      }
      await send(res, interrupted, event(chunkBody(plan, delta, null, usageField)));
      outcome.tokensSent++;
    }
    await send(res, interrupted, event(chunkBody(plan, {}, plan.finishReason, usageField)));
    if (options.includeUsage) await send(res, interrupted, event(chunkBody(plan, null, null, plan.usage)));
    res.end("data: [DONE]\n\n");
    return outcome;
  } catch (error) {
    if (closed.signal.aborted) {
      outcome.ending = "client_closed";
      return outcome;
    }
    if (options.stop?.aborted) {
      outcome.ending = "stopped";
      const reason = typeof options.stop.reason === "string" ? options.stop.reason : "the server stopped the stream";
      const message = `The stream was ended after ${outcome.tokensSent} of ${outcome.tokensPlanned} tokens: ${reason}.`;
      res.end(event({ error: { message, type: "server_error", param: null, code: "server_shutting_down" } }));
      return outcome;
    }
    throw error;
  } finally {
    res.off("close", onClose);
  }
}

function event(body: unknown): string {
  return `data: ${JSON.stringify(body)}\n\n`;
}

// Resolves once the data is accepted (immediately, or after "drain"); rejects when the client has gone.
function send(res: ServerResponse, closed: AbortSignal, data: string): Promise<void> {
  if (closed.aborted) return Promise.reject(closed.reason);
  if (res.write(data)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onDrain = () => {
      closed.removeEventListener("abort", onAbort);
      resolve();
    };
    const onAbort = () => {
      res.off("drain", onDrain);
      reject(closed.reason);
    };
    res.once("drain", onDrain);
    closed.addEventListener("abort", onAbort, { once: true });
  });
}
