// A chat model on the official openai SDK, for OpenAI and any OpenAI-compatible server, whose tokens stream
// into a run's "messages" mode. Inside a node of a run that streams messages, `invoke` streams from the API
// under the hood and reports every delta to the task context; its result is the concatenation of the
// deltas, under the same id, so the engine can tell the streamed message from the one the node returns.
//
// Retries: the openai client's own retries are off by default (maxRetries: 0), so a failed call fails once
// and the engine's retry policy (which sees and records every attempt, and backs off) decides what to do.
// Pass `maxRetries` to retry inside the client instead, e.g. outside a graph.
import { randomUUID } from "node:crypto";
import type OpenAI from "openai";
import type { ChatCompletion, ChatCompletionChunk, ChatCompletionCreateParamsBase } from "openai/resources/chat/completions";
import type { AIMessage, AIMessageChunk, ToolCall, ToolCallChunk, UsageMetadata } from "../graph/messages";
import { getTaskContext, type TaskContext } from "../graph/taskContext";
import type { MessageMetadata } from "../graph/types";
import { ChunkAccumulator, parseArgs } from "./chunkAccumulator";
import { toOpenAIMessages, type ModelInput } from "./messageInput";
import { describeEndpoint, isHttpURL, offlineModelAPIKey, resolveModelConfig } from "./modelConfig";
import { ensureOfflineModelURL } from "./offlineEndpoint";
import { openaiClient } from "./openaiClients";
import { toProviderError, truncatedStreamError, type FailureContext } from "./providerError";
import { toOpenAITool, type ToolChoice, type ToolDefinition } from "./toolDefinition";

export interface ChatOpenAIFields {
  /** Default: OPENAI_MODEL, else gpt-4o-mini with a provider configured, else "rill-offline". */
  model?: string;
  temperature?: number;
  /** Default: OPENAI_API_KEY. */
  apiKey?: string;
  /** Default: OPENAI_BASE_URL; with neither key nor base URL, Rill's offline model. */
  baseURL?: string;
  /** Reported in "messages" metadata; `"nostream"` keeps this model's tokens out of "messages" mode. */
  tags?: string[];
  /** Retries inside the openai client. Default 0: the engine's retry policy retries (see above). */
  maxRetries?: number;
  /** Sent as `max_tokens`: the reply stops there with finish_reason "length". */
  maxTokens?: number;
  /** Per-request timeout in ms. Default: the openai client's (10 minutes). */
  timeoutMs?: number;
  /** Tools the model may call (see bindTools). */
  tools?: ToolDefinition[];
  /** Forces ("required", { name }) or forbids ("none") tool calls; default "auto". */
  toolChoice?: ToolChoice;
  /** Where OPENAI_* settings are read; default process.env. */
  env?: Record<string, string | undefined>;
}

/** The part of a node's config the model reads; LangGraph-style configs fit it as they are. */
export interface ModelCallConfig {
  signal?: AbortSignal;
  tags?: string[];
}

const PROVIDER = "openai";
const NOSTREAM_TAGS = ["nostream", "langsmith:nostream"];

export class ChatOpenAI {
  readonly model: string;
  readonly temperature: number | undefined;
  readonly tags: readonly string[];
  readonly maxTokens: number | undefined;
  private readonly fields: ChatOpenAIFields;
  private readonly tools: OpenAI.Chat.Completions.ChatCompletionFunctionTool[];
  private readonly toolChoice: ToolChoice | undefined;

  constructor(fields: ChatOpenAIFields = {}) {
    validateFields(fields);
    this.fields = fields;
    this.model = fields.model ?? resolveModelConfig(fields.env ?? process.env).model;
    this.temperature = fields.temperature;
    this.tags = fields.tags ?? [];
    this.maxTokens = fields.maxTokens;
    this.tools = (fields.tools ?? []).map(toOpenAITool);
    this.toolChoice = fields.toolChoice;
  }

  /** Which model and endpoint this is, for logs and the UI (never the key). */
  get label(): string {
    if (this.isOffline()) return `${this.model} (Rill's offline model)`;
    const endpoint = this.fields.baseURL ?? resolveModelConfig(this.env).baseURL;
    return endpoint === undefined ? `${this.model} (OpenAI)` : `${this.model} at ${describeEndpoint(endpoint)}`;
  }

  /** A copy of this model that offers `tools` to the provider; `toolChoice` forces or forbids calling them. */
  bindTools(tools: ToolDefinition[], options: { toolChoice?: ToolChoice } = {}): ChatOpenAI {
    return new ChatOpenAI({ ...this.fields, model: this.model, tools, toolChoice: options.toolChoice });
  }

  /** The whole reply. Streams under the hood (reporting each delta) when the calling task streams "messages". */
  async invoke(input: ModelInput, config?: ModelCallConfig): Promise<AIMessage> {
    const context = getTaskContext(config);
    const metadata = this.messageMetadata(context, config);
    if (context === undefined || metadata === undefined) return this.complete(input, config, context);
    const chunks = this.streamChunks(input, config, context, metadata);
    for (;;) {
      const next = await chunks.next();
      if (next.done) return next.value;
    }
  }

  /** The reply as it is generated, one chunk per delta, then a last chunk with usage and finish reason. */
  async *stream(input: ModelInput, config?: ModelCallConfig): AsyncGenerator<AIMessageChunk, void, undefined> {
    const context = getTaskContext(config);
    yield* this.streamChunks(input, config, context, this.messageMetadata(context, config));
  }

  private async *streamChunks(
    input: ModelInput,
    config: ModelCallConfig | undefined,
    context: TaskContext | undefined,
    metadata: MessageMetadata | undefined,
  ): AsyncGenerator<AIMessageChunk, AIMessage, undefined> {
    const messages = toOpenAIMessages(input, `${this.model}.stream`);
    const signal = combinedSignal(config?.signal, context?.signal);
    const { client, failure } = await this.connect();
    const id = `run-${randomUUID()}`;
    const accumulator = new ChunkAccumulator(id);
    const report = (chunk: AIMessageChunk) => {
      accumulator.add(chunk);
      if (metadata !== undefined) context?.emitMessage(chunk, metadata);
    };

    let events: AsyncIterable<ChatCompletionChunk>;
    try {
      signal?.throwIfAborted();
      const { data, response } = await client.chat.completions
        .create({ ...this.requestParams(messages), stream: true, stream_options: { include_usage: true } }, { signal })
        .withResponse();
      failure.responseStatus = response.status;
      failure.streaming = true;
      events = data;
    } catch (error) {
      throw signal?.aborted ? abortReason(signal) : toProviderError(error, failure);
    }

    let finishReason: string | undefined;
    let usage: UsageMetadata | undefined;
    let responseModel: string | undefined;
    let responseId: string | undefined;
    try {
      for await (const event of events) {
        responseModel ??= event.model;
        responseId ??= event.id;
        if (event.usage) usage = toUsage(event.usage);
        const choice = event.choices?.[0];
        if (choice === undefined) continue;
        if (choice.finish_reason) finishReason = choice.finish_reason;
        const content = choice.delta?.content ?? "";
        const toolCallChunks = (choice.delta?.tool_calls ?? []).map(toToolCallChunk);
        if (content === "" && toolCallChunks.length === 0) continue;
        const chunk: AIMessageChunk = { type: "AIMessageChunk", id, content, tool_call_chunks: toolCallChunks };
        report(chunk);
        yield chunk;
      }
    } catch (error) {
      throw signal?.aborted ? abortReason(signal) : toProviderError(error, failure);
    }
    // The SDK ends an aborted stream quietly; a stream cut short without abort lacks its finish reason.
    if (signal?.aborted) throw abortReason(signal);
    if (finishReason === undefined) throw truncatedStreamError(failure);

    const last: AIMessageChunk = {
      type: "AIMessageChunk",
      id,
      content: "",
      tool_call_chunks: [],
      response_metadata: { finish_reason: finishReason, model_name: responseModel ?? this.model, response_id: responseId },
    };
    if (usage) last.usage_metadata = usage;
    report(last);
    yield last;
    return accumulator.toMessage();
  }

  // One non-streaming request: outside runs that stream "messages", and for models tagged "nostream".
  private async complete(input: ModelInput, config: ModelCallConfig | undefined, context: TaskContext | undefined): Promise<AIMessage> {
    const messages = toOpenAIMessages(input, `${this.model}.invoke`);
    const signal = combinedSignal(config?.signal, context?.signal);
    const { client, failure } = await this.connect();
    let completion: ChatCompletion;
    try {
      signal?.throwIfAborted();
      completion = await client.chat.completions.create({ ...this.requestParams(messages), stream: false }, { signal });
    } catch (error) {
      throw signal?.aborted ? abortReason(signal) : toProviderError(error, failure);
    }
    const choice = completion.choices?.[0];
    if (choice === undefined) throw toProviderError(new SyntaxError("the response has no choices"), { ...failure, responseStatus: 200 });
    const message: AIMessage = {
      type: "ai",
      id: `run-${randomUUID()}`,
      content: choice.message.content ?? "",
      tool_calls: (choice.message.tool_calls ?? []).flatMap(toToolCall),
      response_metadata: { finish_reason: choice.finish_reason, model_name: completion.model, response_id: completion.id },
    };
    if (completion.usage) message.usage_metadata = toUsage(completion.usage);
    return message;
  }

  private requestParams(messages: OpenAI.Chat.Completions.ChatCompletionMessageParam[]): ChatCompletionCreateParamsBase {
    const params: ChatCompletionCreateParamsBase = { model: this.model, messages };
    if (this.temperature !== undefined) params.temperature = this.temperature;
    if (this.maxTokens !== undefined) params.max_tokens = this.maxTokens;
    if (this.tools.length > 0) {
      params.tools = this.tools;
      if (this.toolChoice !== undefined) {
        params.tool_choice = typeof this.toolChoice === "string" ? this.toolChoice : { type: "function", function: { name: this.toolChoice.name } };
      }
    }
    return params;
  }

  /** `undefined` unless the calling task streams "messages" and this call is not tagged "nostream". */
  private messageMetadata(context: TaskContext | undefined, config: ModelCallConfig | undefined): MessageMetadata | undefined {
    if (context === undefined || !context.streamsMessages) return undefined;
    const tags = [...new Set([...(context.metadata.tags ?? []), ...(config?.tags ?? []), ...this.tags])];
    if (tags.some((tag) => NOSTREAM_TAGS.includes(tag))) return undefined;
    const metadata: MessageMetadata = {
      ...context.metadata,
      tags,
      ls_provider: PROVIDER,
      ls_model_name: this.model,
      ls_model_type: "chat",
    };
    if (this.temperature !== undefined) metadata.ls_temperature = this.temperature;
    return metadata;
  }

  private get env(): Record<string, string | undefined> {
    return this.fields.env ?? process.env;
  }

  private isOffline(): boolean {
    return this.fields.baseURL === undefined && this.fields.apiKey === undefined && resolveModelConfig(this.env).offline;
  }

  // Resolved per call: the run server registers the offline endpoint after graphs are built.
  private async connect(): Promise<{ client: OpenAI; failure: FailureContext }> {
    const config = resolveModelConfig(this.env);
    const offline = this.isOffline();
    const baseURL = this.fields.baseURL ?? (offline ? await ensureOfflineModelURL() : config.baseURL);
    const apiKey = this.fields.apiKey ?? (offline ? offlineModelAPIKey() : config.apiKey);
    const client = openaiClient({ baseURL, apiKey, maxRetries: this.fields.maxRetries ?? 0, timeoutMs: this.fields.timeoutMs });
    return {
      client,
      failure: { provider: PROVIDER, model: this.model, endpoint: describeEndpoint(baseURL ?? "https://api.openai.com/v1") },
    };
  }
}

function validateFields(fields: ChatOpenAIFields): void {
  const fail = (field: string, expected: string, got: unknown) => {
    throw new TypeError(`new ChatOpenAI: "${field}" must be ${expected} (got ${JSON.stringify(got)}).`);
  };
  if (typeof fields !== "object" || fields === null) throw new TypeError("new ChatOpenAI: pass an options object, e.g. { model, temperature }.");
  if (fields.model !== undefined && (typeof fields.model !== "string" || fields.model.trim() === "")) fail("model", "a non-empty string", fields.model);
  if (fields.temperature !== undefined && !(typeof fields.temperature === "number" && fields.temperature >= 0 && fields.temperature <= 2)) {
    fail("temperature", "a number from 0 to 2", fields.temperature);
  }
  if (fields.tags !== undefined && !(Array.isArray(fields.tags) && fields.tags.every((t) => typeof t === "string"))) fail("tags", "an array of strings", fields.tags);
  if (fields.maxRetries !== undefined && !(Number.isInteger(fields.maxRetries) && fields.maxRetries >= 0)) fail("maxRetries", "an integer >= 0", fields.maxRetries);
  if (fields.maxTokens !== undefined && !(Number.isInteger(fields.maxTokens) && fields.maxTokens >= 1)) fail("maxTokens", "an integer >= 1", fields.maxTokens);
  if (fields.timeoutMs !== undefined && !(typeof fields.timeoutMs === "number" && fields.timeoutMs > 0)) fail("timeoutMs", "a number of milliseconds > 0", fields.timeoutMs);
  if (fields.tools !== undefined && !Array.isArray(fields.tools)) fail("tools", "an array of tool definitions", typeof fields.tools);
  if (fields.baseURL !== undefined && !isHttpURL(fields.baseURL)) {
    fail("baseURL", "an absolute http(s) URL such as http://localhost:11434/v1", fields.baseURL);
  }
}

function combinedSignal(a: AbortSignal | undefined, b: AbortSignal | undefined): AbortSignal | undefined {
  if (a === undefined || b === undefined || a === b) return a ?? b;
  return AbortSignal.any([a, b]);
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException("The operation was aborted.", "AbortError");
}

function toUsage(usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number }): UsageMetadata {
  return { input_tokens: usage.prompt_tokens, output_tokens: usage.completion_tokens, total_tokens: usage.total_tokens };
}

function toToolCallChunk(call: ChatCompletionChunk.Choice.Delta.ToolCall): ToolCallChunk {
  const chunk: ToolCallChunk = { index: call.index, type: "tool_call_chunk" };
  if (call.id) chunk.id = call.id;
  if (call.function?.name) chunk.name = call.function.name;
  chunk.args = call.function?.arguments ?? "";
  return chunk;
}

function toToolCall(call: OpenAI.Chat.Completions.ChatCompletionMessageToolCall): ToolCall[] {
  if (call.type !== "function") return [];
  const args = parseArgs(call.function.arguments);
  return [{ id: call.id, name: call.function.name, args: args.ok ? args.value : {}, type: "tool_call" }];
}
