// "messages" mode for LangChain chat models (any BaseChatModel: @langchain/openai's ChatOpenAI,
// FakeListChatModel, ...), as LangGraph.js's StreamMessagesHandler does it: a callback handler in the
// node's config hears the model start (its tags and `ls_*` metadata), each streamed chunk, and the end;
// each chunk reaches the task's "messages" stream with the task's langgraph_* metadata. `nostream` /
// `langsmith:nostream` tags keep a model out. Its `lc_prefer_streaming` makes a model's `invoke` stream.
//
// The handler is a plain object of callback methods (LangChain wraps it with BaseCallbackHandler.fromMethods),
// so this file never imports @langchain/core. It is made only for tasks of runs that stream "messages".
import type { Task } from "../pregel/task";
import type { MessageMetadata } from "../types";
import type { StreamedMessage } from "../messages";
import { coreMessages, isLangChainMessage } from "./optionalCore";

const NOSTREAM_TAGS = ["nostream", "langsmith:nostream"];

interface ModelRun {
  metadata: MessageMetadata;
  /** The id every chunk of this model run carries (the first chunk's, else `run-<runId>`). */
  messageId: string | undefined;
  emittedTokens: boolean;
}

type MessageInstance = { id?: string; lc_kwargs?: Record<string, unknown>; type?: string };

export interface StreamMessagesHandlerMethods {
  lc_prefer_streaming: true;
  awaitHandlers: true;
  handleChatModelStart(...args: unknown[]): void;
  handleLLMNewToken(...args: unknown[]): void;
  handleLLMEnd(...args: unknown[]): void;
  handleLLMError(...args: unknown[]): void;
}

export function streamMessagesHandler(task: Task): StreamMessagesHandlerMethods {
  const runs = new Map<string, ModelRun>();

  const emit = (run: ModelRun, message: MessageInstance, runId: string) => {
    if (run.messageId === undefined || message.id === undefined || message.id === null || message.id === `run-${runId}`) {
      const id = (run.messageId ??= message.id ?? `run-${runId}`);
      if (message.id !== id) setId(message, id);
    }
    task.emitMessage(message as StreamedMessage, run.metadata);
  };

  return {
    lc_prefer_streaming: true,
    // Run in line with the model, not in LangChain's background queue: a node's last token must reach
    // the stream before the node's own result does.
    awaitHandlers: true,
    handleChatModelStart(_llm, _messages, runId, _parentRunId, _extraParams, tags, metadata, name) {
      if (!task.streamsMessages) return;
      const tagList = tags as string[] | undefined;
      if (tagList !== undefined && NOSTREAM_TAGS.some((t) => tagList.includes(t))) return;
      const merged = { tags: tagList, name, ...task.metadata, ...(metadata as Record<string, unknown> | undefined) } as MessageMetadata;
      runs.set(runId as string, { metadata: merged, messageId: undefined, emittedTokens: false });
    },
    handleLLMNewToken(token, _idx, runId, _parentRunId, _tags, fields) {
      const run = runs.get(runId as string);
      if (run === undefined) return;
      run.emittedTokens = true;
      const chunk = (fields as { chunk?: { message?: unknown } } | undefined)?.chunk;
      const message = isLangChainMessage(chunk?.message) ? chunk.message : tokenChunk(token as string);
      emit(run, message as MessageInstance, runId as string);
    },
    handleLLMEnd(output, runId) {
      const run = runs.get(runId as string);
      runs.delete(runId as string);
      if (run === undefined || run.emittedTokens) return;
      // A model that did not stream: its whole message, once (unless a node already streamed it).
      const message = (output as { generations?: Array<Array<{ message?: MessageInstance }>> }).generations?.[0]?.[0]?.message;
      if (!isLangChainMessage(message)) return;
      if (message.id !== undefined && task.loop.run.seenMessageIds.has(message.id)) return;
      emit(run, message, runId as string);
    },
    handleLLMError(_error, runId) {
      runs.delete(runId as string);
    },
  };
}

function tokenChunk(token: string): unknown {
  const core = coreMessages();
  return core !== null ? new core.AIMessageChunk({ content: token }) : { type: "AIMessageChunk", content: token, tool_call_chunks: [] };
}

function setId(message: MessageInstance, id: string): void {
  message.id = id;
  if (message.lc_kwargs) message.lc_kwargs.id = id;
}

/**
 * The `callbacks` of a node's config in a run that streams "messages": the caller's callbacks (an array of
 * handlers, or a CallbackManager) plus this task's handler.
 */
export function callbacksWithMessagesHandler(task: Task, callerCallbacks: unknown): unknown {
  const handler = streamMessagesHandler(task);
  if (callerCallbacks === undefined || callerCallbacks === null) return [handler];
  if (Array.isArray(callerCallbacks)) return [...callerCallbacks, handler];
  const manager = callerCallbacks as { copy?: () => { addHandler(h: unknown, inherit?: boolean): void } };
  if (typeof manager.copy === "function") {
    const copy = manager.copy();
    copy.addHandler(fromMethods(handler), true);
    return copy;
  }
  return [handler];
}

/** A CallbackManager only takes handler objects; this one has the fields it reads. */
function fromMethods(methods: StreamMessagesHandlerMethods): unknown {
  return {
    ...methods,
    name: "RillStreamMessagesHandler",
    ignoreLLM: false,
    ignoreChain: true,
    ignoreAgent: true,
    ignoreRetriever: true,
    ignoreCustomEvent: true,
    raiseError: false,
    awaitHandlers: true,
    copy() {
      return this;
    },
  };
}
